"""Tests for reports.excel: the .xlsx exports of the action plan and the strategy.

All sample data below is made up for these tests (names, outcomes, actions and
indicators are invented); it is not any council's real plan.
"""

import datetime
import io

import openpyxl
import pytest

from reports.excel import plan_xlsx, safe_text, strategy_xlsx

PLAN_HEADER = [
    "Outcome number",
    "Outcome",
    "Outcome owners",
    "Priority areas",
    "Action",
    "This work will be undertaken by",
    "Target date for completion",
    "Status",
    "RAG",
]
INDICATORS_HEADER = [
    "Outcome number",
    "Outcome",
    "Owners",
    "Indicator",
    "Definition",
    "Unit",
    "Better when",
    "Source",
]

INJECTIONS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


# Made-up sample data, for the tests only.
TERMS = {"outcome": "outcome", "outcomes": "outcomes", "priorities": "priority areas"}


def sample_plan(**overrides):
    data = {
        "terms": TERMS,
        "title": "Looked After Children and Care Leavers Strategy: Annual Action Plan 2016-17",
        "as_at": "2016-07-28",
        "outcomes": [
            {
                "number": 1,
                "statement": "Looked after children and care leavers are happy and healthy",
                "owners": ["Alex Example, Head of Service", "Sam Sample, Designated Nurse"],
                "priority_areas": ["Emotional wellbeing", "Health assessments on time"],
                "actions": [
                    {
                        "description": "Review the health assessment pathway",
                        "undertaken_by": "Health team",
                        "target": "March 2017",
                        "status": "On track",
                        "rag": "Green",
                    },
                    {
                        "description": "- Train foster carers\n- Train residential staff",
                        "undertaken_by": "Fostering service",
                        "target": "",
                        "status": "Not started",
                        "rag": "",
                    },
                ],
            },
            {
                "number": 2,
                "statement": "Care leavers are in education, employment or training",
                "owners": ["Jo Placeholder, Virtual School Head"],
                "priority_areas": ["Apprenticeships"],
                "actions": [],
            },
        ],
    }
    data.update(overrides)
    return data


# Made-up sample data, for the tests only.
def sample_strategy(**overrides):
    data = {
        "terms": TERMS,
        "title": "Looked After Children and Care Leavers Strategy",
        "period": "1 April 2015 to 31 March 2018",
        "status": "Approved by Policy Committee on 17 June 2015",
        "vision": "Every child in our care has a safe, happy childhood.",
        "principles": ["Children come first", "We listen to young people"],
        "pledge": "We promise to be good corporate parents.",
        "outcomes": [
            {
                "number": 1,
                "statement": "Looked after children and care leavers are happy and healthy",
                "owners": ["Alex Example, Head of Service"],
                "commitment": "We will make sure every child has a health assessment.",
                "indicators": [
                    {
                        "title": "Health assessments on time",
                        "definition": "Percentage of health assessments done on time",
                        "unit": "Percentage",
                        "better": "Higher is better",
                        "source": "Made-up local data",
                    },
                    {
                        "title": "Dental checks",
                        "definition": "Percentage with a dental check in the year",
                        "unit": "Percentage",
                        "better": "Higher is better",
                        "source": "Made-up local data",
                    },
                ],
            },
            {
                "number": 2,
                "statement": "Care leavers have somewhere suitable to live",
                "owners": ["Sam Sample, Leaving Care Manager", "Jo Placeholder, Housing"],
                "commitment": "",
                "indicators": [
                    {
                        "title": "Suitable accommodation",
                        "definition": "Care leavers aged 19-21 in suitable accommodation",
                        "unit": "Percentage",
                        "better": "Higher is better",
                        "source": "Made-up local data",
                    }
                ],
            },
        ],
    }
    data.update(overrides)
    return data


def load(xlsx_bytes):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes))


def row_values(ws, row):
    return [cell.value for cell in ws[row]]


# --- safe_text ------------------------------------------------------------------


@pytest.mark.parametrize("text", INJECTIONS)
def test_safe_text_prefixes_formula_triggers(text):
    result = safe_text(text)
    assert result.startswith("'")
    assert result[1:] == text.replace("\r", "\n")


@pytest.mark.parametrize(
    "text", ["Review the pathway", "Team A - Team B", "a=b", "", "'already quoted"]
)
def test_safe_text_leaves_normal_text_alone(text):
    assert safe_text(text) == text


def test_safe_text_none_and_non_strings():
    assert safe_text(None) == ""
    assert safe_text(12) == "12"
    # A negative number passed as text is text, so it is prefixed.
    assert safe_text(-5) == "'-5"


def test_safe_text_checks_after_removing_illegal_characters():
    # \x01 cannot be stored in .xlsx and is removed; what is left must still be checked.
    assert safe_text("\x01=1+1") == "'=1+1"
    assert safe_text("a\x00b") == "ab"


def test_safe_text_only_looks_at_the_start_and_normalises_line_breaks():
    assert safe_text("Do this:\r\n- first\r\n- second") == "Do this:\n- first\n- second"


def test_safe_text_keeps_within_excels_cell_limit():
    result = safe_text("x" * 40000)
    assert len(result) == 32767
    assert result.endswith("…")


# --- plan_xlsx ------------------------------------------------------------------


def test_plan_sheet_names():
    wb = load(plan_xlsx(sample_plan()))
    assert wb.sheetnames == ["Action plan", "Outcomes"]


def test_plan_title_and_as_at_rows():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    assert ws["A1"].value == (
        "Looked After Children and Care Leavers Strategy: Annual Action Plan 2016-17"
    )
    assert ws["A1"].font.bold
    assert ws["A1"].font.size > 11
    assert ws["A2"].value == "As at"
    assert ws["B2"].value == datetime.datetime(2016, 7, 28)
    assert ws["B2"].is_date
    assert ws["B2"].number_format == "d mmmm yyyy"  # shows as "28 July 2016"
    assert row_values(ws, 3) == PLAN_HEADER


def test_plan_as_at_accepts_an_iso_datetime():
    ws = load(plan_xlsx(sample_plan(as_at="2016-07-28T09:30:00+01:00")))["Action plan"]
    assert ws["B2"].value == datetime.datetime(2016, 7, 28)


def test_plan_without_as_at_has_no_as_at_row():
    ws = load(plan_xlsx(sample_plan(as_at=None)))["Action plan"]
    assert row_values(ws, 2) == PLAN_HEADER
    assert all(cell.value != "As at" for row in ws.iter_rows() for cell in row)
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:I5"


def test_plan_bad_as_at_raises():
    with pytest.raises(ValueError, match="as_at"):
        plan_xlsx(sample_plan(as_at="28/07/2016"))


def test_plan_header_row_is_bold():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    assert all(cell.font.bold for cell in ws[3])


def test_plan_one_row_per_action_with_outcome_columns_repeated():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    rows = [row_values(ws, r) for r in range(4, ws.max_row + 1)]
    owners = "Alex Example, Head of Service\nSam Sample, Designated Nurse"
    areas = "Emotional wellbeing\nHealth assessments on time"
    statement = "Looked after children and care leavers are happy and healthy"
    assert rows == [
        [
            1,
            statement,
            owners,
            areas,
            "Review the health assessment pathway",
            "Health team",
            "March 2017",
            "On track",
            "Green",
        ],
        [
            1,
            statement,
            owners,
            areas,
            "'- Train foster carers\n- Train residential staff",
            "Fostering service",
            None,
            "Not started",
            None,
        ],
        # Outcome 2 has no actions: one row with the action cells empty.
        [
            2,
            "Care leavers are in education, employment or training",
            "Jo Placeholder, Virtual School Head",
            "Apprenticeships",
            None,
            None,
            None,
            None,
            None,
        ],
    ]


def test_plan_outcome_number_is_a_real_number():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    assert ws["A4"].value == 1
    assert ws["A4"].data_type == "n"


def test_plan_wraps_text_and_sets_column_widths():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    assert ws["C4"].alignment.wrap_text
    assert ws["E5"].alignment.wrap_text
    assert ws.column_dimensions["E"].width >= 40
    assert ws.column_dimensions["A"].width < ws.column_dimensions["E"].width


def test_rows_are_tall_enough_for_their_wrapped_text():
    data = sample_plan()
    data["outcomes"][0]["actions"][0]["description"] = "A long action. " * 40  # 600 characters
    ws = load(plan_xlsx(data))["Action plan"]
    long_row = ws.row_dimensions[4].height
    # 600 characters in a column 60 wide: at least 10 lines of 15 points.
    assert long_row >= 150
    assert ws.row_dimensions[5].height < long_row


def test_plan_freeze_filter_and_print_setup():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:I6"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0


def test_plan_rag_cell_is_coloured():
    ws = load(plan_xlsx(sample_plan()))["Action plan"]
    assert ws["I4"].fill.fill_type == "solid"
    assert ws["I5"].fill.fill_type is None


def test_plan_with_no_outcomes_still_has_header_and_filter():
    ws = load(plan_xlsx(sample_plan(outcomes=[])))["Action plan"]
    assert row_values(ws, 3) == PLAN_HEADER
    assert ws.max_row == 3
    assert ws.auto_filter.ref == "A3:I3"


def test_plan_outcomes_sheet_has_one_row_per_outcome():
    ws = load(plan_xlsx(sample_plan()))["Outcomes"]
    assert row_values(ws, 1) == ["Outcome number", "Outcome", "Outcome owners", "Priority areas"]
    assert ws.max_row == 3
    assert row_values(ws, 2) == [
        1,
        "Looked after children and care leavers are happy and healthy",
        "Alex Example, Head of Service\nSam Sample, Designated Nurse",
        "Emotional wellbeing\nHealth assessments on time",
    ]
    assert row_values(ws, 3)[0] == 2
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"


@pytest.mark.parametrize("text", INJECTIONS)
def test_plan_formula_injection_is_stored_as_prefixed_text(text):
    plan = sample_plan()
    action = plan["outcomes"][0]["actions"][0]
    action["description"] = text
    action["undertaken_by"] = text
    plan["outcomes"][0]["statement"] = text
    plan["outcomes"][0]["owners"] = [text, "Someone else"]
    plan["title"] = text
    wb = load(plan_xlsx(plan))
    ws = wb["Action plan"]
    for cell in (ws["A1"], ws["B4"], ws["C4"], ws["E4"], ws["F4"], wb["Outcomes"]["B2"]):
        assert cell.data_type == "s", cell.coordinate
        assert isinstance(cell.value, str)
        assert cell.value.startswith("'"), cell.coordinate
        assert not cell.value.startswith("=")
    assert ws["E4"].value == "'" + text.replace("\r", "\n")


def test_plan_workbook_contains_no_formulas():
    plan = sample_plan()
    plan["outcomes"][0]["actions"][0]["description"] = '=HYPERLINK("http://evil","x")'
    plan["outcomes"][0]["actions"][0]["status"] = "=1+1"
    wb = load(plan_xlsx(plan))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


# --- strategy_xlsx --------------------------------------------------------------


def test_strategy_sheet_names():
    wb = load(strategy_xlsx(sample_strategy()))
    assert wb.sheetnames == ["Strategy", "Indicators"]


def test_strategy_sheet_contents():
    ws = load(strategy_xlsx(sample_strategy()))["Strategy"]
    assert ws["A1"].value == "Looked After Children and Care Leavers Strategy"
    assert ws["A1"].font.bold
    pairs = [(row[0].value, row[1].value) for row in ws.iter_rows(min_row=2, max_col=2)]
    assert pairs[:8] == [
        (None, None),
        ("Period", "1 April 2015 to 31 March 2018"),
        ("Status", "Approved by Policy Committee on 17 June 2015"),
        ("Vision", "Every child in our care has a safe, happy childhood."),
        ("Principles", "Children come first"),
        (None, "We listen to young people"),
        ("Pledge", "We promise to be good corporate parents."),
        (None, None),
    ]
    assert ("Outcome 1", "Looked after children and care leavers are happy and healthy") in pairs
    assert (
        "Commitment",
        "We will make sure every child has a health assessment.",
    ) in pairs
    assert ("Owners", "Sam Sample, Leaving Care Manager\nJo Placeholder, Housing") in pairs
    # Outcome 2 has no commitment, so only one commitment row.
    assert [label for label, _ in pairs].count("Commitment") == 1


def test_strategy_without_pledge_has_no_pledge_row():
    ws = load(strategy_xlsx(sample_strategy(pledge="")))["Strategy"]
    assert all(row[0].value != "Pledge" for row in ws.iter_rows())


def test_strategy_indicators_sheet():
    ws = load(strategy_xlsx(sample_strategy()))["Indicators"]
    assert row_values(ws, 1) == INDICATORS_HEADER
    assert all(cell.font.bold for cell in ws[1])
    assert ws.max_row == 4  # three indicators
    assert row_values(ws, 2) == [
        1,
        "Looked after children and care leavers are happy and healthy",
        "Alex Example, Head of Service",
        "Health assessments on time",
        "Percentage of health assessments done on time",
        "Percentage",
        "Higher is better",
        "Made-up local data",
    ]
    assert row_values(ws, 3)[:2] == row_values(ws, 2)[:2]  # outcome repeated
    assert row_values(ws, 4)[0] == 2
    assert row_values(ws, 4)[2] == "Sam Sample, Leaving Care Manager\nJo Placeholder, Housing"
    assert ws["A2"].data_type == "n"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H4"
    assert ws.print_title_rows == "$1:$1"


@pytest.mark.parametrize("text", INJECTIONS)
def test_strategy_formula_injection_is_stored_as_prefixed_text(text):
    strategy = sample_strategy(vision=text, principles=[text], pledge=text)
    indicator = strategy["outcomes"][0]["indicators"][0]
    indicator["title"] = text
    indicator["definition"] = text
    indicator["source"] = text
    wb = load(strategy_xlsx(strategy))
    ws = wb["Strategy"]
    values = {row[0].value: row[1] for row in ws.iter_rows(min_row=2, max_col=2)}
    ind = wb["Indicators"]
    for cell in (values["Vision"], values["Principles"], values["Pledge"], ind["D2"], ind["E2"]):
        assert cell.data_type == "s", cell.coordinate
        assert cell.value == "'" + text.replace("\r", "\n"), cell.coordinate
    assert ind["H2"].value.startswith("'")
    for sheet in wb.worksheets:
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
