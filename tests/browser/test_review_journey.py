"""The quarterly cycle in the browser: an owner submits, the chair returns it, the owner
resubmits, the chair accepts, and the dashboard and the plan show the result."""

import pytest

from actionplans.models import Action
from lacstrategy.demo import DEMO_PASSWORD
from reviews.models import OutcomeUpdate, ReviewPeriod
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def q2(demo_site):
    return ReviewPeriod.objects.get(quarter=2)


def test_update_submitted_returned_resubmitted_and_accepted(new_page, q2):
    owner, chair = new_page(), new_page()
    sign_in(owner, "izzy.martin", DEMO_PASSWORD)  # owns outcome 6, not started in Q2
    sign_in(chair, "chair", DEMO_PASSWORD)

    owner.get_by_role("link", name="My updates").click()
    owner.get_by_role("heading", name="My updates").wait_for()
    task = owner.locator(".govuk-task-list__item")
    assert "Not started" in task.inner_text() and "Overdue" in task.inner_text()
    assert_accessible(owner, "20-my-updates")

    owner.get_by_role(
        "link",
        name="Outcome 6: Looked after children and care leavers build positive relationships",
    ).click()
    owner.get_by_role("button", name="Save and check your answers").wait_for()
    assert "Last quarter:" in owner.locator("main").inner_text()
    assert_accessible(owner, "21-update-form")

    # Each action and priority starts as last quarter's answer (issue 15): without the
    # summary, the check page asks for the overall rating and the summary only.
    owner.get_by_role("button", name="Save and check your answers").click()
    owner.get_by_role("heading", name="Check your answers before submitting your update").wait_for()
    problems = owner.locator(".govuk-error-summary").inner_text()
    assert "Choose an overall RAG rating" in problems and "Write a summary" in problems
    assert "Choose a status" not in problems
    assert_accessible(owner, "22-check-answers-incomplete")

    owner.get_by_role("link", name="Write a summary of progress for the outcome").click()
    owner.get_by_label("Summary of progress").fill(
        "Contact arrangements reviewed at every LAC review."
    )
    owner.locator("input[name='outcome-overall_rag'][value='green']").check()
    owner.get_by_role("button", name="Save and check your answers").click()
    owner.get_by_role("button", name="Submit update").click()
    owner.locator(".govuk-notification-banner--success").wait_for()
    assert "Submitted" in owner.locator(".govuk-task-list").inner_text()

    update = OutcomeUpdate.objects.get(period=q2, outcome__number=6)
    chair.goto(update.get_absolute_url())
    assert_accessible(chair, "23-update-for-the-chair")
    chair.get_by_role("link", name="Return it to the owner").click()
    chair.get_by_role("button", name="Return the update").click()
    assert (
        "Enter what the owner needs to change" in chair.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(chair, "24-return-error")
    chair.get_by_label("What does the owner need to change?").fill(
        "Say how many children were visited out of area."
    )
    chair.get_by_role("button", name="Return the update").click()
    chair.locator(".govuk-notification-banner--success").wait_for()

    owner.get_by_role("link", name="My updates").click()
    assert (
        "Say how many children were visited out of area."
        in owner.locator(".govuk-task-list").inner_text()
    )
    owner.get_by_role(
        "link",
        name="Outcome 6: Looked after children and care leavers build positive relationships",
    ).click()
    owner.get_by_label("Summary of progress").fill(
        "23 of 31 children placed out of area were visited this quarter."
    )
    owner.locator("input[name$='-change'][value='changed']").first.check()
    owner.locator("input[name$='-status'][value='at_risk']").first.check()
    owner.locator("input[name$='-rag'][value='amber']").first.check()
    owner.get_by_role("button", name="Save and check your answers").click()
    owner.get_by_role("button", name="Submit update").click()
    owner.locator(".govuk-notification-banner--success").wait_for()

    chair.goto(update.get_absolute_url())
    chair.get_by_role("button", name="Accept the update").click()
    chair.get_by_role("heading", name="Q2 review: July to September 2016").wait_for()
    row = chair.locator(".app-dashboard-table tr", has_text="build positive relationships")
    assert "Accepted" in row.inner_text()
    assert_accessible(chair, "25-dashboard")

    chair.get_by_role(
        "link", name="6. Looked after children and care leavers build positive relationships"
    ).click()
    assert "Actions, those that moved to red or amber first" in chair.locator("main").inner_text()
    assert_accessible(chair, "26-outcome-review")

    first_action = (
        Action.objects.filter(priority_indicator__indicator__outcome__number=6)
        .order_by("order")
        .first()
    )
    assert (first_action.status, first_action.rag) == ("at_risk", "amber")
    chair.goto(f"/plans/{q2.action_plan_id}/#outcome-6")
    plan_row = chair.locator("#outcome-6 tbody tr").first.inner_text()
    assert "At risk" in plan_row and "RAG: Amber" in plan_row


def test_participation_worker_records_the_councils_comments(new_page, q2):
    page = new_page()
    sign_in(page, "participation", DEMO_PASSWORD)
    page.goto(q2.get_absolute_url())
    page.get_by_role("link", name="Record what children and young people said").click()
    assert_accessible(page, "27-council-comments-form")
    # From the quarter's dashboard: heard at the children's council, for this quarter.
    assert page.get_by_role("radio", name="Children in Care Council meeting").is_checked()
    page.get_by_role("textbox", name="Day").fill("4")
    page.get_by_role("textbox", name="Month").fill("10")
    page.get_by_role("textbox", name="Year").fill("2016")
    page.get_by_label("What they said").fill("Write pathway plans with us, not about us.")
    page.get_by_role("button", name="Save the view").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    page.goto(q2.get_absolute_url())
    assert (
        "Write pathway plans with us"
        in page.locator("#views ~ .govuk-summary-card").last.inner_text()
    )


def test_administrator_changes_dates_and_closes_the_quarter(new_page, q2):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto(q2.get_absolute_url())
    page.get_by_role("link", name="Change the dates").click()
    assert_accessible(page, "28-period-dates")
    page.locator("#id_meeting_on_0").fill("1")
    page.locator("#id_meeting_on_1").fill("10")
    page.get_by_role("button", name="Save").click()
    assert (
        "must be on or after the date updates are due"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.locator("#id_meeting_on_0").fill("3")
    page.locator("#id_meeting_on_1").fill("11")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    page.get_by_role("link", name="Close the period").click()
    assert_accessible(page, "29-close-period")
    page.get_by_role("button", name="Close the period").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    q2.refresh_from_db()
    assert q2.status == "closed" and q2.meeting_on.isoformat() == "2016-11-03"
