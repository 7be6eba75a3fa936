"""GOV.UK's timeout warning: two minutes before the idle sign-out a dialog offers to stay
signed in, by keyboard; if time runs out it says so and keeps the page's typed text in place.
The browser's clock is Playwright's, so the test does not wait half an hour."""

import re

import pytest

from actionplans.models import Action
from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_timeout_warning_keeps_a_person_signed_in_by_keyboard(new_page, demo_site):
    action = Action.objects.order_by("pk").first()
    page = new_page()
    page.clock.install()
    sign_in(page, "member", DEMO_PASSWORD)
    page.goto(f"/actions/{action.pk}/edit/")
    typed = "Every child placed out of area was visited twice this quarter."
    page.get_by_label("Action", exact=True).fill(typed)
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    assert not dialog.is_visible()

    page.clock.fast_forward("28:30")  # idle for 28½ of the 30 minutes
    dialog.wait_for()
    assert page.evaluate("document.activeElement.id") == "timeout-warning-heading"
    assert re.search(r"signed out in 1 minute [23]\d seconds", dialog.inner_text())
    assert_accessible(page, "50-timeout-warning")
    page.set_viewport_size({"width": 320, "height": 640})
    page.screenshot(path=SCREENSHOTS / "50-timeout-warning-320.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    with page.expect_response(lambda response: "stay-signed-in" in response.url) as stayed:
        page.keyboard.press("Enter")
    assert stayed.value.status == 204
    dialog.wait_for(state="hidden")
    assert page.get_by_label("Action", exact=True).input_value() == typed

    page.clock.fast_forward("31:00")  # nobody there this time
    signed_out = page.get_by_role("dialog", name="You have been signed out")
    page.get_by_role("heading", name="You have been signed out").wait_for()
    assert signed_out.get_by_role("link", name="Sign in again").is_visible()
    assert_accessible(page, "51-timeout-signed-out")
    page.get_by_role("button", name="Back to the page").click()
    assert page.get_by_label("Action", exact=True).input_value() == typed
