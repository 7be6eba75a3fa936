"""The home page tells each person what needs them, and takes them straight to it: the demo's
outcome owner to her overdue update, the chair to the update waiting for a decision, and a
fresh install's administrator to what is not set up. At 1280 and 320 px, with no sideways
scroll on a phone."""

import io

import pytest
from django.core.management import call_command

from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase"


def at_both_widths(page, name):
    """Screenshots at 1280 and 320 px; at 320 px the page must not scroll sideways."""
    assert_accessible(page, f"{name}-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{name} is {width} px wide at 320 px"
    assert_accessible(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


def test_the_owner_is_told_her_update_is_overdue_and_goes_to_it(new_page, demo_site):
    page = new_page()
    sign_in(page, "izzy.martin", DEMO_PASSWORD)  # owns outcome 6, not started in Q2
    assert "is overdue" in banner(page)
    tasks = page.locator("#your-updates + .govuk-task-list").inner_text()
    assert "Not started" in tasks and "Overdue" in tasks
    assert "The LAC Strategy Group meeting was set for" in page.locator("main").inner_text()
    at_both_widths(page, "home-owner")
    page.locator(".govuk-notification-banner").get_by_role(
        "link", name="Fill in the update"
    ).click()
    page.get_by_role("button", name="Save and check your answers").wait_for()


def test_a_returned_update_shows_the_chair_s_comment(new_page, demo_site):
    page = new_page()
    sign_in(page, "sue.denholm", DEMO_PASSWORD)  # outcome 3, returned in Q2
    assert "Please add the latest termly tracking figures" in page.locator("main").inner_text()
    actions = page.locator("#your-actions + p + .govuk-task-list")
    assert actions.count() in (0, 1)
    at_both_widths(page, "home-returned")


def test_an_owner_goes_to_an_action_she_leads_that_is_at_risk(new_page, demo_site):
    page = new_page()
    sign_in(page, "katie.warner", DEMO_PASSWORD)  # leads action 8 of outcome 1: at risk
    actions = page.locator("#your-actions ~ .govuk-task-list").first
    assert "you lead it" in actions.inner_text() and "At risk" in actions.inner_text()
    at_both_widths(page, "home-owner-actions")
    actions.locator("a").first.click()
    page.get_by_role("heading", name="Change history").wait_for()


def test_the_chair_goes_to_the_update_waiting_for_a_decision(new_page, demo_site):
    page = new_page()
    sign_in(page, "chair", DEMO_PASSWORD)
    assert "waiting for your decision" in banner(page)
    decisions = page.locator("#decisions ~ .govuk-task-list").first.inner_text()
    assert "Submitted" in decisions
    at_both_widths(page, "home-chair")
    page.locator(".govuk-notification-banner").get_by_role(
        "link", name="Accept or return it"
    ).click()
    page.get_by_role("button", name="Accept").wait_for()
    assert_accessible(page, "home-chair-decision")


def test_the_administrator_of_a_fresh_install_sees_what_is_not_set_up(
    new_page, live_server, monkeypatch
):
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    call_command(
        "setup_council",
        "--no-input",
        "--name=Testshire County Council",
        "--username=a.patel",
        "--full-name=Asha Patel",
        "--job-title=Systems Officer",
        "--email=a.patel@testshire.example",
        stdout=io.StringIO(),
    )
    page = new_page()
    sign_in(page, "a.patel", PASSWORD)
    assert "not set up yet" in banner(page)
    setup = page.locator("#setup ~ .govuk-task-list").first.inner_text()
    assert "Add the strategy" in setup and "Choose the chair" in setup
    at_both_widths(page, "home-admin-fresh")
    page.get_by_role("link", name="Add the strategy").click()
    page.wait_for_url("**/strategies/new/")


def test_people_and_recent_changes_for_the_demo_administrator(new_page, demo_site):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    at_both_widths(page, "home-admin-demo")
    page.goto("/people/")
    assert "Chairs the LAC Strategy Group" in page.locator("main").inner_text()
    at_both_widths(page, "people-list")
    page.goto("/changes/?kind=action")
    assert " from " in page.locator(".app-change-list").inner_text()
    at_both_widths(page, "recent-changes")
    page.goto("/changes/?kind=person")
    system = page.locator(".app-change-list").get_by_text("Automatic (system)").first
    assert system.evaluate("node => node.closest('a')") is None
