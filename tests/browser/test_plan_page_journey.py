"""An outcome owner finds her way round the 2016-17 plan by keyboard: the contents, her own
actions filtered to a RAG rating, clearing the filter and back to the top (issue 15, item 4)."""

import pytest
from django.db.models import Q

from actionplans.models import Action, ActionPlan
from lacstrategy.demo import DEMO_PASSWORD
from lacstrategy.models import User
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = "katie.warner"
SAFE = "Looked after children and care leavers are safe"


def press(locator, key="Enter"):
    """Move the keyboard focus to a control and press a key, as a keyboard user would."""
    locator.focus()
    locator.press(key)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_owner_uses_contents_filters_to_her_green_actions_clears_and_goes_back_to_top(
    new_page, demo_site
):
    plan = ActionPlan.objects.get(financial_year_start=2016)
    owner = User.objects.get(username=OWNER)
    hers = (
        Action.objects.filter(priority_indicator__action_plan=plan, rag="green")
        .filter(Q(priority_indicator__indicator__outcome__owners=owner) | Q(lead_users=owner))
        .distinct()
    )
    expected = hers.count()
    assert 0 < expected < Action.objects.filter(priority_indicator__action_plan=plan).count()

    page = new_page()
    sign_in(page, OWNER, DEMO_PASSWORD)
    page.goto(plan.get_absolute_url())
    page.get_by_role("heading", name="Annual Action Plan 2016-17").wait_for()
    # The contents and the summary come before the tools and the plan itself.
    order = page.evaluate(
        """() => ["contents-heading", "plan-tools-heading", "filter-heading", "outcome-1"]
            .map(id => document.getElementById(id).getBoundingClientRect().top + scrollY)"""
    )
    assert order == sorted(order)
    summary = page.get_by_role("table", name="Progress by outcome")
    assert summary.get_by_role("columnheader", name="Not rated").is_visible()
    assert_accessible(page, "plan-page-1280")

    # Contents: Tab from the first outcome's link to the second, and follow it.
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == SAFE
    page.keyboard.press("Enter")
    page.wait_for_url("**#outcome-2")
    assert page.get_by_role("heading", name=SAFE).is_visible()

    # Back to top from the end of that section.
    press(page.locator("#outcome-2").get_by_role("link", name="Back to top"))
    page.wait_for_url("**#top")
    # The top of the plan is at the top of the window again.
    assert abs(page.evaluate("document.getElementById('top').getBoundingClientRect().top")) < 5

    # Filter to my actions rated green, without JavaScript doing the work: a GET form.
    press(page.get_by_role("checkbox", name="Only my actions"), " ")
    press(page.get_by_role("checkbox", name="Green", exact=True), " ")
    press(page.get_by_role("button", name="Apply filters"))
    page.wait_for_url("**mine=on**")
    assert "rag=green" in page.url
    result = page.locator("#filter-result").inner_text()
    assert result == f"{expected} action{'s match' if expected > 1 else ' matches'} the filters"
    rows = page.locator(".app-plan-table tbody tr")
    assert rows.count() == expected
    for index in range(expected):
        assert "RAG: Green" in rows.nth(index).inner_text()
    assert page.get_by_role("checkbox", name="Only my actions").is_checked()
    assert_accessible(page, "plan-page-mine-green-1280")

    page.set_viewport_size({"width": 320, "height": 800})
    assert no_sideways_scroll(page)
    assert_accessible(page, "plan-page-mine-green-320")

    # Clear the filters: the whole plan again.
    press(page.get_by_role("link", name="Clear filters").first)
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    assert page.locator("#filter-result").count() == 0
    assert page.locator(".app-plan-table tbody tr").count() == (
        Action.objects.filter(priority_indicator__action_plan=plan).count()
    )
    assert no_sideways_scroll(page)
    assert_accessible(page, "plan-page-320")


def test_a_filter_that_cannot_be_used_is_explained(new_page, demo_site):
    plan = ActionPlan.objects.get(financial_year_start=2016)
    page = new_page()
    sign_in(page, "viewer", DEMO_PASSWORD)
    page.goto(f"{plan.get_absolute_url()}?rag=purple&outcome=999")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    # The error links to the field, and the whole plan still shows.
    press(summary.get_by_role("link").first)
    assert page.locator("#filter-result").count() == 0
    assert page.get_by_role("heading", name=SAFE).is_visible()
    assert_accessible(page, "plan-page-filter-error")
