"""The review dashboard as the Strategy Group's one screen per meeting, and one target shown
the same way on every page and in every document."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from docx.oxml.ns import qn

from actionplans import services as plan_services
from actionplans.selectors import changes_by_outcome, plan_changes_between
from figures.models import IndicatorFigure
from reports import services as report_services
from reports import word
from reports.selectors import report_data
from reviews.models import OutcomeUpdate
from tests.conftest import form_data, update_url

pytestmark = pytest.mark.django_db

TARGET = "66% (amber within 5 percentage points)"


def q1_report(users, period):
    return report_services.report_create(
        period=period,
        actor=users["committee_officer"],
        body="Committee",
        meeting_on=datetime.date(2016, 9, 12),
        title="Q1",
    )


@pytest.fixture
def numeric_target(plan_records):
    """The demo's kind of target: a number and a tolerance, with no words."""
    priority = plan_records["priority"]
    priority.target = ""
    priority.target_value = Decimal("66.00")
    priority.amber_tolerance = Decimal("5.00")
    priority.save()
    return priority


def test_one_target_reads_the_same_on_every_page_and_in_the_report(
    client, users, plan_records, numeric_target
):
    period, outcome = plan_records["period"], plan_records["outcome"]
    client.force_login(users["administrator"])
    pages = {
        "priority indicator": numeric_target.get_absolute_url(),
        "indicator": plan_records["indicator"].get_absolute_url(),
        "dashboard": period.get_absolute_url(),
        "update form": update_url(period, outcome),
        "plan": plan_records["plan"].get_absolute_url(),
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert escape(TARGET) in page, name
    report = q1_report(users, period)
    rows = report_data(report=report, as_at=timezone.now(), charts=False)["indicators"]
    assert TARGET in [row["target"] for row in rows]


@pytest.mark.parametrize(
    "words,value,tolerance,shown",
    [
        ("", None, None, "Not set"),
        ("90%", Decimal("90"), None, "90%"),
        ("improve on 2015-16", None, None, "improve on 2015-16"),
        ("improve on 2015-16", Decimal("66.5"), Decimal("2"), None),
    ],
)
def test_the_target_s_words_say_not_set_only_when_there_is_none(
    client, users, plan_records, words, value, tolerance, shown
):
    priority = plan_records["priority"]
    priority.target, priority.target_value, priority.amber_tolerance = words, value, tolerance
    priority.save()
    expected = shown or "improve on 2015-16: 66.5% (amber within 2 percentage points)"
    assert priority.target_words == expected
    client.force_login(users["administrator"])
    page = client.get(priority.get_absolute_url()).content.decode()
    assert escape(expected) in page


def test_the_dashboard_shows_each_priority_s_latest_figure_rag_and_direction(
    client, users, plan_records, numeric_target
):
    """From the indicator's figures, including one that an accepted update entered."""
    period, outcome, indicator = (
        plan_records["period"],
        plan_records["outcome"],
        plan_records["indicator"],
    )
    plan_records["draft_update"].delete()
    client.force_login(users["outcome_owner"])
    response = client.post(
        update_url(period, outcome), form_data(period, outcome, value="62.5", check="1")
    )
    assert client.post(response["Location"]).status_code == 302
    update = OutcomeUpdate.objects.get(period=period, outcome=outcome)
    client.force_login(users["chair"])
    assert client.post(reverse("reviews:update_accept", args=[update.pk])).status_code == 302
    assert IndicatorFigure.objects.filter(indicator=indicator, value=Decimal("62.5")).exists()
    page = client.get(period.get_absolute_url()).content.decode()
    # 62.5 against 66 is 3.5 short: within the tolerance; 70 before it, so worsening.
    assert "62.5%" in page
    assert "Amber: close to target" in page
    assert "Worsening" in page
    assert "Not available" not in page


BEFORE_THE_QUARTER = datetime.datetime(2016, 3, 1, 10, tzinfo=datetime.UTC)
IN_THE_QUARTER = datetime.datetime(2016, 5, 2, 10, tzinfo=datetime.UTC)


@pytest.fixture
def quarter_of_changes(users, plan_records):
    """Q1 of the plan: one rating worsens, one action is completed, one target moves, one
    rating improves and five actions are rated for the first time."""
    admin, priority = users["administrator"], plan_records["priority"]

    def made(description, **fields):
        return plan_services.action_create(
            priority_indicator=priority,
            actor=admin,
            recorded_at=BEFORE_THE_QUARTER,
            description=description,
            **fields,
        )

    def changed(action, **fields):
        plan_services.action_update(
            action=action, actor=admin, recorded_at=IN_THE_QUARTER, **fields
        )

    changed(made("Worse", rag="green", status="on_track"), rag="red")
    changed(made("Done", status="on_track"), status="complete")
    changed(made("Moved", target_text="March 2017"), target_text="June 2017")
    changed(made("Better", rag="red"), rag="amber")
    for number in range(5):
        changed(made(f"First rating {number}"), rag="green" if number < 3 else "amber")
    return plan_records


def test_what_changed_is_grouped_by_outcome_with_significant_changes_first(quarter_of_changes):
    plan = quarter_of_changes["plan"]
    changes = changes_by_outcome(
        plan_changes_between(
            action_plan=plan, since=datetime.date(2016, 4, 1), until=datetime.date(2016, 7, 28)
        )
    )
    [significant] = changes["significant"]
    assert significant["name"] == quarter_of_changes["outcome"].short_name
    assert [(r["name"], r["change"], r["before"], r["after"]) for r in significant["rows"]] == [
        ("Worse", "RAG", "Green", "Red"),
        ("Moved", "Target", "March 2017", "June 2017"),
        ("Done", "Status", "On track", "Complete"),
    ]
    [other] = changes["other"]
    assert [(r["name"], r["before"], r["after"]) for r in other["rows"]] == [
        ("Better", "Red", "Amber")
    ]
    assert other["summaries"] == ["5 actions rated for the first time: 3 Green, 2 Amber"]
    assert changes["counts"]["rag_moved"] == 7


def test_the_dashboard_and_the_report_show_the_same_grouped_changes(
    client, users, quarter_of_changes
):
    period = quarter_of_changes["period"]
    client.force_login(users["chair"])
    page = client.get(period.get_absolute_url()).content.decode()
    first_ratings = "5 actions rated for the first time: 3 Green, 2 Amber"
    assert page.count(first_ratings) == 1
    assert "First rating 0" not in page  # summarised, not listed
    significant = page.index("Significant changes")
    assert significant < page.index(">Worse<", significant) < page.index("Other changes")
    assert page.index("Other changes") < page.index(">Better<")

    report = q1_report(users, period)
    data = report_data(report=report, as_at=timezone.now(), charts=False)
    assert data["changes"]["significant"][0]["rows"][0]["name"] == "Worse"
    html = render_to_string("reports/report_document.html", {"data": data, "report": report})
    assert html.count(first_ratings) == 1 and "First rating 0" not in html
    significant = html.index("Significant changes")
    assert significant < html.index("Worse", significant) < html.index("Other changes")
    text = word_text(word.report_docx(data))
    assert text.count(first_ratings) == 1 and "First rating 0" not in text
    significant = text.index("Significant changes")
    assert significant < text.index("Worse", significant) < text.index("Other changes")


def test_the_dashboard_shows_the_first_changes_and_links_to_the_rest(
    client, users, quarter_of_changes, monkeypatch
):
    """A long plan can change a thousand times a quarter: the dashboard lists the first few of
    each table, in the same order, says how many more there are and links to them all."""
    from reviews import selectors as review_selectors

    monkeypatch.setattr(review_selectors, "DASHBOARD_CHANGES", 2)
    period = quarter_of_changes["period"]
    client.force_login(users["chair"])
    page = client.get(period.get_absolute_url()).content.decode()
    significant = page.index("Significant changes")
    assert significant < page.index(">Worse<", significant) < page.index(">Moved<", significant)
    assert ">Done<" not in page  # the third significant change
    assert "And 1 more significant change: " in page
    assert ">Better<" in page and "And 1 more" in page and "more change:" not in page
    every_change = (
        reverse("actionplans:plan_changes", args=[period.action_plan_id])
        + "?since_0=1&amp;since_1=4&amp;since_2=2016&amp;until_0="
    )
    assert page.count(f'href="{every_change}') == 2  # "see every change", and at the foot
    assert "Done" in client.get(escape_url(page, every_change)).content.decode()


def escape_url(page, start):
    """The whole URL of a link whose address starts with `start`, as the browser opens it."""
    found = page[page.index(f'href="{start}') + len('href="') :]
    return found[: found.index('"')].replace("&amp;", "&")


def word_text(document):
    """Every paragraph of a Word file, its tables' cells included, in order."""
    doc = docx.Document(io.BytesIO(document))
    body = doc.element.body
    return "\n".join(node.text or "" for node in body.iter(qn("w:t")))


OLD_CHANGES = {
    "since": "2016-04-01",
    "until": "2016-07-28",
    "completed": ["Action 3"],
    "status_moved": [["Action 3", "On track", "Complete"]],
    "rag_moved": [["Visit every child", "Not rated", "Green"]],
    "added": [],
    "removed": [],
    "target_moved": [["Action 4", "March 2017", ""]],
}


def test_a_report_issued_before_changes_were_grouped_still_shows_them(users, plan_records):
    report = q1_report(users, plan_records["period"])
    data = report_data(report=report, as_at=timezone.now(), charts=False) | {"changes": OLD_CHANGES}
    html = render_to_string("reports/report_document.html", {"data": data, "report": report})
    assert "RAG for Visit every child: Not rated to Green" in html
    assert "Target for Action 4: March 2017 to not set" in html
    text = word_text(word.report_docx(data))
    assert "Visit every child: Not rated → Green" in text
    assert "Action 3: On track → Complete" in text


def test_the_dashboard_starts_with_an_overview_then_exceptions_then_each_outcome(
    client, users, plan_records, numeric_target
):
    """The Strategy Group's one screen: counts first, then what needs its attention."""
    period, action = plan_records["period"], plan_records["action"]
    plan_services.action_update(
        action=action,
        actor=users["administrator"],
        status="off_track",
        rag="red",
    )
    IndicatorFigure.objects.create(
        indicator=plan_records["indicator"],
        period_label="Q1 2016-17",
        period_end=period.ends_on,
        value=Decimal("50"),
    )
    client.force_login(users["chair"])
    response = client.get(period.get_absolute_url())
    page = response.content.decode()
    overview = response.context["overview"]
    assert overview["updates"] == [
        ("Not started", 0),
        ("Draft", 1),
        ("Submitted", 1),
        ("Returned", 0),
        ("Accepted", 0),
    ]
    assert ("Red", 1, 100, "red") in overview["actions_by_rag"]
    assert ("Off track", 1, 100, "off_track") in overview["actions_by_status"]
    assert ("Red: off target", 1, 100, "red") in overview["priorities"]
    positions = [
        page.index(f'id="{section}"') for section in ("overview", "exceptions", "changes")
    ] + [page.index('id="outcomes"')]
    assert positions == sorted(positions)
    # The exceptions are the committee report's: the red action, under its outcome.
    exceptions = page[page.index('id="exceptions"') : page.index('id="changes"')]
    assert escape(str(action)) in exceptions and "Off track, Red" in exceptions
    # The numbers are written beside the bars: colour is never the only signal.
    assert 'class="app-bar-table__count">1</span><svg class="app-bar"' in page
