"""Moving around the service with the GOV.UK service navigation: by keyboard at 1280 px, by the
Menu button at 320 px, and to the accessibility statement, help and contact from the footer
(issue 15, item 6). Axe checks each page; no page scrolls sideways at 320 px."""

import pytest

from lacstrategy import roles, services
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def testshire(transactional_db):
    services.council_save(
        actor=services.system_account(),
        name="Testshire County Council",
        support_email="strategy.help@testshire.example",
    )
    StrategyFactory()
    asha = UserFactory(username="a.patel", full_name="Asha Patel", roles=[roles.ADMINISTRATOR])
    asha.set_password(PASSWORD)
    asha.save()


def tab_to(page, name, *, within="", limit=60):
    """Press Tab from the top of the page until the link named `name` has the focus, then
    Enter, as a keyboard user would."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """within => {
                const el = document.activeElement;
                return (!within || el.closest(within)) ? el.textContent.trim() : "";
            }""",
            within,
        )
        if focused == name:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"{name} cannot be reached with the Tab key")


def current_item(page):
    item = page.locator(".govuk-service-navigation__item--active a")
    return item.inner_text().strip(), item.get_attribute("aria-current")


def fits_320(page, name):
    assert_accessible(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{name} is {width} px wide at 320 px"


def test_service_navigation_by_keyboard_and_by_the_menu_button(new_page, testshire):
    page = new_page()
    sign_in(page, "a.patel", PASSWORD)
    page.get_by_role("navigation", name="Menu").wait_for()
    assert current_item(page) == ("Home", "page")
    assert "Signed in as Asha Patel" in page.locator("header").inner_text()
    assert page.locator(".govuk-service-navigation__toggle").is_hidden()  # wide: no Menu button
    # An administrator's eight items on one line at 1280 px, not one left alone on a second.
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(tops) == 8 and len(set(tops)) == 1, tops
    assert_accessible(page, "chrome-01-home")

    for name, url in [
        ("Strategies", "/strategies/"),
        ("Recent changes", "/changes/"),
        ("People and roles", "/people/"),
    ]:
        tab_to(page, name, within=".govuk-service-navigation")
        page.wait_for_url(f"**{url}")
        assert current_item(page) == (name, "page")
    assert_accessible(page, "chrome-02-people")

    # Below a section's own page, the section stays marked (aria-current="true").
    page.get_by_role("link", name="Council settings").click()
    assert current_item(page) == ("People and roles", "true")
    page.get_by_role("group", name="Help and contact").wait_for()
    page.get_by_role("group", name="Accessibility statement").wait_for()
    assert_accessible(page, "chrome-03-council-settings")

    tab_to(page, "Accessibility statement", within="footer")
    page.get_by_role("heading", name="Accessibility statement for").wait_for()
    assert "axe-core" in page.locator("main").inner_text()
    assert_accessible(page, "chrome-04-accessibility-statement")

    tab_to(page, "Help", within="footer")
    page.get_by_role("heading", name="Help", level=1).wait_for()
    assert "strategy.help@testshire.example" in page.locator("main").inner_text()
    assert_accessible(page, "chrome-05-help")

    tab_to(page, "Contact", within="footer")
    page.get_by_role("heading", name="Contact", level=1).wait_for()
    assert_accessible(page, "chrome-06-contact")

    # On a phone the items fold under the Menu button.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    nav_link = page.locator(".govuk-service-navigation__list").get_by_role("link", name="Reports")
    assert nav_link.is_hidden()
    fits_320(page, "chrome-07-home-320")
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and nav_link.is_visible()
    fits_320(page, "chrome-08-menu-open-320")
    nav_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/")
    assert current_item(page) == ("Reports", "page")
    for url, name in [
        ("/council/", "council-settings"),
        ("/accessibility/", "accessibility-statement"),
        ("/help/", "help"),
        ("/contact/", "contact"),
    ]:
        page.goto(url)
        fits_320(page, f"chrome-09-{name}-320")

    # Before signing in: the service name, the footer's links and nothing to navigate.
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    assert page.get_by_role("navigation", name="Menu").count() == 0
    fits_320(page, "chrome-10-sign-in-320")
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    page.get_by_role("heading", name="Accessibility statement for").wait_for()
