"""A Strategy Group member downloads the 2016-17 plan, edits it in a spreadsheet, uploads it,
checks the preview and confirms it."""

import pytest
from openpyxl import load_workbook

from actionplans.models import Action, ActionPlan
from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NEW_ACTION = "Offer every care leaver a named contact in the Leaving Care Service"


@pytest.fixture
def plan(demo_site):
    return ActionPlan.objects.get(financial_year_start=2016)


def test_export_edit_upload_preview_and_confirm(new_page, plan, tmp_path):
    page = new_page()
    sign_in(page, "member", DEMO_PASSWORD)
    page.goto(plan.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the plan in the import template (.xlsx)").click()
    exported = tmp_path / "exported.xlsx"
    download.value.save_as(exported)

    workbook = load_workbook(exported)
    sheet = workbook["Action plan"]
    headers = [cell.value for cell in sheet[1]]
    first = sheet[2]
    changed_pk = first[headers.index("ID in this service")].value
    first[headers.index("Status")].value = "Complete"
    new_row = [cell.value for cell in first]
    new_row[headers.index("ID in this service")] = None
    new_row[headers.index("Action")] = NEW_ACTION
    new_row[headers.index("Lead users")] = None
    sheet.append(new_row)
    edited = tmp_path / "plan 2016-17 edited.xlsx"
    workbook.save(edited)
    broken = tmp_path / "minutes.xlsx"
    broken.write_bytes(b"%PDF-1.7 not a spreadsheet")

    page.get_by_role("link", name="Import the plan from a spreadsheet").click()
    page.get_by_role("heading", name="Import the plan from a spreadsheet").wait_for()
    assert_accessible(page, "60-plan-import-upload")
    page.get_by_role("button", name="Upload and check").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Choose a file to upload" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "61-plan-import-no-file")

    upload = page.get_by_label("Upload the plan as an Excel workbook (.xlsx) or a CSV file")
    upload.set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="The file has problems").wait_for()
    assert "not a spreadsheet" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "62-plan-import-broken-file")
    page.get_by_role("button", name="Discard this upload").click()

    page.get_by_label("Upload the plan as an Excel workbook (.xlsx) or a CSV file").set_input_files(
        str(edited)
    )
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Check what the import will change").wait_for()
    main = page.locator("main").inner_text()
    assert NEW_ACTION in main
    assert "from On track to Complete" in main or "to Complete" in main
    assert Action.objects.get(pk=changed_pk).status != "complete"  # nothing saved yet
    assert_accessible(page, "63-plan-import-preview")

    # Confirm by keyboard.
    page.get_by_role("button", name="Import these changes").focus()
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "1 added, 1 changed" in page.locator(".govuk-notification-banner--success").inner_text()
    assert_accessible(page, "64-plan-after-import")
    assert Action.objects.get(pk=changed_pk).status == "complete"
    added = Action.objects.get(description=NEW_ACTION)
    assert added.history.latest().history_change_reason == "Imported from plan 2016-17 edited.xlsx"
