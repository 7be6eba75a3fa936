"""An outcome owner updates an action of the 2016-17 plan and sees it in the history."""

import pytest

from actionplans.models import Action
from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ACTION_TEXT = "Children and young people to be seen alone and away from the placement"


@pytest.fixture
def demo(demo_site):
    return Action.objects.get(description__startswith=ACTION_TEXT)


def test_outcome_owner_changes_an_action_status_and_sees_it_in_history(new_page, demo):
    page = new_page()
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    assert_accessible(page, "01-sign-in")

    sign_in(page, "katie.warner", DEMO_PASSWORD)
    page.get_by_role("heading", name="Looked After Children and Care Leavers Strategy").wait_for()
    assert_accessible(page, "02-home")

    page.get_by_role("link", name="Action plan 2016-17").click()
    page.get_by_role("heading", name="Annual Action Plan 2016-17").wait_for()
    assert page.get_by_role(
        "heading", name="Looked after children and care leavers are safe"
    ).is_visible()
    assert_accessible(page, "03-action-plan")

    page.get_by_role("link", name="Update action 1 of outcome 2").click()
    page.get_by_role("heading", name="Edit the action").wait_for()
    assert_accessible(page, "04-action-form")

    # By keyboard: choose the status and RAG with the space bar, submit with Enter.
    page.get_by_role("radio", name="At risk", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("radio", name="Amber", exact=True).focus()
    page.keyboard.press("Space")
    reason = page.get_by_label("Why are you making this change? (optional)")
    reason.focus()
    page.keyboard.type("Q3: two children not seen alone at their last visit")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Action", exact=True).wait_for()
    banner = page.locator(".govuk-notification-banner--success")
    assert "saved" in banner.inner_text()
    latest = page.locator("#history-heading + ol > li").first.inner_text()
    assert "by Katie Warner" in latest
    assert "Q3: two children not seen alone at their last visit" in latest
    assert "On track\tAt risk" in latest and "Green\tAmber" in latest
    assert_accessible(page, "05-action-with-history")

    demo.refresh_from_db()
    assert (demo.status, demo.rag) == ("at_risk", "amber")


def test_participation_worker_cannot_edit_the_action(new_page, demo):
    page = new_page()
    sign_in(page, "participation", DEMO_PASSWORD)
    page.get_by_role("heading", name="Looked After Children and Care Leavers Strategy").wait_for()
    response = page.goto(f"/actions/{demo.pk}/edit/")
    assert response.status == 403
    assert page.get_by_role("heading", name="You do not have permission to do this").is_visible()
    assert_accessible(page, "06-forbidden")

    page.goto(f"/plans/{demo.priority_indicator.action_plan_id}/")
    assert page.get_by_role("link", name="Update action 1 of outcome 2").count() == 0
