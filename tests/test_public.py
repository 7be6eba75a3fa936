"""The public page: off until the council switches it on; only approved texts; no small
numbers in any page, chart or download; no one's name unless the council chooses; words a
12-year-old can read."""

import base64
import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
import textstat
from django.core.management import call_command
from django.urls import reverse

from actionplans.services import action_update
from figures.charts import Series, line_chart_svg
from figures.models import IndicatorFigure
from lacstrategy.models import Council
from lacstrategy.services import council_save
from public.models import PublicText
from public.services import texts_approve
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    PriorityIndicatorFactory,
    UserFactory,
    VoiceFactory,
    VoiceResponseFactory,
)
from tests.test_permissions_matrix import PUBLIC_SITE

pytestmark = pytest.mark.django_db

BELOW = 5


@pytest.fixture
def public_site(users, plan_records):
    """The fixture council with its public page on, the fixture outcome's promise approved."""
    council_save(actor=users["administrator"], name="Testshire County Council", public_site=True)
    texts_approve(record=plan_records["outcome"], actor=users["administrator"])
    return plan_records


def _measure(plan_records, *, actor, unit, figures, title):
    """A priority measure of the approved promise, its title approved, with `figures` as
    (period label, value, numerator, denominator)."""
    indicator = IndicatorFactory(outcome=plan_records["outcome"], unit=unit, title=title)
    PriorityIndicatorFactory(action_plan=plan_records["plan"], indicator=indicator)
    for year, (label, value, numerator, denominator) in enumerate(figures, start=2000):
        IndicatorFigure.objects.create(
            indicator=indicator,
            period_label=label,
            period_end=datetime.date(year, 3, 31),
            value=value,
            numerator=numerator,
            denominator=denominator,
            suppressed=value is None,
        )
    texts_approve(record=indicator, actor=actor)
    return indicator


def _public_urls(indicators):
    urls = [reverse("public:home"), reverse("public:you_said_we_did"), reverse("public:measures")]
    for indicator in indicators:
        urls += [
            reverse("public:measure", args=[indicator.pk]),
            reverse("public:measure_csv", args=[indicator.pk]),
        ]
    return urls


def _everything_shown(client, urls):
    """Every public answer as text, with the words of the charts drawn as images (their
    points are checked against the chart of what may be shown: _chart_is_of)."""
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for image in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', text):
            text += " ".join(re.findall(r">([^<]+)<", base64.b64decode(image).decode()))
        texts.append(html.unescape(text))
    return "\n".join(texts)


def _chart_is_of(page, *, title, periods, values, unit):
    """The measure page's chart is the one drawn from `values` (None where withheld), so its
    points can give away nothing else."""
    drawn = base64.b64decode(re.search(r"base64,([^\"]+)", page).group(1)).decode()
    expected = line_chart_svg(
        title=title,
        description=html.unescape(re.search(r"<desc[^>]*>([^<]*)</desc>", drawn).group(1)),
        periods=periods,
        series=[
            Series(Council.objects.get().name, values, "council"),
            Series("England", [None] * len(periods), "england"),
        ],
        unit=unit,
    )
    ids = re.compile(r"chart-[0-9a-f]{12}")
    assert ids.sub("chart", html.unescape(drawn)) == ids.sub("chart", html.unescape(expected))


def _table(page):
    """{period: what the public measure page's table says for the council}."""
    return dict(
        re.findall(
            r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
            r'<td class="govuk-table__cell">([^<]+)</td>',
            page,
        )
    )


def test_the_public_page_is_off_until_switched_on_and_administrators_preview_it(
    client, users, plan_records
):
    indicator = plan_records["indicator"]
    urls = {
        name: reverse(
            name, args=[indicator.pk] if name in {"public:measure", "public:measure_csv"} else []
        )
        for name in PUBLIC_SITE
    }
    texts_approve(record=plan_records["outcome"], actor=users["administrator"])
    texts_approve(record=indicator, actor=users["administrator"])
    for name, url in urls.items():
        assert client.get(url).status_code == 404, f"anyone, {name}, switched off"
        for role, user in users.items():
            client.force_login(user)
            expected = 200 if role == "administrator" else 404
            response = client.get(url)
            assert response.status_code == expected, f"{role} {name}"
            if expected == 200 and not name.endswith("csv"):
                assert "Preview: the public page is switched off" in response.content.decode()
        client.logout()
    council_save(actor=users["administrator"], name="Testshire County Council", public_site=True)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"anyone, {name}, switched on"
        assert "Preview" not in response.content.decode()


def test_no_count_under_the_threshold_and_no_small_cohort_reaches_any_page_chart_or_download(
    client, users, public_site
):
    # Counts 0 to 10, the latest the smallest, so that the promise's summary meets it too.
    counts = [(f"Year {value}", Decimal(value), None, None) for value in range(10, -1, -1)]
    count = _measure(
        public_site,
        actor=users["administrator"],
        unit="count",
        figures=counts,
        title="Children who moved home",
    )
    # Percentages of small numbers, each with a value no other figure has: none may appear.
    secret = ["37.3", "41.7", "83.9", "12.1", "6.3"]
    percentages = [
        ("Cohort of 8, 3 counted", Decimal("37.3"), Decimal(3), Decimal(8)),
        ("Cohort of 3", Decimal("41.7"), None, Decimal(3)),
        ("Cohort unknown", Decimal("83.9"), None, None),
        ("4 counted", Decimal("12.1"), Decimal(4), None),
        ("Suppressed at source", None, None, None),
        ("Of a cohort of 50, about 3 children", Decimal("6.3"), None, Decimal(50)),
        ("Cohort of 40, 12 counted", Decimal("30"), Decimal(12), Decimal(40)),
    ]
    percentage = _measure(
        public_site,
        actor=users["administrator"],
        unit="percentage",
        figures=percentages,
        title="Children in school every day",
    )
    # An average or a rating from an unknown number of children is withheld too.
    average = _measure(
        public_site,
        actor=users["administrator"],
        unit="score",
        figures=[("Survey", Decimal("7.7"), None, None)],
        title="Young people's average score",
    )
    secret.append("7.7")
    shown = _everything_shown(client, _public_urls([count, percentage, average]))
    for value in secret:
        assert value not in shown

    page = client.get(reverse("public:measure", args=[count.pk])).content.decode()
    table = _table(html.unescape(page))
    for label, value, _, _ in counts:
        expected = f"Fewer than {BELOW}" if value < BELOW else str(value)
        assert table[label] == expected, label
    # The charts draw no point for a withheld figure (its coordinates would give it away).
    _chart_is_of(
        page,
        title="Children who moved home",
        periods=[label for label, *_ in counts],
        values=[v if v >= BELOW else None for _, v, _, _ in counts],
        unit="count",
    )
    _chart_is_of(
        client.get(reverse("public:measure", args=[percentage.pk])).content.decode(),
        title="Children in school every day",
        periods=[label for label, *_ in percentages],
        values=[v if label.startswith("Cohort of 40") else None for label, v, _, _ in percentages],
        unit="percentage",
    )
    # The promise's summary gives the latest figure through the same rule.
    home = html.unescape(client.get(reverse("public:home")).content.decode())
    assert f"Children who moved home</a>: Fewer than {BELOW} (Year 0)" in home

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("public:measure_csv", args=[percentage.pk])).content.decode()
            )
        )
    )
    said = {row[1]: row[2] for row in rows[1:]}
    assert said["Cohort of 40, 12 counted"] == "30%"
    assert said["Cohort of 8, 3 counted"].startswith("Not published")
    assert said["Cohort unknown"].startswith("Not published")


def test_a_higher_threshold_set_by_the_council_applies_everywhere(client, users, public_site):
    council_save(
        actor=users["administrator"], name="Testshire County Council", small_numbers_below=10
    )
    count = _measure(
        public_site,
        actor=users["administrator"],
        unit="count",
        figures=[("Year 7", Decimal(7), None, None), ("Year 12", Decimal(12), None, None)],
        title="Children who moved home",
    )
    page = html.unescape(client.get(reverse("public:measure", args=[count.pk])).content.decode())
    assert _table(page) == {"Year 7": "Fewer than 10", "Year 12": "12"}


def test_no_unapproved_text_and_no_name_reaches_the_public_page(client, users, public_site):
    admin = users["administrator"]
    lead = UserFactory(full_name="Zebedee Quuxworth", job_title="Head of the Virtual School")
    approved_action = ActionFactory(
        priority_indicator=public_site["priority"], description="We will help you with homework"
    )
    approved_action.lead_users.set([lead])
    ActionFactory(
        priority_indicator=public_site["priority"],
        description="UNAPPROVED action words",
        comment="SECRET comment words",
    )
    texts_approve(record=approved_action, actor=admin)
    heard = VoiceFactory(
        strategy=public_site["plan"].strategy,
        said="We want more trips",
        source_name="SECRET meeting name",
    )
    VoiceResponseFactory(voice=heard, we_did="UNAPPROVED response words", who="SECRET team")
    texts_approve(record=heard, actor=admin)
    VoiceFactory(strategy=public_site["plan"].strategy, said="UNAPPROVED view words")
    # Everything else typed in: the other outcome's statement, the update's summary.
    public_site["draft_update"].summary = "SECRET summary words"
    public_site["draft_update"].save()

    shown = _everything_shown(client, _public_urls([]))
    assert "We will help you with homework" in shown and "We want more trips" in shown
    assert public_site["outcome"].statement in shown
    assert public_site["other_outcome"].statement not in shown
    assert "UNAPPROVED" not in shown and "SECRET" not in shown
    assert "Head of the Virtual School" in shown
    for person in [lead, *users.values()]:
        assert person.full_name not in shown, person.full_name

    # Next year's plan, still a draft, is not this year's promise.
    draft = ActionPlanFactory(
        strategy=public_site["plan"].strategy,
        financial_year_start=public_site["plan"].financial_year_start + 1,
        status="draft",
    )
    texts_approve(
        record=ActionFactory(
            priority_indicator=PriorityIndicatorFactory(
                action_plan=draft, indicator=public_site["indicator"]
            ),
            description="Next year, maybe",
        ),
        actor=admin,
    )
    assert "We will help you with homework" in _everything_shown(client, [reverse("public:home")])
    assert "Next year, maybe" not in _everything_shown(client, [reverse("public:home")])

    # A measure whose title is not approved has no public page, even at its address.
    unapproved = public_site["indicator"]
    assert not PublicText.objects.filter(record_type="outcomes.indicator").exists()
    for name in ("public:measure", "public:measure_csv"):
        assert client.get(reverse(name, args=[unapproved.pk])).status_code == 404

    # A changed text comes off until approved again.
    approved_action = type(approved_action).objects.get(pk=approved_action.pk)
    action_update(action=approved_action, actor=admin, description="UNAPPROVED new words")
    shown = _everything_shown(client, _public_urls([]))
    assert "UNAPPROVED" not in shown and "We will help you with homework" not in shown

    # Names only where the council chooses.
    council_save(actor=admin, name="Testshire County Council", public_names=True)
    texts_approve(record=type(approved_action).objects.get(pk=approved_action.pk), actor=admin)
    assert "Zebedee Quuxworth" in _everything_shown(client, [reverse("public:home")])


def test_approving_a_text_twice_keeps_one_approval_with_its_history(client, users, plan_records):
    client.force_login(users["administrator"])
    outcome = plan_records["outcome"]
    url = reverse("public:text_approve", args=["outcomes.outcome", outcome.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click
    approval = PublicText.objects.get()
    assert approval.text == outcome.statement and approval.history.count() == 1
    page = client.get(reverse("public:texts")).content.decode()
    assert 'govuk-tag--green">Approved' in page
    client.post(reverse("public:text_withdraw", args=["outcomes.outcome", outcome.pk]))
    assert not PublicText.objects.exists()
    # Something that can never be published is refused, not approved.
    assert (
        client.post(reverse("public:text_approve", args=["reviews.outcomeupdate", 1])).status_code
        == 404
    )


# Flesch reading ease: 70 to 80 reads as "fairly easy", for about 12 to 13 year olds.
READING_EASE = 65
ABBREVIATION = re.compile(r"\b\w*[A-Z]\w*[A-Z]\w*\b")


def _sentences(page):
    """The main part of a page as sentences: each heading, paragraph, list item and table cell
    read as one (a list item has no full stop, but a reader stops there)."""
    main = page[page.index("<main") : page.index("</main>")]
    # Job titles are shown as the council writes them: not the product's words.
    main = re.sub(r'<span class="app-public-leaders">.*?</span>', "", main, flags=re.S)
    main = re.sub(
        r"</(p|li|h[1-6]|dt|dd|td|th|caption|figcaption|a|strong|span)>", r" .</\1>", main
    )
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([.!?:])( \.)+", r"\1", re.sub(r"( \.)+", ".", text))


def test_the_demo_s_public_page_reads_easily_with_no_abbreviations(client):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    titles = re.findall(r"/public/how-it-is-going/(\d+)/", client.get("/public/").content.decode())
    assert titles, "the demo's public page shows some measures"
    urls = ["/public/", "/public/you-said-we-did/", "/public/how-it-is-going/"]
    urls += [f"/public/how-it-is-going/{pk}/" for pk in sorted(set(titles))[:3]]
    for url in urls:
        text = _sentences(client.get(url).content.decode())
        assert textstat.flesch_reading_ease(text) >= READING_EASE, (url, text[:500])
        assert not ABBREVIATION.findall(text), (url, ABBREVIATION.findall(text))


@pytest.mark.parametrize("actions", [2, 30])
def test_the_public_home_page_queries_do_not_grow(
    client, users, public_site, django_assert_max_num_queries, actions
):
    for _ in range(actions):
        action = ActionFactory(priority_indicator=public_site["priority"])
        texts_approve(record=action, actor=users["administrator"])
    texts_approve(record=public_site["indicator"], actor=users["administrator"])
    with django_assert_max_num_queries(PUBLIC_HOME_QUERIES):
        page = client.get(reverse("public:home")).content.decode()
    assert page.count("govuk-tag--grey") >= actions


PUBLIC_HOME_QUERIES = 13
