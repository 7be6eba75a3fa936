"""Two people editing one action in two browsers; the history pages an administrator uses."""

import pytest

from actionplans.models import Action
from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SEEN_ALONE = "Children and young people to be seen alone and away from the placement"


@pytest.fixture
def demo(demo_site):
    return Action.objects.get(description__startswith=SEEN_ALONE)


def test_two_people_save_the_same_action_and_nothing_is_lost(new_page, demo):
    owner, member = new_page(), new_page()
    sign_in(owner, "katie.warner", DEMO_PASSWORD)
    sign_in(member, "member", DEMO_PASSWORD)
    edit = f"/actions/{demo.pk}/edit/"
    owner.goto(edit)
    member.goto(edit)

    owner.get_by_role("radio", name="Complete", exact=True).check()
    owner.get_by_role("button", name="Save").click()
    owner.locator(".govuk-notification-banner--success").wait_for()

    member.get_by_role("radio", name="Off track", exact=True).check()
    member.get_by_role("radio", name="Red", exact=True).check()
    member.get_by_label("Why are you making this change? (optional)").fill("Police concerns")
    member.get_by_role("button", name="Save").click()
    member.get_by_role(
        "heading", name="Someone else changed this action while you were editing it"
    ).wait_for()
    what_they_changed = member.locator("#changes").inner_text()
    assert "Katie Warner" in what_they_changed and "Complete" in what_they_changed
    assert member.get_by_role(
        "radio", name="Off track", exact=True
    ).is_checked()  # their own input is kept
    assert member.get_by_label("Why are you making this change? (optional)").input_value() == (
        "Police concerns"
    )
    assert_accessible(member, "10-conflict")

    member.get_by_role("button", name="Save").click()  # re-apply, knowingly
    member.locator(".govuk-notification-banner--success").wait_for()
    demo.refresh_from_db()
    assert (demo.status, demo.rag) == ("off_track", "red")
    history = member.locator("#history-heading + ol").inner_text()
    assert history.index("Jordan Lee") < history.index("Katie Warner")  # both saves, newest first


def test_history_pages_for_an_administrator(new_page, demo):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)

    page.get_by_role("link", name="Recent changes").first.click()
    page.get_by_role("heading", name="Recent changes").wait_for()
    assert "Katie Warner" in page.locator(".app-change-list").inner_text()
    assert_accessible(page, "11-recent-changes")

    page.locator("#id_person").select_option(label="Kathryn Higgins")
    page.get_by_role("button", name="Apply filters").click()
    changes = page.locator(".app-change-list").inner_text()
    assert "Kathryn Higgins" in changes and "Katie Warner" not in changes
    assert_accessible(page, "12-recent-changes-filtered")

    page.locator(".app-change-list a").first.click()
    page.locator("#changes").wait_for()
    assert "Reason: Q2 update" in page.locator("#changes").inner_text()
    assert_accessible(page, "13-action-changes")

    page.get_by_role("link", name="Put the record back as it was after this change").first.click()
    assert "Put the action back as it was" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Put it back").click()
    assert "Enter the reason" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "14-revert-error")
    page.get_by_label("Why are you putting it back?").fill("Q2 update was entered early")
    page.get_by_role("button", name="Put it back").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    page.goto("/changes/deleted/")
    assert_accessible(page, "15-deleted-records")
    page.get_by_role("link", name="Restore").first.click()
    assert_accessible(page, "16-restore")
    page.get_by_label("Why are you restoring it?").fill("Checking restore works")
    page.get_by_role("button", name="Restore it").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    plan = demo.priority_indicator.action_plan_id
    q2 = "since_0=1&since_1=7&since_2=2016&until_0=30&until_1=9&until_2=2016"
    page.goto(f"/plans/{plan}/changes/?{q2}")
    assert "Status changes" in page.locator("main").inner_text()
    assert_accessible(page, "17-plan-changes")

    page.goto("/people/sign-ins/")
    assert "Signed in" in page.locator("main").inner_text()
    assert_accessible(page, "18-sign-ins")
