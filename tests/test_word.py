"""Tests for reports.word: the committee report, action plan and strategy as .docx.

All names, job titles, figures and quotes below are made-up sample data.
"""

import copy
import io
import pathlib
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm

from reports.word import plan_docx, report_docx, strategy_docx

SCRIPT = "<script>alert(1)</script>"
BOLD_MARKUP = "<b>x</b>"

# The default words, as lacstrategy.models.Terms.as_dict() gives them (this module is
# tested without Django).
TERMS = {
    "outcome": "outcome",
    "outcomes": "outcomes",
    "priority": "priority indicator",
    "priorities": "priority indicators",
    "service": "LAC Strategy",
    "committee": "Corporate Parenting Committee",
}
W = repr({"terms": TERMS})

# Sample data: made-up people, figures and quotes, in the shape the views pass in.
REPORT = {
    "terms": TERMS,
    "header": {
        "body": "Corporate Parenting Sub-Committee",
        "meeting_on": "2016-09-12",
        "agenda_item": "6",
        "title": "Looked After Children and Care Leavers Strategy: Q1 2016-17 progress",
        "sponsor": "Alex Example, Service Director, Children's Social Care",
        "author": "Sam Sample, Strategy Officer",
        "contact_details": "Tel: 0115 000 0000\nEmail: sam.sample@example.org",
    },
    "status": "draft",
    "version": 3,
    "issued_on": None,
    "purpose": f"To update the Committee on progress.\nIt quotes {SCRIPT} as typed.",
    "information": "The Strategy Group met in July to review the quarter.",
    "other_options": "None.",
    "reasons": "So the Committee can scrutinise progress.",
    "statutory": "The Council has duties as corporate parent.",
    "safeguarding": "There are no direct safeguarding implications.",
    "service_users": "Children in care were consulted.",
    "recommendations": [
        "That the Committee notes the progress made in Q1.",
        "That the Committee agrees the actions proposed for outcome 3.",
    ],
    "period": {
        "label": "Q1 2016-17 (April to June)",
        "plan": "Action plan 2016-17",
        "strategy": "Looked After Children and Care Leavers Strategy 2015-18",
    },
    "as_at": "2016-07-28T12:00:00+01:00",
    "no_accepted_updates": False,
    "exceptions": [
        {
            "outcome": 1,
            "action": "Review health assessments",
            "status": "Off track",
            "rag": "Red",
            "owner_note": f"Delayed by staffing. {BOLD_MARKUP}",
            "target": "March 2017",
            "overdue": True,
        }
    ],
    "outcomes": [
        {
            "number": 1,
            "statement": "Looked after children and care leavers are happy and healthy",
            "owners": ["Jo Placeholder, Head of Service"],
            "overall_rag": "Amber",
            "summary": "Good progress overall.\n- Health assessments improved\n- Dental checks up",
            "update_state": "Accepted",
            "counts": {
                "Complete": 0,
                "On track": 5,
                "At risk": 1,
                "Off track": 1,
                "Not started": 4,
                "Withdrawn": 0,
            },
        },
        {
            "number": 2,
            "statement": "Care leavers are in education, employment or training",
            "owners": ["Pat Dummy, Virtual School Head", "Lee Test, Leaving Care Manager"],
            "overall_rag": "",
            "summary": "",
            "update_state": "Draft",
            "counts": {"On track": 2},
        },
    ],
    "indicators": [
        {
            "outcome": 1,
            "title": "Health assessments on time",
            "latest": "65%",
            "period": "2016",
            "target": "66%",
            "england": "66%",
            "neighbours": "66.7%",
            "rag": "Amber",
            "direction": "Improving",
            "illustrative": True,
        },
        {
            "outcome": 2,
            "title": "Care leavers in EET",
            "latest": "",
            "period": "",
            "target": "",
            "england": "",
            "neighbours": "",
            "rag": "",
            "direction": "",
            "illustrative": False,
        },
    ],
    "views": [
        {
            "outcome": 1,
            "text": "We want to see the same nurse each time.",
            "source": "Children in Care Council meeting",
        },
        {"outcome": None, "text": "Contact with brothers and sisters matters.", "source": "Survey"},
    ],
    "changes": {
        "since": "2016-04-01",
        "until": "2016-06-30",
        "completed": ["Launch pledge"],
        "status_moved": [["Review health assessments", "Not started", "On track"]],
        "rag_moved": [["Review health assessments", "Not rated", "Green"]],
        "added": ["New mentoring scheme"],
        "removed": [],
        "target_moved": [["Dental checks", "March 2017", "June 2017"]],
    },
}

PLAN = {
    "terms": {**TERMS, "priorities": "priority areas"},
    "title": "Looked After Children and Care Leavers Strategy: Annual Action Plan 2016-17",
    "year": "2016/17",
    "as_at": "2016-07-28T12:00:00+01:00",
    "outcomes": [
        {
            "number": 1,
            "statement": "Looked after children and care leavers are happy and healthy",
            "owners": ["Jo Placeholder, Head of Service", "Kim Sample, Designated Nurse"],
            "priority_areas": ["Timely health assessments", "Emotional wellbeing"],
            "actions": [
                {
                    "description": f"Improve health assessments\n- audit timeliness\n- {SCRIPT}",
                    "undertaken_by": "Looked After Children health team",
                    "target": "March 2017",
                    "status": "On track",
                    "rag": "Green",
                },
                {
                    "description": "Offer every child a dental check",
                    "undertaken_by": "Health partners",
                    "target": "",
                    "status": "Not started",
                    "rag": "",
                },
                {
                    "description": "Set up a wellbeing drop-in",
                    "undertaken_by": "CAMHS",
                    "target": "June 2017",
                    "status": "At risk",
                    "rag": "Amber",
                },
            ],
        },
        {
            "number": 2,
            "statement": "Care leavers are in education, employment or training",
            "owners": ["Pat Dummy, Virtual School Head"],
            "priority_areas": ["Apprenticeships"],
            "actions": [
                {
                    "description": "Ring-fence council apprenticeships",
                    "undertaken_by": "HR",
                    "target": "December 2016",
                    "status": "Complete",
                    "rag": "Green",
                }
            ],
        },
    ],
}

STRATEGY = {
    "terms": TERMS,
    "title": "Looked After Children and Care Leavers Strategy 2015-18",
    "period": "1 April 2015 to 31 March 2018",
    "status": "Approved by Policy Committee on 17 June 2015",
    "vision": f"Every child in our care thrives.\n{SCRIPT}",
    "principles": ["Children's views shape services", "Stability matters"],
    "pledge": "We will be good corporate parents.",
    "outcomes": [
        {
            "number": 1,
            "statement": "Looked after children and care leavers are happy and healthy",
            "owners": ["Jo Placeholder, Head of Service"],
            "commitment": "We will make sure health needs are met.",
            "indicators": [
                {
                    "title": "Health assessments on time",
                    "definition": "Children with an annual health assessment",
                    "unit": "Percentage",
                    "better": "Higher is better",
                    "source": "SSDA903 return",
                }
            ],
        },
        {
            "number": 2,
            "statement": "Care leavers are in education, employment or training",
            "owners": [],
            "commitment": "",
            "indicators": [],
        },
    ],
}


# --------------------------------------------------------------------------- helpers


def open_doc(data: bytes):
    assert data[:2] == b"PK", "not a zip/docx"
    return docx.Document(io.BytesIO(data))


def styled(document, style_name):
    return [p.text for p in document.paragraphs if p.style.name == style_name]


def headings(document):
    """(style, text) for every title and heading paragraph, in order."""
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]


def all_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def header_cells(table):
    return [cell.text for cell in table.rows[0].cells]


def repeats_header(table):
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def table_with_header(document, first_cell):
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_cell]
    assert found, f"no table starting with {first_cell!r}"
    return found


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def index_of(items, wanted):
    assert wanted in items, f"{wanted!r} not in {items!r}"
    return items.index(wanted)


# --------------------------------------------------------------------------- report


def test_report_headings_in_order():
    document = open_doc(report_docx(REPORT))
    assert styled(document, "Title") == [REPORT["header"]["title"]]
    assert styled(document, "Heading 1") == [
        "Purpose of the report",
        "Information and advice",
        "Other options considered",
        "Reasons for recommendations",
        "Statutory and policy implications",
        "Recommendations",
        "Contact",
    ]
    level2 = styled(document, "Heading 2")
    assert level2 == [
        "Exceptions: red and overdue actions",
        "Progress by outcome",
        "Priority indicators",
        "Children and young people's views",
        "What changed since the last report",
        "Safeguarding of children and vulnerable adults implications",
        "Implications for service users",
    ]
    assert styled(document, "Heading 3") == [
        "Outcome 1: Looked after children and care leavers are happy and healthy",
        "Outcome 2: Care leavers are in education, employment or training",
    ]
    # The sub-sections of Information and advice sit between it and Other options.
    order = headings(document)
    info = index_of(order, ("Heading 1", "Information and advice"))
    other = index_of(order, ("Heading 1", "Other options considered"))
    exceptions = index_of(order, ("Heading 2", "Exceptions: red and overdue actions"))
    changes = index_of(order, ("Heading 2", "What changed since the last report"))
    assert info < exceptions < changes < other


def test_report_header_block_comes_before_title():
    document = open_doc(report_docx(REPORT))
    texts = [p.text for p in document.paragraphs]
    title = index_of(texts, REPORT["header"]["title"])
    body = index_of(texts, "Corporate Parenting Sub-Committee")
    date = index_of(texts, "Date: 12 September 2016")
    agenda = index_of(texts, "Agenda item: 6")
    assert body < date < agenda < title
    assert any(REPORT["header"]["sponsor"] in t for t in texts[:title])


def test_report_statutory_subheadings_left_out_when_empty():
    data = {**REPORT, "safeguarding": "", "service_users": "  \n "}
    level2 = styled(open_doc(report_docx(data)), "Heading 2")
    assert "Safeguarding of children and vulnerable adults implications" not in level2
    assert "Implications for service users" not in level2


def test_report_tables_have_expected_headers_and_repeat_them():
    document = open_doc(report_docx(REPORT))
    (exceptions,) = table_with_header(document, "Outcome")[:1]
    assert header_cells(exceptions) == ["Outcome", "Action", "Status", "RAG", "Owner's commentary"]
    assert len(exceptions.rows) == 2
    indicators = [t for t in document.tables if "Statistical neighbours" in header_cells(t)]
    assert len(indicators) == 1
    assert header_cells(indicators[0]) == [
        "Outcome",
        "Indicator",
        "Latest",
        "Target",
        "England",
        "Statistical neighbours",
        "RAG",
        "Direction",
    ]
    counts = [t for t in document.tables if header_cells(t)[0] == "Complete"]
    assert len(counts) == 1  # outcome 1; outcome 2 only has "On track"
    assert header_cells(counts[0]) == [
        "Complete",
        "On track",
        "At risk",
        "Off track",
        "Not started",
        "Withdrawn",
        "Total",
    ]
    assert [c.text for c in counts[0].rows[1].cells] == ["0", "5", "1", "1", "4", "0", "11"]
    # Exceptions, two counts tables and indicators: every one repeats its header row.
    assert len(document.tables) == 4
    for table in document.tables:
        assert repeats_header(table), header_cells(table)


def test_report_exception_row_content():
    document = open_doc(report_docx(REPORT))
    exceptions = table_with_header(document, "Outcome")[0]
    row = [cell.text for cell in exceptions.rows[1].cells]
    assert row[0] == "1"
    assert row[1] == "Review health assessments"
    assert row[2].startswith("Off track") and "Overdue" in row[2] and "March 2017" in row[2]
    assert row[3] == "Red"
    assert row[4] == f"Delayed by staffing. {BOLD_MARKUP}"


def test_report_empty_sections_have_sentences():
    data = {
        **REPORT,
        "exceptions": [],
        "views": [],
        "you_said_we_did": [],
        "changes": {"since": "2016-04-01", "until": "2016-06-30"},
    }
    document = open_doc(report_docx(data))
    texts = [p.text for p in document.paragraphs]
    assert "There are no red or overdue actions." in texts
    assert "No views were recorded in the updates for this quarter." in texts
    assert "No views were heard for this quarter's review." in texts
    assert "Nothing changed in the plan in that time." in texts
    assert not any("Owner's commentary" in header_cells(t) for t in document.tables)


def test_report_markup_is_literal_text():
    data = report_docx(REPORT)
    document = open_doc(data)
    text = all_text(document)
    assert SCRIPT in text
    assert BOLD_MARKUP in text
    xml = document_xml(data)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script>" not in xml
    assert "<b>" not in xml


def test_report_recommendations_numbered():
    document = open_doc(report_docx(REPORT))
    texts = [p.text for p in document.paragraphs]
    start = index_of(texts, "Recommendations")
    end = index_of(texts, "Contact")
    numbered = [t for t in texts[start + 1 : end] if t]
    assert numbered == [
        "1)\tThat the Committee notes the progress made in Q1.",
        "2)\tThat the Committee agrees the actions proposed for outcome 3.",
    ]


def test_report_draft_line():
    texts = [p.text for p in open_doc(report_docx(REPORT)).paragraphs]
    assert "DRAFT – version 3 – not issued" in texts
    assert not any(t.startswith("Issued") for t in texts)


def test_report_issued_line():
    data = {**REPORT, "status": "issued", "version": 2, "issued_on": "2016-09-01"}
    document = open_doc(report_docx(data))
    texts = [p.text for p in document.paragraphs]
    assert "Issued on 1 September 2016 – version 2" in texts
    assert not any("DRAFT" in t for t in texts)
    assert not any("DRAFT" in p.text for p in document.sections[0].header.paragraphs)


def test_report_no_accepted_updates_sentence():
    sentence = "No outcome updates had been accepted for this period when this report was produced."
    without = [p.text for p in open_doc(report_docx(REPORT)).paragraphs]
    assert sentence not in without
    texts = [
        p.text for p in open_doc(report_docx({**REPORT, "no_accepted_updates": True})).paragraphs
    ]
    # First thing under "Information and advice".
    assert texts[index_of(texts, "Information and advice") + 1] == sentence


def test_report_illustrative_marker():
    document = open_doc(report_docx(REPORT))
    texts = [p.text for p in document.paragraphs]
    assert "Figures marked * are illustrative sample data." in texts
    indicators = [t for t in document.tables if "Statistical neighbours" in header_cells(t)][0]
    sample, real = indicators.rows[1], indicators.rows[2]
    assert sample.cells[2].text.startswith("65%*")
    assert sample.cells[5].text == "66.7%*"
    assert "*" not in "".join(cell.text for cell in real.cells)

    not_sample = copy.deepcopy(REPORT)
    for item in not_sample["indicators"]:
        item["illustrative"] = False
    document = open_doc(report_docx(not_sample))
    assert "Figures marked * are illustrative sample data." not in all_text(document)
    assert "65%*" not in all_text(document)


def test_report_information_and_contact_each_appear_once():
    text = all_text(open_doc(report_docx(REPORT)))
    assert text.count("The Strategy Group met in July to review the quarter.") == 1
    assert text.count("Sam Sample, Strategy Officer") == 1
    assert text.count("Email: sam.sample@example.org") == 1


def test_report_views_and_changes():
    text = all_text(open_doc(report_docx(REPORT)))
    assert "We want to see the same nurse each time." in text
    assert "Source: Children in Care Council meeting" in text
    assert "between 1 April 2016 and 30 June 2016" in text
    assert "Review health assessments: Not started → On track" in text
    assert "Dental checks: March 2017 → June 2017" in text
    assert "New mentoring scheme" in text
    assert "Actions removed" not in text  # empty group left out


def test_report_bullets_and_paragraphs_from_newlines():
    document = open_doc(report_docx(REPORT))
    bullets = styled(document, "List Bullet")
    assert "Health assessments improved" in bullets
    assert "Dental checks up" in bullets
    texts = [p.text for p in document.paragraphs]
    assert "To update the Committee on progress." in texts
    assert f"It quotes {SCRIPT} as typed." in texts


def test_report_page_setup_header_and_footer():
    data = report_docx(REPORT)
    document = open_doc(data)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width.cm - 21.0) < 0.05
    assert abs(section.page_height.cm - 29.7) < 0.05
    assert abs(section.left_margin.cm - 2.0) < 0.05
    assert abs(section.right_margin - Cm(2)) < Cm(0.01)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    instructions = [el.text.strip() for el in section.footer._element.iter(qn("w:instrText"))]
    assert any(i.startswith("PAGE") for i in instructions)
    assert any(i.startswith("NUMPAGES") for i in instructions)
    assert section.footer.paragraphs[0].text.startswith("Page ")
    header_text = " ".join(p.text for p in section.header.paragraphs)
    assert REPORT["header"]["title"] in header_text
    assert document.styles["Normal"].font.name == "Arial"
    assert document.styles["Normal"].font.size.pt == 11
    assert document.styles["Heading 1"].font.name == "Arial"


def test_report_survives_control_characters_and_missing_keys():
    data = {**REPORT, "purpose": "Bad\x00char\x0bhere", "changes": None, "period": None}
    text = all_text(open_doc(report_docx(data)))
    assert "Badcharhere" in text
    minimal = open_doc(report_docx({"terms": TERMS}))
    assert styled(minimal, "Heading 1")[0] == "Purpose of the report"
    # A report with no title yet is named after the council's committee, not a fixed word.
    assert styled(minimal, "Title") == ["Report to the Corporate Parenting Committee"]


# --------------------------------------------------------------------------- plan


def test_plan_is_landscape_a4():
    section = open_doc(plan_docx(PLAN)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width.cm - 29.7) < 0.05
    assert abs(section.page_height.cm - 21.0) < 0.05


def test_plan_headings_and_as_at():
    document = open_doc(plan_docx(PLAN))
    assert styled(document, "Title") == [PLAN["title"]]
    assert styled(document, "Heading 1") == [
        "Strategy outcome 1: Looked after children and care leavers are happy and healthy",
        "Strategy outcome 2: Care leavers are in education, employment or training",
    ]
    heading = "How are we going to achieve these priority areas?"
    assert styled(document, "Heading 2") == [heading] * 2
    assert "As at 28 July 2016" in [p.text for p in document.paragraphs]
    no_date = [p.text for p in open_doc(plan_docx({**PLAN, "as_at": None})).paragraphs]
    assert not any(t.startswith("As at") for t in no_date)


def test_plan_owner_and_priority_tables():
    document = open_doc(plan_docx(PLAN))
    layout = table_with_header(document, "Responsible outcome owner(s)")
    assert len(layout) == 2
    first = layout[0]
    assert first.rows[0].cells[1].text == (
        "Jo Placeholder, Head of Service\nKim Sample, Designated Nurse"
    )
    assert first.rows[1].cells[0].text == "Priority areas for 2016/17"
    bullets = [p for p in first.rows[1].cells[1].paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == ["Timely health assessments", "Emotional wellbeing"]


def test_plan_action_tables_one_row_per_action():
    document = open_doc(plan_docx(PLAN))
    tables = table_with_header(document, "Action")
    assert len(tables) == 2
    for table, outcome in zip(tables, PLAN["outcomes"], strict=True):
        assert header_cells(table) == [
            "Action",
            "This work will be undertaken by",
            "Target date for completion",
            "Status",
            "RAG",
        ]
        assert repeats_header(table)
        assert len(table.rows) == 1 + len(outcome["actions"])
    rows = tables[0].rows
    assert rows[2].cells[2].text == "Not set"  # empty target
    assert rows[2].cells[4].text == "Not rated"
    assert rows[1].cells[3].text == "On track"


def test_plan_markup_literal_and_description_bullets():
    data = plan_docx(PLAN)
    document = open_doc(data)
    cell = table_with_header(document, "Action")[0].rows[1].cells[0]
    paragraphs = [(p.style.name, p.text) for p in cell.paragraphs]
    assert paragraphs[0] == ("Normal", "Improve health assessments")
    assert ("List Bullet", "audit timeliness") in paragraphs
    assert ("List Bullet", SCRIPT) in paragraphs
    assert "<script>" not in document_xml(data)


def test_plan_outcome_without_actions_has_no_action_table():
    data = copy.deepcopy(PLAN)
    data["outcomes"][1]["actions"] = []
    document = open_doc(plan_docx(data))
    assert len(table_with_header(document, "Action")) == 1
    assert "No actions have been added for this outcome." in all_text(document)


def test_plan_footer_has_page_field():
    footer = open_doc(plan_docx(PLAN)).sections[0].footer
    instructions = [el.text.strip() for el in footer._element.iter(qn("w:instrText"))]
    assert any(i.startswith("PAGE") for i in instructions)


# --------------------------------------------------------------------------- strategy


def test_strategy_headings_in_order():
    document = open_doc(strategy_docx(STRATEGY))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width.cm - 21.0) < 0.05
    assert styled(document, "Title") == [STRATEGY["title"]]
    assert styled(document, "Heading 1") == ["Vision", "Principles", "Our pledge", "Outcomes"]
    assert styled(document, "Heading 2") == [
        "Outcome 1: Looked after children and care leavers are happy and healthy",
        "Outcome 2: Care leavers are in education, employment or training",
    ]
    texts = [p.text for p in document.paragraphs]
    assert any("1 April 2015 to 31 March 2018" in t for t in texts)
    assert "Approved by Policy Committee on 17 June 2015" in texts


def test_strategy_pledge_only_when_present():
    document = open_doc(strategy_docx({**STRATEGY, "pledge": ""}))
    assert styled(document, "Heading 1") == ["Vision", "Principles", "Outcomes"]


def test_strategy_principles_bullets_and_markup():
    data = strategy_docx(STRATEGY)
    document = open_doc(data)
    assert styled(document, "List Bullet") == STRATEGY["principles"]
    assert SCRIPT in all_text(document)
    assert "<script>" not in document_xml(data)


def test_strategy_indicator_table():
    document = open_doc(strategy_docx(STRATEGY))
    tables = table_with_header(document, "Indicator")
    assert len(tables) == 1  # outcome 2 has no indicators
    table = tables[0]
    assert header_cells(table) == ["Indicator", "Definition", "Unit", "Better when", "Source"]
    assert repeats_header(table)
    assert [c.text for c in table.rows[1].cells] == [
        "Health assessments on time",
        "Children with an annual health assessment",
        "Percentage",
        "Higher is better",
        "SSDA903 return",
    ]
    assert "No indicators have been set for this outcome." in all_text(document)


def test_strategy_footer_has_page_field():
    footer = open_doc(strategy_docx(STRATEGY)).sections[0].footer
    instructions = [el.text.strip() for el in footer._element.iter(qn("w:instrText"))]
    assert any(i.startswith("PAGE") for i in instructions)


def test_module_does_not_import_django():
    code = (
        "import sys, reports.word as w; "
        f"w.report_docx({W}); w.plan_docx({W}); w.strategy_docx({W}); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = pathlib.Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("build", [report_docx, plan_docx, strategy_docx])
def test_data_with_only_the_words_still_gives_a_document(build):
    document = open_doc(build({"terms": TERMS}))
    assert len(styled(document, "Title")) == 1


# --------------------------------------------------------------------------- report types

APPROVAL = {
    **REPORT,
    "type": "approval",
    "period": {"label": "", "plan": "Action plan 2016-17", "strategy": "Children in Care"},
    "approval": {
        "plan": "Action plan 2016-17",
        "groups": [
            {
                "heading": "Statement 2: Feel safe and settled",
                "outcomes": [
                    {
                        "reference": "2.1",
                        "statement": "Fewer moves",
                        "kind": "",
                        "priorities": [
                            {
                                "title": "Placement stability",
                                "origin": "Children and young people's survey, rated red",
                                "rationale": "Children told us they move too often",
                            },
                            {"title": "Stable schools", "origin": "Other", "rationale": ""},
                        ],
                    }
                ],
            }
        ],
    },
}


def test_a_strategy_approval_report_tables_its_priorities_and_no_progress():
    document = open_doc(report_docx(APPROVAL))
    level2 = styled(document, "Heading 2")
    assert "Exceptions: red and overdue actions" not in level2
    assert "The outcomes and priority indicators for approval" in level2
    assert styled(document, "Heading 3") == ["Statement 2: Feel safe and settled"]
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "No."]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "No.",
        "Outcome",
        "Priority indicator",
        "Where it came from",
        "Why it was chosen",
    ]
    assert rows[1][0] == "2.1" and rows[1][4] == "Children told us they move too often"
    assert rows[2][2] == "Stable schools" and rows[2][4] == "Not recorded"


def test_an_annual_report_and_an_other_report():
    annual = {
        **REPORT,
        "type": "annual",
        "annual": {
            "year": "2016-17",
            "completed": [{"name": "Action 7", "outcome": "3"}],
            "carried": [],
            "left_behind": [],
            "withdrawn": [],
            "next_plans": ["2017-18"],
            "indicators": [],
        },
    }
    text = "\n".join(p.text for p in open_doc(report_docx(annual)).paragraphs)
    assert "The 2016-17 plan year" in text and "Action 7 (outcome 3)" in text
    assert "1 action completed" in text and "Exceptions" not in text
    other = open_doc(report_docx({**REPORT, "type": "other"}))
    assert "Progress by outcome" not in [p.text for p in other.paragraphs]
    assert REPORT["information"] in [p.text for p in other.paragraphs]


def test_optional_sections_in_their_places():
    data = {
        **REPORT,
        "sections": [
            {"heading": "Financial implications", "text": "Within budget.", "at_end": False},
            {"heading": "Background papers", "text": "", "at_end": True},
        ],
    }
    level1 = styled(open_doc(report_docx(data)), "Heading 1")
    assert level1[-4:] == [
        "Financial implications",
        "Recommendations",
        "Contact",
        "Background papers",
    ]
    text = [p.text for p in open_doc(report_docx(data)).paragraphs]
    assert text[-1].startswith("Not written yet")


def test_report_table_columns_are_wide_enough_for_their_header_words():
    """Word breaks a word too long for its column ("Outcom e"): every column is at least as
    wide as its longest header word in bold Arial (about 0.62 em a letter, 0.3 for i, l, r, t)
    and the cell margins."""
    document = open_doc(report_docx(REPORT))
    for table in document.tables:
        widths = [int(col.get(qn("w:w"))) / 567 for col in table._tbl.tblGrid.gridCol_lst]
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            size = cell.paragraphs[0].runs[0].font.size.pt
            ems = max(
                sum(0.3 if letter in "ilrtfj.,()" else 0.62 for letter in word)
                for word in cell.text.split()
            )
            assert width >= ems * size * 2.54 / 72 + 0.38, (cell.text, width)
