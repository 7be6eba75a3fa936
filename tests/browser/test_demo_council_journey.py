"""Westmere's priority owner submits a quarterly update in which a focus area with no figure (a
qualitative one) has only a comment: no figure and no "not available" reason (issue 13). The
form, the check page and the submit button are used by keyboard, at 1280 and 320 pixels."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from lacstrategy.demo import DEMO_PASSWORD
from reviews.models import IndicatorUpdate, OutcomeUpdate, ReviewPeriod
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/demo13-shots")
PRIORITY_11 = "Priority 11: Children and young people in care are heard and shape our services"
WORDS = "The Youth Voice Council chose the questions for the new advocacy service."


@pytest.fixture
def q2(transactional_db):
    call_command("load_demo", council="westmere", on_a_live_site=True, stdout=io.StringIO())
    return ReviewPeriod.objects.get(quarter=2)


def shots(page, name):
    """The page at desktop and phone widths, to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def press_tab_until(page, name, limit=250):
    """Move the keyboard focus forward until it is on the button called `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText")
        if focused and focused.strip() == name:
            return
    raise AssertionError(f"The keyboard never reached {name!r}")


def test_owner_reports_a_qualitative_focus_area_in_words_only(new_page, q2):
    owner = new_page()
    sign_in(owner, "gareth.ellis", DEMO_PASSWORD)  # owns priority 11, not started in Q2
    owner.get_by_role("link", name="My updates").click()
    owner.get_by_role("link", name=PRIORITY_11).click()
    owner.get_by_role("button", name="Save and check your answers").wait_for()

    main = owner.locator("main")
    assert "Young people's views change what we do" in main.inner_text()
    comment = owner.get_by_label("What has happened on this focus area this quarter")
    assert comment.count() == 1
    # No figure to give, so nothing to mark as not available.
    assert owner.locator("input[name$='-value'], input[name$='-not_available']").count() == 0
    assert_accessible(owner, "westmere-update-form")
    shots(owner, "1-update-form")

    # Each item starts as "no change since last quarter"; here everything has changed.
    for radio in owner.locator("input[name$='-change'][value='changed']").all():
        radio.check()
    for radio in owner.locator("input[name$='-status'][value='on_track']").all():
        radio.check()
    for radio in owner.locator("input[name$='-rag'][value='green']").all():
        radio.check()
    owner.locator("input[name='outcome-overall_rag'][value='green']").check()
    owner.get_by_label("Summary of progress").fill(
        "Monthly meetings held; interview panels planned."
    )
    comment.fill(WORDS)
    comment.focus()
    press_tab_until(owner, "Save and check your answers")
    owner.keyboard.press("Enter")

    owner.get_by_role("heading", name="Check your answers before submitting your update").wait_for()
    assert owner.locator(".govuk-error-summary").count() == 0
    assert WORDS in owner.locator("main").inner_text()
    assert_accessible(owner, "westmere-check-answers")
    shots(owner, "2-check-answers")

    owner.locator("h1").focus()
    press_tab_until(owner, "Submit update")
    owner.keyboard.press("Enter")
    owner.locator(".govuk-notification-banner--success").wait_for()
    assert "Submitted" in owner.locator(".govuk-task-list").inner_text()
    assert_accessible(owner, "westmere-submitted")
    shots(owner, "3-submitted")

    update = OutcomeUpdate.objects.get(period=q2, outcome__number=11)
    assert update.status == "submitted"
    entry = IndicatorUpdate.objects.get(outcome_update=update)
    assert (entry.value, entry.not_available, entry.not_available_reason) == (None, False, "")
    assert entry.comment == WORDS
