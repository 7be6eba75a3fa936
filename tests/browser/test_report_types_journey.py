"""Issue 13, item 6: an administrator gives committee reports the council's optional sections;
a committee officer writes a strategy approval report, which needs no quarter."""

import shutil
from pathlib import Path

import pytest

from lacstrategy.demo import DEMO_PASSWORD
from outcomes.models import Strategy
from tests.browser.conftest import SCREENSHOTS, assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/reports13-shots")


def narrow(page, name):
    """The same page on a 320 px phone, kept next to the wide one."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_strategy_approval_report_with_the_council_s_sections(new_page, demo_site):
    strategy = Strategy.objects.order_by("pk").first()
    admin = new_page()
    sign_in(admin, "admin", DEMO_PASSWORD)
    admin.goto("/council/")
    admin.get_by_label("Financial implications").check()
    admin.get_by_label("Background papers").check()
    assert_accessible(admin, "90-council-report-sections")
    admin.get_by_role("button", name="Save").click()
    admin.locator(".govuk-notification-banner--success").wait_for()

    page = new_page()
    sign_in(page, "committee", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    assert_accessible(page, "91-report-list-with-types")
    narrow(page, "91-report-list-with-types")
    start = f"Write a strategy approval or other report on {strategy}"
    page.get_by_role("link", name=start).click()
    assert page.get_by_role("radio", name="Strategy approval").is_checked()
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2017")
    financial = page.get_by_role("textbox", name="Financial implications")
    financial.fill("None beyond the agreed budget.")
    assert page.get_by_label("Equality impact").count() == 0  # not in this council's template
    assert_accessible(page, "92-strategy-report-form")
    narrow(page, "92-strategy-report-form")
    page.get_by_role("button", name="Save the draft").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "Strategy approval report to" in page.locator("main").inner_text()
    assert "Write the background papers" in page.locator(".govuk-warning-text").first.inner_text()
    assert_accessible(page, "93-strategy-report-draft")

    page.get_by_role("link", name="Preview the report").click()
    page.get_by_role("heading", name="Financial implications").wait_for()
    text = page.locator("main").inner_text()
    assert "for approval" in text and "Exceptions" not in text
    assert_accessible(page, "94-strategy-report-preview")
    narrow(page, "94-strategy-report-preview")
    SHOTS.mkdir(exist_ok=True)
    for shot in SCREENSHOTS.glob("9[0-4]-*.png"):
        shutil.copy(shot, SHOTS / shot.name)
