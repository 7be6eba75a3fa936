"""'You said, we did': the participation worker records what children said and what was done,
by keyboard, at 1280 px; an outcome owner reads it on a 320 px phone."""

import pytest

from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from voices.models import Voice, VoiceResponse

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_view_and_its_response_recorded_by_keyboard(new_page, demo_site):
    page = new_page()
    sign_in(page, "participation", DEMO_PASSWORD)
    page.get_by_role("link", name="You said, we did").click()
    page.get_by_role("heading", name="You said, we did", level=1).wait_for()
    assert "illustrative" in page.locator(".govuk-inset-text").inner_text()
    assert page.locator(".govuk-summary-card").count() == Voice.objects.count()
    assert_accessible(page, "voices-01-you-said-we-did")

    page.get_by_role("link", name="Record a view").click()
    page.get_by_label("What they said").focus()
    page.keyboard.type("We want to choose the colour of our bedroom walls.")
    page.get_by_role("radio", name="Survey").focus()
    page.keyboard.press("Space")
    page.get_by_label("Which meeting, survey or consultation").focus()
    page.keyboard.type("Bedrooms survey")
    page.get_by_label("Day").focus()
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("2016")
    page.get_by_role("checkbox", name="Outcome 6:").focus()
    page.keyboard.press("Space")
    # The long lists are folded away: opened from the keyboard.
    page.locator("summary").filter(has_text="Actions it is about (optional)").focus()
    page.keyboard.press("Enter")
    actions = page.locator("details").filter(has_text="Actions it is about")
    actions.get_by_role("checkbox").first.focus()
    page.keyboard.press("Space")
    assert_accessible(page, "voices-02-record-a-view")
    page.get_by_role("button", name="Save the view").focus()
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    voice = Voice.objects.get(source_name="Bedrooms survey")
    assert [o.number for o in voice.outcomes.all()] == [6] and voice.actions.count() == 1
    assert "No response yet" in page.locator("main").inner_text()
    assert_accessible(page, "voices-03-view")

    page.get_by_role("link", name="Record what we did").click()
    page.get_by_label("What we did or will do").focus()
    page.keyboard.type("You can choose from four colours when your room is decorated.")
    page.get_by_label("Who is doing it").focus()
    page.keyboard.type("Residential Services Manager")
    page.get_by_role("radio", name="Done").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save the response").focus()
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert VoiceResponse.objects.get(voice=voice).status == "done"
    assert "Done" in page.locator(".govuk-tag").first.inner_text()

    page.get_by_role("link", name="You said, we did").first.click()
    page.get_by_label("Response").select_option("done")
    page.get_by_role("button", name="Show views").click()
    page.wait_for_url("**status=done**")
    cards = page.locator(".govuk-summary-card")
    assert cards.count() == VoiceResponse.objects.filter(status="done").count()
    assert "We want to choose the colour" in page.locator("main").inner_text()
    assert_accessible(page, "voices-04-filtered")


def test_an_owner_reads_what_was_said_on_a_phone(new_page, demo_site):
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, "viewer", DEMO_PASSWORD)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="You said, we did").click()
    page.get_by_role("heading", name="You said, we did", level=1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "voices-05-you-said-we-did-320")
    page.get_by_role("link", name="See the view").first.click()
    page.get_by_role("heading", name="What children and young people said").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "voices-06-view-320")
