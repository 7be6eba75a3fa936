"""The public page as a child would use it, with no sign-in, at 1280 px and on a 320 px phone;
and an administrator approving a text for it by keyboard."""

import pytest

from lacstrategy.demo import DEMO_PASSWORD
from outcomes.models import Indicator, Outcome
from public.models import PublicText
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 320])
def test_a_child_reads_the_promises_what_was_done_and_the_numbers(new_page, demo_site, width):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto("/public/")
    page.get_by_role("heading", name="Our promises to you").wait_for()
    assert "Sign in" not in page.title()
    _fits(page, width)
    assert_accessible(page, f"public-01-promises-{width}")

    if width < 641:  # GOV.UK's navigation folds away on a phone
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="You said, we did").first.click()
    page.get_by_role("heading", name="You said, we did", level=1).wait_for()
    assert "see our social worker on our own" in page.locator("main").inner_text()
    _fits(page, width)
    assert_accessible(page, f"public-02-you-said-we-did-{width}")

    approved = PublicText.objects.filter(record_type="outcomes.indicator").values("record_id")
    measured = Indicator.objects.filter(pk__in=approved, figures__isnull=False).first()
    if width < 641:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="How it is going").click()
    page.get_by_role("link", name=measured.title).click()
    page.get_by_role("table", name="The numbers").wait_for()
    assert page.get_by_role("img").first.get_attribute("alt")  # the chart in words
    _fits(page, width)
    assert_accessible(page, f"public-03-measure-{width}")


def test_an_administrator_approves_a_promise_by_keyboard(new_page, demo_site):
    outcome = Outcome.objects.order_by("number").first()
    PublicText.objects.filter(record_type="outcomes.outcome", record_id=outcome.pk).delete()
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="People and roles").click()
    page.get_by_role("link", name="The public page").click()
    page.get_by_role("heading", name="The public page", level=1).wait_for()
    assert_accessible(page, "public-04-texts")
    page.get_by_role("button", name=f"Approve {outcome} for the public page").focus()
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert PublicText.objects.filter(record_type="outcomes.outcome", record_id=outcome.pk).exists()
    page.goto("/public/")
    assert outcome.statement in page.locator("main").inner_text()
