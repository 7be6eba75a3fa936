"""Someone sets up two-step sign-in and signs in with it, by keyboard alone; an administrator
requires it of administrators and removes a person's lost phone."""

from base64 import b32decode
from binascii import hexlify, unhexlify

import pytest
from django_otp.oath import totp
from django_otp.util import random_hex

from lacstrategy import roles, services
from tests.browser.conftest import assert_accessible, focused_error_summary
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def testshire(transactional_db):
    services.council_save(actor=services.system_account(), name="Testshire County Council")
    asha = UserFactory(username="a.patel", full_name="Asha Patel", roles=[roles.ADMINISTRATOR])
    asha.set_password(PASSWORD)
    asha.save()
    sam = UserFactory(username="s.khan", full_name="Sam Khan", roles=[roles.VIEWER])
    key = random_hex(20)
    services.two_step_set_up(user=sam, key=key, code=f"{totp(unhexlify(key)):06d}")
    return {"sam": sam}


def at_both_widths(page, name):
    """axe-core and a screenshot at 1280 px, then at 320 px with no sideways scrolling."""
    assert_accessible(page, name)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, f"{name}-320")
    sideways = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not sideways, f"{name} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def press_on(page, locator):
    """Reach a link or button and use it with the keyboard, as a keyboard user would."""
    locator.focus()
    page.keyboard.press("Enter")


def type_into(page, label, text):
    page.get_by_label(label).focus()
    page.keyboard.type(text)


def sign_in_by_keyboard(page):
    page.goto("/accounts/login/")
    type_into(page, "Username", "a.patel")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def code_from_app(key_text, *, steps_ahead=0):
    key = b32decode(key_text.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}", hexlify(key).decode()


def test_set_up_two_step_and_sign_in_with_it_by_keyboard(new_page, testshire):
    page = new_page()
    sign_in_by_keyboard(page)

    press_on(page, page.get_by_role("link", name="Two-step sign-in"))
    page.get_by_role("heading", name="Two-step sign-in").wait_for()
    assert "Two-step sign-in is off" in page.locator("main").inner_text()
    at_both_widths(page, "two-step-01-off")

    press_on(page, page.get_by_role("link", name="Set up two-step sign-in"))
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()
    assert page.get_by_role("img", name="QR code").is_visible()
    at_both_widths(page, "two-step-02-set-up")
    key_text = page.locator("#setup-key").inner_text()

    type_into(page, "Code from the app", "000000")
    page.keyboard.press("Enter")
    assert "The code is not right" in focused_error_summary(page).inner_text()
    assert page.locator("#setup-key").inner_text() == key_text  # the same key to scan
    at_both_widths(page, "two-step-03-set-up-wrong-code")

    code, _ = code_from_app(key_text)
    type_into(page, "Code from the app", code)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your backup codes").wait_for()
    codes = page.locator(".app-backup-codes li").all_inner_texts()
    assert len(codes) == services.BACKUP_CODE_COUNT
    at_both_widths(page, "two-step-04-backup-codes")

    press_on(page, page.get_by_role("link", name="I have kept my backup codes"))
    assert "Two-step sign-in is on" in page.locator("main").inner_text()
    at_both_widths(page, "two-step-05-on")

    press_on(page, page.get_by_role("button", name="Sign out"))
    page.get_by_role("heading", name="Sign in to").wait_for()
    sign_in_by_keyboard(page)
    page.get_by_role("heading", name="Enter your sign-in code").wait_for()
    assert "Strategies" not in page.locator("header").inner_text()  # not signed in yet
    at_both_widths(page, "two-step-06-code")

    type_into(page, "Code", "111111")
    page.keyboard.press("Enter")
    focused_error_summary(page)
    at_both_widths(page, "two-step-07-wrong-code")
    page.wait_for_timeout(1100)  # django-otp's throttle after one wrong code

    code, _ = code_from_app(key_text, steps_ahead=1)  # the set-up's own code is used up
    type_into(page, "Code", code)
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Strategies", exact=True).wait_for()
    assert page.url.endswith("/")


def test_an_administrator_requires_two_step_and_removes_a_lost_phone(new_page, testshire):
    page = new_page()
    sign_in_by_keyboard(page)
    page.goto("/council/")
    page.get_by_label("Administrators must use two-step sign-in").check()
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    sam = testshire["sam"]
    page.goto(sam.get_absolute_url())
    assert "On, since" in page.locator("main").inner_text()
    press_on(page, page.get_by_role("link", name="Remove two-step sign-in"))
    page.get_by_role("heading", name="Remove two-step sign-in").wait_for()
    at_both_widths(page, "two-step-08-remove")
    press_on(page, page.get_by_role("button", name="Remove two-step sign-in"))
    focused_error_summary(page)
    type_into(page, "Why are you removing it?", "Lost phone, checked by call-back")
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "Two-step sign-in removed: Lost phone" in page.locator("main").inner_text()
    at_both_widths(page, "two-step-09-removed")

    # Signing in again, the administrator is sent to set it up before anything else.
    press_on(page, page.get_by_role("button", name="Sign out"))
    page.get_by_role("heading", name="Sign in to").wait_for()
    sign_in_by_keyboard(page)
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()
    assert "asks administrators to use two-step sign-in" in page.locator("main").inner_text()
    page.goto("/people/")
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()
    at_both_widths(page, "two-step-10-required")
