"""The page chrome (issue 15, item 6): the GOV.UK service navigation, the footer's links, the
accessibility statement, help and contact pages, and the Council settings behind them."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from lacstrategy.models import Council
from lacstrategy.services import council_save
from tests.factories import StrategyFactory
from tests.test_council_words import WORDS, defaults_in, visible_text

pytestmark = pytest.mark.django_db

PUBLIC = ["/accessibility/", "/help/", "/contact/"]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def nav_items(html):
    """The service navigation's items: (text, aria-current or None)."""
    nav = re.search(r'<nav aria-label="Menu".*?</nav>', html, re.S).group(0)
    items = re.findall(r'<a class="govuk-service-navigation__link"([^>]*)>(.*?)</a>', nav, re.S)
    found = []
    for attrs, text in items:
        current = re.search(r'aria-current="(\w+)"', attrs)
        found.append((" ".join(re.sub(r"<[^>]+>", "", text).split()), current and current[1]))
    return found


def test_the_header_uses_the_service_navigation_not_the_header_s_own(client, users):
    client.force_login(users["viewer"])
    html = page(client, "/")
    assert "govuk-header__navigation" not in html
    assert 'data-module="govuk-service-navigation"' in html
    assert nav_items(html) == [
        ("Home", "page"),
        ("Strategies", None),
        ("My updates", None),
        ("You said, we did", None),
        ("Reports", None),
        ("Recent changes", None),
        ("Search", None),
    ]
    assert "govuk-service-navigation__item--active" in html
    assert "Signed in as" in html and "Change your password" in html and "Sign out" in html


def test_the_current_section_is_marked_on_pages_below_it(client, users):
    strategy = StrategyFactory()
    client.force_login(users["administrator"])
    assert ("Strategies", "page") in nav_items(page(client, "/strategies/"))
    assert ("Strategies", "true") in nav_items(page(client, strategy.get_absolute_url()))
    people = nav_items(page(client, reverse("council_settings")))
    assert ("People and roles", "true") in people
    assert [current for _, current in people].count(None) == len(people) - 1


def test_people_and_roles_is_offered_only_to_those_allowed(client, users):
    client.force_login(users["administrator"])
    assert ("People and roles", None) in nav_items(page(client, "/"))
    client.force_login(users["chair"])
    assert "People and roles" not in [text for text, _ in nav_items(page(client, "/"))]


def test_before_sign_in_the_header_names_the_service_and_there_is_nothing_to_navigate(
    client, users
):
    council_save(actor=users["administrator"], name="Testshire County Council")
    html = page(client, "/accounts/login/")
    header = html.split("<header")[1].split("</header>")[0]
    assert "Corporate Parenting Strategy" in header and "Testshire County Council" in header
    assert "govuk-service-navigation" not in html
    assert '<nav aria-label="Menu"' not in html
    assert "Sign out" not in html


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_every_footer_links_to_the_statement_help_contact_and_privacy(client, users, url):
    if url == "/":
        client.force_login(users["viewer"])
    footer = page(client, url).split('<footer class="govuk-footer"')[1]
    for href in [*PUBLIC, "/privacy/"]:
        assert f'href="{href}"' in footer, href


@pytest.mark.parametrize("url", PUBLIC)
def test_the_new_pages_are_public(client, url):
    assert client.get(url).status_code == 200


def test_the_statement_follows_the_model_and_says_how_the_service_was_tested(client, users):
    council_save(actor=users["administrator"], name="Testshire County Council")
    text = visible_text(page(client, "/accessibility/"))
    for heading in [
        "Accessibility statement for",
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service's accessibility",
        "Compliance status",
        "Non-accessible content",
        "How this service was tested",
        "Preparation of this accessibility statement",
    ]:
        assert heading in text, heading
    assert "Testshire County Council is committed to making" in text
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2)" in text
    assert "Equality Advisory and Support Service" in text  # the default enforcement text
    versions = (Path(settings.BASE_DIR) / "static/vendor/VERSIONS.txt").read_text()
    axe = re.search(r"axe-core (\S+)", versions)[1]
    assert f"axe-core {axe}" in text
    assert "WCAG 2.2" in text and "320" in text and "keyboard" in text
    assert "partially compliant" in text  # until the council says otherwise


def test_the_statement_names_the_rules_the_browser_tests_run():
    from lacstrategy.accessibility import AXE_RULE_TAGS

    conftest = (Path(settings.BASE_DIR) / "tests/browser/conftest.py").read_text()
    for tag in AXE_RULE_TAGS:
        assert f'"{tag}"' in conftest, tag


def test_an_administrator_edits_the_council_s_parts_and_the_history_keeps_who_and_why(
    client, users
):
    council_save(actor=users["administrator"], name="Testshire County Council")
    client.force_login(users["administrator"])
    form = page(client, reverse("council_settings"))
    assert "Help and contact" in form and "Accessibility statement" in form
    data = {
        "name": "Testshire County Council",
        "service_name": "Corporate Parenting Strategy",
        "seen_version": Council.objects.get().version,
        "change_reason": "Our statement",
        "support_email": "help@testshire.example",
        "support_phone": "0115 000 0000",
        "support_url": "https://intranet.testshire.example/strategy",
        "accessibility_contact": "accessibility@testshire.example",
        "accessibility_compliance": "partial",
        "accessibility_known_issues": "Some older PDFs are not tagged.",
        "accessibility_enforcement": "Contact the Equality Advisory and Support Service.",
        "accessibility_prepared_0": "1",
        "accessibility_prepared_1": "9",
        "accessibility_prepared_2": "2026",
        "accessibility_reviewed_0": "2",
        "accessibility_reviewed_1": "12",
        "accessibility_reviewed_2": "2026",
        "small_numbers_below": 5,
        **{name: getattr(Council(), name) for name in WORDS if name != "service_name"},
    }
    response = client.post(reverse("council_settings"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    council = Council.objects.get()
    assert council.support_email == "help@testshire.example"
    assert council.accessibility_prepared == datetime.date(2026, 9, 1)
    latest = council.history.first()
    assert latest.history_user == users["administrator"]
    assert latest.history_change_reason == "Our statement"
    assert latest.accessibility_known_issues == "Some older PDFs are not tagged."
    assert latest.support_phone == "0115 000 0000"

    client.logout()
    text = visible_text(page(client, "/accessibility/"))
    assert "accessibility@testshire.example" in text
    assert "Some older PDFs are not tagged." in text
    assert "prepared on 1 September 2026" in text and "last reviewed on 2 December 2026" in text
    contact = page(client, "/contact/")
    assert 'href="mailto:help@testshire.example"' in contact
    assert "0115 000 0000" in contact
    assert 'href="https://intranet.testshire.example/strategy"' in contact


def test_with_no_contact_the_pages_say_so_and_nudge_an_administrator(client, users):
    council_save(actor=users["administrator"], name="Testshire County Council")
    for url in ["/contact/", "/accessibility/"]:
        html = page(client, url)
        assert "has not yet given" in visible_text(html), url
        assert reverse("council_settings") not in html.split("<main")[1], url
    client.force_login(users["administrator"])
    for url in ["/contact/", "/accessibility/", "/help/"]:
        main = page(client, url).split("<main")[1]
        assert f'href="{reverse("council_settings")}#' in main, url


def test_help_describes_the_cycle_in_the_council_s_words(client, users):
    council_save(actor=users["administrator"], name="Testshire County Council", **WORDS)
    text = visible_text(page(client, "/help/"), cells=True)
    assert WORDS["review_group"] in text and WORDS["committee"] in text
    assert f"{WORDS['outcome_singular'].capitalize()} owners" in text
    assert not defaults_in(text), defaults_in(text)
    assert "Contact" in text
