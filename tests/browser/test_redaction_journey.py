"""An administrator removes a child's name from an action and its history, by keyboard."""

import pytest

from actionplans.models import Action
from actionplans.services import action_update
from lacstrategy.demo import DEMO_PASSWORD
from lacstrategy.models import User
from reports.models import CommitteeReport
from tests.browser.conftest import assert_accessible, focused_error_summary, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SEEN_ALONE = "Children and young people to be seen alone and away from the placement"
NAME = "Kayden Smith"


@pytest.fixture
def named(demo_site):
    """A member wrote a child's name in an action's comment, and saved it twice; the issued
    report has it too."""
    member = User.objects.get(username="member")
    action = Action.objects.get(description__startswith=SEEN_ALONE)
    action_update(action=action, actor=member, comment=f"{NAME} was not seen alone")
    action = Action.objects.get(pk=action.pk)
    action_update(action=action, actor=member, comment=f"{NAME} was not seen alone in July")
    issued = CommitteeReport.objects.get(status=CommitteeReport.Status.ISSUED)
    CommitteeReport.objects.filter(pk=issued.pk).update(
        issued_html=issued.issued_html.replace("</body>", f"<p>{NAME}</p></body>")
    )
    return Action.objects.get(pk=action.pk)


def assert_fits_a_phone(page, name):
    """At 320 px: no sideways scrolling, and axe-core again."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    assert_accessible(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_redacts_a_name_through_preview_and_confirm(new_page, named):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="People and roles").first.click()
    page.get_by_role("link", name="Redact text").click()
    page.get_by_role("heading", name="Redactions").wait_for()
    assert_accessible(page, "69-redactions")
    page.get_by_role("link", name="Redact text").click()
    page.get_by_role("heading", name="Redact text").wait_for()
    assert_accessible(page, "70-redact-text")
    assert_fits_a_phone(page, "70-redact-text")

    page.get_by_role("button", name="Find the text").press("Enter")  # nothing typed yet
    errors = focused_error_summary(page).inner_text()
    assert "Enter the text to remove" in errors and "Enter why you are removing it" in errors
    assert_accessible(page, "71-redact-text-errors")

    page.get_by_label("Text to remove").focus()
    page.keyboard.type(NAME.lower())
    page.keyboard.press("Tab")  # the replacement keeps its "[redacted]"
    assert page.evaluate("document.activeElement.id") == "id_replacement"
    page.keyboard.press("Tab")
    page.keyboard.type("A child was named in an action's comment")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Check what will be removed").wait_for()
    records = page.locator(".app-redaction-table").inner_text()
    assert "Comment: 1 time now, and in 2 versions in the history" in records
    page.get_by_role(
        "heading", name="Issued reports that hold it: these will not change"
    ).wait_for()
    assert page.get_by_role("link", name="version 1, issued").is_visible()
    assert_accessible(page, "72-redact-text-preview")
    assert_fits_a_phone(page, "72-redact-text-preview")

    page.get_by_role("button", name="Remove the text").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Redaction of").wait_for()
    assert "The text was removed" in page.locator(".govuk-notification-banner").inner_text()
    assert NAME.lower() not in page.content().lower()
    assert_accessible(page, "73-redaction-recorded")
    assert_fits_a_phone(page, "73-redaction-recorded")

    page.get_by_role("link", name="All redactions").click()
    assert "A child was named in an action's comment" in page.locator("table").inner_text()
    assert_accessible(page, "69-redactions-after")

    page.goto(named.get_absolute_url())
    history = page.locator("#changes").inner_text()
    assert "Text redacted: A child was named in an action's comment" in history
    assert NAME.lower() not in page.content().lower()
    assert "[redacted] was not seen alone in July" in page.content()
    assert_accessible(page, "74-action-after-redaction")
