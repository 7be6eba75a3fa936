"""A committee officer writes a report's narrative, previews it, issues it, downloads the PDF."""

from pathlib import Path

import pytest

from lacstrategy.demo import DEMO_PASSWORD
from reports.models import CommitteeReport
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def q2_draft(demo_site):
    return CommitteeReport.objects.get(status="draft")


def test_committee_officer_writes_previews_issues_and_downloads(new_page, q2_draft):
    page = new_page()
    sign_in(page, "committee", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("heading", name="Reports", exact=True).wait_for()
    assert "Issued 1 September 2016" in page.locator("main").inner_text()
    assert_accessible(page, "40-report-list")

    page.get_by_role("link", name=q2_draft.title).click()
    assert_accessible(page, "41-report-draft")
    page.get_by_role("link", name="Write the narrative").click()
    page.get_by_label("Purpose of the report").fill(
        "To update the Sub-Committee on progress in Q2. <b>Not bold</b>"
    )
    page.get_by_label("Recommendations", exact=True).fill(
        "That the progress is noted.\nThat the Sub-Committee receives the Q3 report in March."
    )
    assert_accessible(page, "42-report-form")
    page.get_by_role("button", name="Save the draft").click()
    page.locator(".govuk-notification-banner--success").wait_for()

    # The report as the records stood on an earlier date lists what came in after it.
    page.get_by_role("link", name="Change what the report draws from").click()
    page.get_by_label("The records as they stood at the end of another date").check()
    page.locator("#id_describes_on_0").fill("20")
    page.locator("#id_describes_on_1").fill("10")
    page.locator("#id_describes_on_2").fill("2016")
    page.get_by_role("button", name="Save the draft").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    text = page.locator("main").inner_text()
    assert "The records as they stood at the end of 20 October 2016" in text
    assert "4 records describing this quarter were entered or changed after" in text
    assert "Outcome 1: update" in text
    assert_accessible(page, "41b-report-draft-as-at-a-date")
    page.get_by_role("link", name="Change what the report draws from").click()
    page.get_by_label("The records as they stood at the end of the meeting date").check()
    page.get_by_role("button", name="Save the draft").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "the end of 12 December 2016, the meeting date" in page.locator("main").inner_text()

    page.get_by_role("link", name="Preview the report").click()
    page.get_by_role("heading", name="Purpose of the report").wait_for()
    text = page.locator("main").inner_text()
    assert "DRAFT, version 1" in text and "<b>Not bold</b>" in text
    assert "Drawn from: The records as they stood at the end of 12 December 2016" in text
    assert "That the Sub-Committee receives the Q3 report in March." in text
    assert page.locator("svg[role=img]").count() >= 1  # the priority indicators' charts
    assert_accessible(page, "43-report-preview")
    page.go_back()

    # A draft's PDF is made by the background worker; its page hands over the file.
    page.get_by_role("button", name="Make the draft PDF").click()
    page.get_by_role("heading", name="Your document is ready").wait_for()
    assert_accessible(page, "44-draft-pdf-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download report-v1.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.go_back()

    page.get_by_role("button", name="Issue version 1").click()
    page.get_by_role("heading", name="Report issued").wait_for()
    assert "Version 1 is issued" in page.locator("main").inner_text()
    assert_accessible(page, "44b-report-issue-job-done")
    page.get_by_role("link", name="Go to the issued report").click()
    assert "It stays exactly as issued" in page.locator("main").inner_text()
    assert_accessible(page, "44c-report-issued")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    q2_draft.refresh_from_db()
    assert q2_draft.is_issued and bytes(q2_draft.issued_pdf) == pdf


def test_plan_document_as_at_a_past_date(new_page, q2_draft):
    page = new_page()
    sign_in(page, "viewer", DEMO_PASSWORD)
    plan = q2_draft.period.action_plan
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="The plan as it stood on a past date").click()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Show the plan as it stood").click()
    page.get_by_role(
        "heading",
        name="Strategy outcome 1: Looked after children and care leavers are happy and healthy",
    ).wait_for()
    assert "As at 1 May 2016" in page.locator("main").inner_text()
    assert "On track" not in page.locator("main").inner_text()  # every action was not started then
    assert_accessible(page, "45-plan-as-at")


def test_annual_review_rolls_the_plan_over(new_page, q2_draft):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    plan = q2_draft.period.action_plan
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Annual review: choose next year's priority areas").click()
    page.get_by_role("heading", name="Annual review of the 2016-17 plan").wait_for()
    assert_accessible(page, "46-annual-review")
    page.get_by_label("Next year's plan starts in April of").fill("2017")
    page.get_by_role("button", name="Create next year's plan").click()
    page.get_by_role("heading", name="Annual Action Plan 2017-18").wait_for()
    page.goto(f"/plans/{plan.pk}/annual-summary/")
    assert "carried forward" in page.locator("main").inner_text()
    assert_accessible(page, "47-annual-summary")
