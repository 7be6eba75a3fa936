"""Excel (.xlsx) exports of the annual action plan and the strategy.

Pure Python on top of openpyxl: this module does not import Django, so it can be
used and tested on its own. Callers (views) turn model instances into the plain
dicts described on :func:`plan_xlsx` and :func:`strategy_xlsx` and send back the
bytes, e.g. with content type
``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``.

Every text cell goes through :func:`safe_text`, which defends against CSV/formula
injection (text that Excel, LibreOffice or Google Sheets would run as a formula).
Numbers (outcome numbers) and dates (the "as at" date) are written as real
numbers and dates, never through :func:`safe_text`.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "safe_text",
    "plan_xlsx",
    "strategy_xlsx",
    "write_header",
    "write_row",
    "finish_table",
    "fit_row_heights",
    "print_setup",
    "set_properties",
    "to_bytes",
]

# A cell starting with one of these is treated as a formula (or the start of one)
# by Excel and other spreadsheet programs, either when opened or after the sheet
# has been saved as CSV and opened again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel's limit on the number of characters in one cell.
MAX_CELL_CHARS = 32767

PLAN_SHEET = "Action plan"


def _cap(word):
    return word[:1].upper() + word[1:]


def _outcome_headers(terms):
    """The outcome columns, in the council's words (data["terms"], Terms.as_dict)."""
    outcome = _cap(terms["outcome"])
    return (f"{outcome} number", outcome, f"{outcome} owners", _cap(terms["priorities"]))


PLAN_ACTION_HEADERS = (
    "Action",
    "This work will be undertaken by",
    "Target date for completion",
    "Status",
    "RAG",
)
PLAN_WIDTHS = (10, 32, 30, 40, 60, 30, 16, 16, 9)
COMMITMENTS_SHEET = "Commitments with no action"
PLAN_OUTCOMES_WIDTHS = (10, 40, 36, 60)

STRATEGY_SHEET = "Strategy"
INDICATORS_SHEET = "Indicators"
INDICATORS_HEADERS = (
    "Owners",
    "Indicator",
    "Definition",
    "Unit",
    "Better when",
    "Source",
)
INDICATORS_WIDTHS = (10, 32, 30, 36, 60, 14, 18, 30)

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "d mmmm yyyy"  # shows as "28 July 2016"

RAG_FILLS = {
    "red": PatternFill("solid", fgColor="F4B6B6"),
    "amber": PatternFill("solid", fgColor="FFE0A3"),
    "green": PatternFill("solid", fgColor="B7E1B0"),
}


def safe_text(value) -> str:
    """Return ``value`` as text that is safe to put in a spreadsheet cell.

    * ``None`` becomes ``""``; anything else is converted with ``str()``.
    * Characters that cannot be stored in an .xlsx file (ASCII control
      characters other than tab, line feed and carriage return) are removed.
    * If the text then starts with ``=``, ``+``, ``-``, ``@``, a tab or a
      carriage return, a single apostrophe ``'`` is put in front of it. The
      exporters here also store every text cell with data type ``"s"`` (string),
      so Excel never evaluates it when the workbook is opened; the apostrophe
      means it still is not run as a formula if someone saves the sheet as CSV
      and opens that file again. The apostrophe is visible in the cell. This is
      the OWASP "CSV injection" advice.
    * Line endings are then normalised to ``"\\n"`` (Excel's line break in a
      cell).
    * Text longer than Excel's limit of 32,767 characters is cut to fit, ending
      with "…".

    Action descriptions often contain bullet lists whose lines start with
    ``"- "``. Only the first character of a cell matters to a spreadsheet, so
    bullets on later lines are left alone, but a description whose *first* line
    is a bullet is prefixed too (``"'- Meet every child …"``): we cannot tell a
    bullet from a formula such as ``-2+3`` or ``-1+HYPERLINK(…)`` reliably, and
    keeping the cell as text is the point. The cost is a visible apostrophe in
    front of the first bullet.

    Use this only for text. Numbers and dates should be written as numbers and
    dates (``safe_text(-5)`` gives ``"'-5"``, which is text).
    """
    if value is None:
        return ""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_TRIGGERS):
        text = "'" + text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def plan_xlsx(data: dict) -> bytes:
    """Return the annual action plan as an .xlsx workbook.

    ``data``::

        {
            "title": "<the strategy's title>: ...",
            "as_at": "2016-07-28",  # ISO date or datetime string, or None
            "outcomes": [
                {
                    "number": 1,
                    "statement": "Looked after children and care leavers are ...",
                    "owners": ["Name, Job title", ...],
                    "priority_areas": ["text", ...],
                    "actions": [
                        {
                            "description": "text, may be multi-line",
                            "undertaken_by": "text",
                            "target": "March 2017",  # or ""
                            "status": "On track",
                            "rag": "Green",  # or ""
                        },
                    ],
                },
            ],
        }

    Sheet "Action plan": title (row 1), "As at" + the date (row 2, only when
    ``as_at`` is set), then the header row and one row per action, in the order
    given. The outcome columns are repeated on every row so the sheet can be
    filtered and sorted; an outcome without actions gets one row with empty
    action cells. Sheet "Outcomes": one row per outcome. Where the plan data has
    them (see reports.word.plan_docx for the keys), there are also columns for the
    group's or kind's heading ("Section"), why the priorities were chosen, the
    action's number, what else it serves and its comment, and a sheet of the
    commitments with no action.

    Raises ``ValueError`` if ``as_at`` is not an ISO date/datetime.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    set_properties(wb, data.get("title"), creator=data.get("council"))

    ws.cell(row=1, column=1, value=safe_text(data.get("title"))).font = TITLE_FONT
    row = 2
    as_at = _parse_date(data.get("as_at"))
    if as_at is not None:
        ws.cell(row=row, column=1, value=safe_text("As at")).font = BOLD
        date_cell = ws.cell(row=row, column=2, value=as_at)
        date_cell.number_format = DATE_FORMAT
        date_cell.alignment = Alignment(horizontal="left")
        row += 1

    header_row = row
    terms = data["terms"]
    outcomes = data.get("outcomes") or []
    actions = [action for outcome in outcomes for action in outcome.get("actions") or []]
    # Columns only where the plan has something for them, so a plan without sections, action
    # numbers, comments or reasons keeps the columns it always had.
    sections = any(outcome.get("heading") for outcome in outcomes)
    reasons = any(outcome.get("why_chosen") for outcome in outcomes)
    numbered = bool(data.get("action_numbers"))
    shared = any(action.get("also_serves") for action in actions)
    comments = any(action.get("comment") for action in actions)
    outcome_headers = (
        *(["Section"] if sections else []),
        *_outcome_headers(terms),
        *(["Why chosen"] if reasons else []),
    )
    section_width, why_width = [24] if sections else [], [50] if reasons else []
    headers = (
        *outcome_headers,
        *(["No."] if numbered else []),
        "Action",
        *(["Also serves"] if shared else []),
        *PLAN_ACTION_HEADERS[1:],
        *(["Comment"] if comments else []),
    )
    widths = (
        *section_width,
        *PLAN_WIDTHS[:4],
        *why_width,
        *([8] if numbered else []),
        60,
        *([24] if shared else []),
        *PLAN_WIDTHS[-4:],
        *([40] if comments else []),
    )
    rag_column = len(headers) - (1 if comments else 0)
    write_header(ws, header_row, headers)
    row += 1
    outcome_rows = [
        (
            *([outcome.get("heading")] if sections else []),
            None if outcome.get("is_heading") else _number(outcome),
            outcome.get("statement"),
            _lines(outcome.get("owners")),
            _lines(outcome.get("priority_areas")),
            *([_why_chosen(outcome.get("why_chosen"))] if reasons else []),
        )
        for outcome in outcomes
    ]
    for outcome, outcome_cells in zip(outcomes, outcome_rows, strict=True):
        for action in outcome.get("actions") or [{}]:
            rag = action.get("rag")
            cells = (
                *outcome_cells,
                *([action.get("reference")] if numbered else []),
                action.get("description"),
                *([", ".join(action.get("also_serves") or [])] if shared else []),
                action.get("undertaken_by"),
                action.get("target"),
                action.get("status"),
                rag,
                *([action.get("comment")] if comments else []),
            )
            write_row(ws, row, cells)
            fill = RAG_FILLS.get(str(rag or "").strip().lower())
            if fill is not None:
                ws.cell(row=row, column=rag_column).fill = fill
            row += 1
    finish_table(ws, header_row, row - 1, widths, landscape=True)

    # A sheet's name has at most 31 characters and none of []:*?/\
    outcomes_ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "", _cap(terms["outcomes"]))[:31])
    write_header(outcomes_ws, 1, outcome_headers)
    for row, cells in enumerate(outcome_rows, start=2):
        write_row(outcomes_ws, row, cells)
    outcomes_widths = (*section_width, *PLAN_OUTCOMES_WIDTHS, *why_width)
    finish_table(outcomes_ws, 1, len(outcome_rows) + 1, outcomes_widths, landscape=True)

    missing = data.get("commitments_without_action")
    if missing is not None:
        commitments_ws = wb.create_sheet(COMMITMENTS_SHEET)
        write_header(commitments_ws, 1, (_cap(terms["outcome"]), "Commitment"))
        for row, commitment in enumerate(missing, start=2):
            write_row(commitments_ws, row, (commitment.get("outcome"), commitment.get("text")))
        finish_table(commitments_ws, 1, len(missing) + 1, (24, 80), landscape=True)

    return to_bytes(wb)


def _number(outcome):
    """The outcome's number as the strategy writes it: a real number where it is one (7),
    else text (2.3)."""
    reference = outcome.get("reference")
    if reference in (None, ""):
        return outcome.get("number")
    return int(reference) if str(reference).isdigit() else reference


def _why_chosen(priorities):
    lines = []
    for priority in priorities or []:
        line = str(priority.get("title") or "")
        if priority.get("rationale"):
            line += f": {priority['rationale']}"
        if priority.get("origin"):
            line += f" (where it came from: {priority['origin']})"
        lines.append(line)
    return "\n".join(lines)


def strategy_xlsx(data: dict) -> bytes:
    """Return the strategy as an .xlsx workbook.

    ``data``::

        {
            "title": "...",
            "period": "1 April 2015 to 31 March 2018",
            "status": "Approved by <the committee> on 17 June 2015",
            "vision": "text",
            "principles": ["...", ...],
            "pledge": "text",  # or ""
            "outcomes": [
                {
                    "number": 1,
                    "statement": "...",
                    "owners": ["..."],
                    "commitment": "text",  # or ""
                    "indicators": [
                        {
                            "title": "...",
                            "definition": "...",
                            "unit": "Percentage",
                            "better": "Higher is better",
                            "source": "...",
                        },
                    ],
                },
            ],
        }

    Sheet "Strategy": label/value rows (column A / column B) - title, period,
    status, vision, one row per principle, pledge (only when set), then an
    "Outcomes" block: per outcome its statement, owners and commitment (only
    when set). Where the data has them (see reports.word.strategy_docx): the draft's
    version, the strategy's own sections, the group's or kind's headings (in bold
    in column B, then their description), the outcome's kind and number as written,
    and its commitments. Sheet "Indicators": header row and one row per indicator,
    with the outcome columns repeated; outcomes without indicators get no row.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = STRATEGY_SHEET
    terms = data["terms"]
    set_properties(wb, data.get("title"), creator=data.get("council"))

    ws.cell(row=1, column=1, value=safe_text(data.get("title"))).font = TITLE_FONT
    row = 3

    def labelled(label, value, label_font=BOLD):
        nonlocal row
        if label:
            ws.cell(row=row, column=1, value=safe_text(label)).font = label_font
            ws.cell(row=row, column=1).alignment = WRAP_TOP
        _text_cell(ws, row, 2, value)
        row += 1

    if data.get("version"):
        labelled("Version", data.get("version"))
    labelled("Period", data.get("period"))
    labelled("Status", data.get("status"))
    labelled("Vision", data.get("vision"))
    for index, principle in enumerate(data.get("principles") or []):
        labelled("Principles" if index == 0 else None, principle)
    if data.get("pledge"):
        labelled("Pledge", data.get("pledge"))
    for section in data.get("sections") or []:
        labelled(section.get("heading"), "\n\n".join(section.get("paragraphs") or []))

    outcomes = data.get("outcomes") or []
    if outcomes:
        row += 1
        ws.cell(row=row, column=1, value=safe_text(_cap(terms["outcomes"]))).font = TITLE_FONT
        row += 1
        last_heading = ""
        for outcome in outcomes:
            heading = outcome.get("heading") or ""
            if heading and heading != last_heading:
                _text_cell(ws, row, 2, heading).font = BOLD
                row += 1
                if outcome.get("heading_description"):
                    labelled(None, outcome.get("heading_description"))
            last_heading = heading
            number = outcome.get("reference") or outcome.get("number")
            word = outcome.get("kind_label") or _cap(terms["outcome"])
            label = word + ("" if number in (None, "") else f" {number}")
            labelled(label, outcome.get("statement"))
            labelled("Owners", _lines(outcome.get("owners")), label_font=Font())
            if outcome.get("commitment"):
                labelled("Commitment", outcome.get("commitment"), label_font=Font())
            if outcome.get("commitments"):
                labelled("Commitments", _lines(outcome.get("commitments")), label_font=Font())
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    print_setup(ws, landscape=False)

    ind_ws = wb.create_sheet(INDICATORS_SHEET)
    write_header(ind_ws, 1, (*_outcome_headers(terms)[:2], *INDICATORS_HEADERS))
    row = 2
    for outcome in outcomes:
        for indicator in outcome.get("indicators") or []:
            cells = (
                _number(outcome),
                outcome.get("statement"),
                _lines(outcome.get("owners")),
                indicator.get("title"),
                indicator.get("definition"),
                indicator.get("unit"),
                indicator.get("better"),
                indicator.get("source"),
            )
            write_row(ind_ws, row, cells)
            row += 1
    finish_table(ind_ws, 1, row - 1, INDICATORS_WIDTHS, landscape=True)

    return to_bytes(wb)


# --- helpers -----------------------------------------------------------------


def _text_cell(ws: Worksheet, row: int, column: int, value):
    """Write ``value`` as a (safe) string cell; leave the cell empty for ""."""
    cell = ws.cell(row=row, column=column)
    text = safe_text(value)
    if text:
        cell.value = text
        cell.data_type = "s"  # never "f", whatever the text looks like
    cell.alignment = WRAP_TOP
    return cell


def write_row(ws: Worksheet, row: int, values: Iterable) -> None:
    """Write a table row: real numbers and dates as such, everything else as safe text."""
    for column, value in enumerate(values, start=1):
        if isinstance(value, datetime.date):
            cell = ws.cell(row=row, column=column, value=value)
            cell.number_format = DATE_FORMAT
            cell.alignment = WRAP_TOP
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cell = ws.cell(row=row, column=column, value=value)
            cell.alignment = Alignment(vertical="top", horizontal="left")
        else:
            _text_cell(ws, row, column, value)


def write_header(ws: Worksheet, row: int, headers: Iterable[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = _text_cell(ws, row, column, header)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def finish_table(
    ws: Worksheet, header_row: int, last_row: int, widths: Iterable[int], *, landscape: bool
) -> None:
    """Column widths, frozen header, autofilter over the table and print setup."""
    widths = list(widths)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    last_column = get_column_letter(len(widths))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_column}{max(last_row, header_row)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    fit_row_heights(ws, header_row, last_row)
    print_setup(ws, landscape=landscape)


LINE_HEIGHT = 15  # points: one line of 11-point text
MAX_ROW_HEIGHT = 409  # Excel's limit


def fit_row_heights(ws: Worksheet, first_row: int, last_row: int) -> None:
    """Make each row tall enough for its wrapped text. openpyxl cannot measure text, and a row
    without a height shows one line in LibreOffice, so the text of one row covers the next.
    The estimate errs on the tall side."""
    widths = {letter: dimension.width for letter, dimension in ws.column_dimensions.items()}
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.value:
                per_line = max(1, int(widths.get(cell.column_letter) or 8))
                lines = max(
                    lines,
                    sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n")),
                )
        ws.row_dimensions[row[0].row].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)


def print_setup(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _lines(values) -> str:
    """Join a list of strings with line breaks (for owners, priority areas)."""
    if not values:
        return ""
    if isinstance(values, str):
        return values
    return "\n".join(str(v) for v in values if v not in (None, ""))


def _parse_date(value) -> datetime.date | None:
    """The "as at" date: ISO date/datetime string (or date/datetime) to a date.

    A datetime's own calendar date is used, without converting time zones, so
    pass a local (Europe/London) time if the time of day matters.
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        raise ValueError(f"as_at is not an ISO date or datetime: {value!r}") from None


def set_properties(wb: Workbook, title, *, creator=None) -> None:
    wb.properties.title = ILLEGAL_CHARACTERS_RE.sub("", str(title or ""))[:255] or None
    wb.properties.creator = creator or None


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
