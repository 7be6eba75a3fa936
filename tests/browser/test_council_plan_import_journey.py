"""An administrator imports next year's plan from the council's own table (Priority / Action /
Lead / Timescale / Comment, with action numbers in "Ref"), checks the preview at desktop and
phone widths, confirms it, and finds the same comments and timescales in the plan document."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import Workbook

from actionplans import services
from actionplans.models import Action, ActionPlan
from lacstrategy.demo import DEMO_PASSWORD
from outcomes.models import Outcome
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/import13-shots")
# Action numbers unlike anything else in a plan document, so finding them there means something.
ROWS = [
    ["11.1", 1, "Map every placement ending early in 2017", "JB", "Sep 17", "Started in April"],
    ["11.2", "1, 2", "Apprenticeship interviews for care leavers", "JB / SM", "Q3", "Shared"],
    ["Corporate parenting"],
    ["12.1", "", "Train every councillor as a corporate parent", "", "March 2018", "Members"],
    ["12.2", "", "A councillors' day with children in care", "", "", "Date to be set"],
]
HEADINGS = ["Ref", "Priority", "Action", "Lead", "Timescale", "Comment"]


@pytest.fixture
def next_plan(demo_site):
    """The demo strategy's 2017-18 plan, made empty, for the council's table to fill."""
    admin = get_user_model().objects.get(username="admin")
    this_year = ActionPlan.objects.get(financial_year_start=2016)
    return services.action_plan_create(
        strategy=this_year.strategy, actor=admin, financial_year_start=2017
    )


def council_table(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan 2017-18"
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_councils_own_table_comes_out_of_the_plan_document_as_it_went_in(
    new_page, next_plan, tmp_path
):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto(next_plan.get_absolute_url())
    page.get_by_role("link", name="Import the plan from a spreadsheet").click()
    page.get_by_label("Upload the plan as an Excel workbook (.xlsx) or a CSV file").set_input_files(
        str(council_table(tmp_path / "council plan 2017-18.xlsx"))
    )
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Check what the import will change").wait_for()
    main = " ".join(page.locator("main").inner_text().split())
    assert "How the file was read" in main
    for note in (
        "'Ref' read as Action number",
        "'Priority' read as Outcome number: on its own it is taken to mean the outcome, not the "
        "priority area",
        "'Lead' read as Undertaken by",
        "'Timescale' read as Target in words",
        "Outcome 1 has no priority area in this plan, so a new priority area with no figure",
    ):
        assert note in main
    assert not Action.objects.filter(priority_indicator__action_plan=next_plan).exists()
    assert_accessible(page, "65-plan-import-council-table-preview")
    page.screenshot(path=SHOTS / "preview-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, "66-plan-import-council-table-preview-320")
    page.screenshot(path=SHOTS / "preview-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Import these changes").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert (
        "Imported council plan 2017-18.xlsx"
        in page.locator(".govuk-notification-banner--success").inner_text()
    )

    heading = Outcome.objects.get(strategy=next_plan.strategy, kind=Outcome.Kind.HEADING)
    assert heading.statement == "Corporate parenting"
    actions = {
        a.reference: a for a in Action.objects.filter(priority_indicator__action_plan=next_plan)
    }
    assert sorted(actions) == ["11.1", "11.2", "12.1", "12.2"]
    assert actions["11.2"].also_serves.count() == 1

    page.goto(reverse("reports:plan_document", args=[next_plan.pk]))
    document = " ".join(page.locator("body").inner_text().split())
    for _, _, action, lead, timescale, comment in [r for r in ROWS if len(r) > 1]:
        assert action in document
        assert f"Comment: {comment}" in document
        assert f"{lead} {timescale}".strip() in document  # the table's order: lead, timescale
    assert "Corporate parenting" in document
    assert_accessible(page, "67-plan-document-after-council-import")

    # Where the plan names an action by itself, it is by its number.
    page.goto(actions["12.1"].get_absolute_url())
    assert page.title().startswith("Action: Action 12.1")


def test_the_plan_document_shows_the_imported_action_numbers(new_page, next_plan, tmp_path):
    admin = get_user_model().objects.get(username="admin")
    data = council_table(tmp_path / "council.xlsx").read_bytes()
    services.plan_import_file(action_plan=next_plan, actor=admin, file_name="c.xlsx", data=data)
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto(reverse("reports:plan_document", args=[next_plan.pk]))
    document = page.locator("body").inner_text()
    for number in ("11.1", "11.2", "12.1", "12.2"):
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", document), number
