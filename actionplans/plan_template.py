"""The action plan spreadsheet template: one row per action, read from .xlsx or CSV and written
to .xlsx.

This module knows about cells and columns only; `actionplans.plan_import` decides what the rows
mean for the plan. It does not import Django models, so it can be tested on its own.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation

from lacstrategy.text_files import decode_text
from reports.excel import (
    FORMULA_TRIGGERS,
    finish_table,
    fit_row_heights,
    print_setup,
    set_properties,
    to_bytes,
    write_header,
    write_row,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A plan has tens of actions; a sheet far bigger than any plan is refused before it is compared.
MAX_ROWS = 2000
# An .xlsx is a zip: refuse one that would unpack to far more than a real plan (a zip bomb).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
KIND_CHOICES = ["Delivery", "Outcome", "None", "Heading"]
NOT_A_SPREADSHEET = "The file is not a spreadsheet: upload an Excel .xlsx or a CSV file"

SHEET_NAME = "Action plan"
CSV_SHEET_NAME = "CSV file"  # how messages name the one "sheet" of a CSV file
GUIDANCE_SHEET_NAME = "How to fill this in"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    guidance: str
    width: int
    required: bool = False
    aliases: tuple = ()


COLUMNS = (
    Column(
        "service_id",
        "ID in this service",
        "Filled in by the export: the action's ID in this service, so that a file brought back "
        "changes the same actions. Leave it as it is; leave it empty for a new action. It is not "
        "the plan's own action number: that goes in 'Action number'.",
        11,
        aliases=("id", "service id", "id in the service"),
    ),
    Column(
        "outcome_number",
        "Outcome number",
        "Required. The outcome's number in the strategy, such as 1, or its statement as the "
        "strategy words it. A cell may name several outcomes, such as '1, 3, 5': the action goes "
        "under the first and also contributes to the others. A column headed 'Priority' is read "
        "as this one, unless 'priority' is your word for a priority indicator.",
        10,
        required=True,
        aliases=("outcome no", "strategy outcome number", "priority", "priorities"),
    ),
    Column(
        "outcome",
        "Outcome",
        "The outcome statement. Needed for an outcome the strategy does not have yet.",
        32,
        aliases=("outcome statement", "strategy outcome"),
    ),
    Column(
        "outcome_kind",
        "Outcome kind",
        "Delivery, Outcome or None (or Heading, for a plan heading that is not an outcome). "
        "Empty leaves an outcome's kind as it is; a new outcome then has none.",
        12,
        aliases=("kind", "outcome type", "type of outcome"),
    ),
    Column(
        "outcome_owners",
        "Outcome owners",
        "E-mail addresses or full names of the outcome's owners, separated by semicolons. Each "
        "must be someone who can sign in to this service. Empty in every row of an outcome: no "
        "owners.",
        30,
        aliases=(
            "outcome owner",
            "outcome owners emails",
            "responsible outcome owner",
            "responsible outcome owners",
            "owners",
        ),
    ),
    Column(
        "priority_indicator",
        "Priority indicator",
        "The indicator this action improves, as the strategy words it. A new wording adds an "
        "indicator to the outcome. Without this column (or with the cell empty) the action goes "
        "under the outcome's only priority indicator in the plan; if it has none, a new one with "
        "no figure, named after the outcome, is made for it.",
        36,
        aliases=("priority area", "priority areas", "priority indicators"),
    ),
    Column(
        "action_number",
        "Action number",
        "The plan's own number for the action, if it numbers them: 7 or 2.3. Each number once "
        "in the plan. A row with a number the plan has already changes that action.",
        10,
        aliases=("action no", "action ref", "action reference", "ref", "ref no", "no"),
    ),
    Column(
        "action",
        "Action",
        "What will be done. Leave empty only on a row that lists a priority indicator "
        "with no actions yet.",
        60,
        required=True,
        aliases=("actions", "action description"),
    ),
    Column(
        "measure",
        "Measure",
        "How we will know it has made a difference.",
        36,
        aliases=("measures", "how will we know"),
    ),
    Column(
        "undertaken_by",
        "Undertaken by",
        "Who will do the work, as the plan writes it: initials, a person, a team or a role. "
        "Where the sheet has no 'Lead users' column, anyone named here by their full name or "
        "e-mail address who can sign in is made one of the action's leads too.",
        30,
        aliases=(
            "this work will be undertaken by",
            "lead",
            "leads",
            "lead officer",
            "lead officers",
            "responsible officer",
        ),
    ),
    Column(
        "lead_users",
        "Lead users",
        "Optional. The leads who can sign in, by e-mail address or full name, separated by "
        "semicolons.",
        30,
        aliases=("lead user", "lead emails", "lead users emails", "lead user emails"),
    ),
    Column(
        "target_date",
        "Target date",
        "A date, such as 31/03/2017. For a target in words, use the next column.",
        14,
        aliases=("target date for completion",),
    ),
    Column(
        "target_text",
        "Target in words",
        "The target as the plan writes it, such as 'Sep 16', 'March 2017', 'Q3' or 'Ongoing - "
        "review 6 monthly'. Where the sheet has no 'Target date' column, the date is worked out "
        "from the words: the end of the month named, or the end of the quarter of the plan's "
        "April to March year (Q1 ends on 30 June, Q4 on 31 March); none for 'Ongoing' or an "
        "empty cell.",
        20,
        aliases=("target words", "target", "timescale", "timescales", "by when", "deadline"),
    ),
    Column(
        "cyp_views",
        "C&YP views",
        "What children and young people have said about this action.",
        30,
        aliases=("children and young peoples views", "cyp views", "young peoples views"),
    ),
    Column(
        "status",
        "Status",
        "One of: {statuses}. Empty means Not started.",
        14,
    ),
    Column("rag", "RAG", "Red, Amber or Green. Empty means not rated.", 9, aliases=("rag rating",)),
    Column("comment", "Comment", "Any note about the action.", 36, aliases=("comments", "notes")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = [column for column in COLUMNS if column.required]


def header_key(text) -> str:
    """Headers match ignoring case, spacing and punctuation: 'C & YP views' is 'cypviews'."""
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


_HEADER_LOOKUP = {
    header_key(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)
}
# Exports made before action numbers headed the service's IDs "Reference"; a council's sheet may
# head its action numbers so. The import decides which by the column's values.
REFERENCE = "reference"
_HEADER_LOOKUP[header_key("Reference")] = REFERENCE
# Which level of the strategy a column names, so that a council's own word for a level does not
# take a heading the template gives to the same level ("Outcomes" stays the statement).
_LEVELS = {"outcome": "outcome", "outcome_number": "outcome", "priority_indicator": "priority"}


def header_lookup(council_headings=None):
    """Heading -> column key: the template's, with the council's words for its levels
    (header_key(word) -> key) taking a heading that names another level or none."""
    lookup = dict(_HEADER_LOOKUP)
    for heading, key in (council_headings or {}).items():
        if heading not in lookup or _LEVELS.get(lookup[heading]) != _LEVELS.get(key):
            lookup[heading] = key
    return lookup


@dataclass
class TemplateRow:
    number: int  # the row number as the spreadsheet shows it
    values: dict  # column key -> cell value: "" for empty, str, int, float or date


@dataclass
class TemplateSheet:
    sheet_name: str = ""
    columns: list = field(default_factory=list)  # the keys of the columns found, left to right
    headers: dict = field(default_factory=dict)  # column key -> its heading as the file words it
    unknown_headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)


class TemplateError(Exception):
    """The file cannot be read as a plan at all."""


def read_template(file_name: str, data: bytes, council_headings=None) -> TemplateSheet:
    """Read an uploaded .xlsx or CSV file into rows keyed by column. Raises TemplateError when
    it is not a readable spreadsheet with the template's columns. `council_headings` are the
    council's words for the strategy's levels (see header_lookup)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TemplateError(
            f"The file is {len(data) / (1024 * 1024):.1f} MB; the largest file that can be "
            f"imported is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
        )
    if not data.strip():
        raise TemplateError("The file is empty")
    if data.startswith(b"PK"):
        sheets = _xlsx_sheets(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TemplateError(
            "This is an Excel 97-2003 (.xls) file. Open it in Excel, save it as an Excel "
            "Workbook (.xlsx) and upload that"
        )
    elif file_name.lower().endswith((".csv", ".txt")) or _looks_like_text(data):
        sheets = [(CSV_SHEET_NAME, _csv_grid(data))]
    else:
        raise TemplateError(NOT_A_SPREADSHEET)
    return _find_table(sheets, header_lookup(council_headings))


def _looks_like_text(data: bytes) -> bool:
    return b"\x00" not in data[:4096] and not data.startswith((b"%PDF", b"\x89PNG", b"GIF8"))


def _csv_grid(data: bytes):
    text = decode_text(data)
    if text is None:
        raise TemplateError(NOT_A_SPREADSHEET)
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as error:
        raise TemplateError(f"The CSV file cannot be read: {error}") from error


DAMAGED_WORKBOOK = (
    "The file could not be read as an Excel workbook; it may be damaged. Open it in "
    "Excel, save it again as an Excel Workbook (.xlsx) and upload that"
)


def _xlsx_sheets(data: bytes):
    """Each sheet's rows, read as a stream (openpyxl's read-only mode): a whole loaded workbook
    of the largest size allowed took 11 s and 120 MB more, the stream a fraction of that."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise TemplateError("The workbook is too large to import")
            merges = _refuse_huge_sheets(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        return [
            (sheet.title, _sheet_grid(sheet, merges.get(sheet._worksheet_path.lstrip("/"), [])))
            for sheet in workbook.worksheets
        ]
    except TemplateError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TemplateError(DAMAGED_WORKBOOK) from error


MERGE_RE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')
MAX_MERGED_CELLS = 100_000
# A full plan of MAX_ROWS rows has about 20,000 cells. A small file can hold millions (an
# 846 KB "zip bomb" took 104 s and 1.6 GB to load), so they are counted before loading.
MAX_CELLS = 250_000
# <c ...>, <c>, <c/> and a namespaced <x:c ...>: every way a sheet can write a cell.
CELL_TAG_RE = re.compile(rb"<(?:\w+:)?c[\s/>]")


def _refuse_huge_sheets(archive):
    """Count the cells, and the cells of merged ranges, in the sheets' XML (at most
    MAX_UNPACKED_BYTES of it) before anything is built from them. Returns each sheet's merged
    ranges (which openpyxl's read-only mode does not give) by its path in the archive."""
    merges = {}
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        xml = archive.read(name)
        cells = sum(1 for _ in CELL_TAG_RE.finditer(xml))
        if cells > MAX_CELLS:
            raise TemplateError(
                f"The workbook has {cells:,} cells in one sheet; an action plan has far fewer. "
                "Copy the plan's rows into a new workbook and upload that"
            )
        ranges = [
            range_boundaries(f"{first.decode()}:{last.decode()}")
            for first, last in MERGE_RE.findall(xml)
        ]
        merged = sum(
            (max_col - min_col + 1) * (max_row - min_row + 1)
            for min_col, min_row, max_col, max_row in ranges
        )
        if merged > MAX_MERGED_CELLS:
            raise TemplateError(
                f"The workbook merges {merged:,} cells. Unmerge the cells of the plan's rows "
                "(Home, Merge & Center, Unmerge Cells) and upload it again"
            )
        merges[name] = ranges
    return merges


def _sheet_grid(sheet, merged_ranges):
    # A merged cell holds its value in its top-left cell only; a plan often merges the outcome
    # down all of its actions, so the value belongs to every row of the range. The stream
    # meets the top-left cell first, but may stop a row (or the sheet) before the range ends:
    # a file need not write the cells a merge covers.
    top_left_of = {
        (row, column): (min_row, min_col)
        for min_col, min_row, max_col, max_row in merged_ranges
        for row in range(min_row, max_row + 1)
        for column in range(min_col, max_col + 1)
    }
    widest = {}
    for row, column in top_left_of:
        widest[row] = max(widest.get(row, 0), column)
    merged_values = {}

    def filled(number, values):
        values += [None] * (widest.get(number, 0) - len(values))
        for column in range(1, len(values) + 1):
            top_left = top_left_of.get((number, column))
            if top_left == (number, column):
                merged_values[top_left] = values[column - 1]
            elif top_left is not None:
                values[column - 1] = merged_values.get(top_left)
        return number, values

    sheet.reset_dimensions()  # the file's own note of its size may be wrong: read it all
    number = 0
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield filled(
                number,
                [_cell_value(c) for c in cells],
            )
    except Exception as error:  # the stream meets a damaged part only as it reads it
        raise TemplateError(DAMAGED_WORKBOOK) from error
    for missing in range(number + 1, max(widest, default=0) + 1):
        yield filled(missing, [])


class FormulaCell(str):
    """A cell that holds a formula rather than a value: never imported."""


# Excel turns "Sep-16" typed in a cell into 1 September 2016 shown as "mmm-yy": a month, not a
# day. Such a cell is read as the words it shows.
MONTH_FORMAT_TOKENS = {"mmmm": "%B", "mmm": "%b", "mm": "%m", "m": "%-m", "yyyy": "%Y", "yy": "%y"}


def _cell_value(cell):
    if cell.data_type == "f":
        return FormulaCell(str(cell.value))
    if isinstance(cell.value, datetime.datetime | datetime.date):
        shown = _month_format(getattr(cell, "number_format", "") or "")
        if shown:
            return cell.value.strftime(shown)
    return cell.value


def _month_format(number_format):
    """The strftime format for an Excel date format that shows a month by name and a year but
    no day ("mmm-yy", "[$-809]mmmm yyyy;@"), else ''."""
    text = re.sub(r"\[[^\]]*\]|[\\\"]", "", number_format.split(";")[0]).lower()
    tokens = set(re.findall(r"y+|m+|[a-z]+", text))
    if not tokens & {"mmm", "mmmm"} or not tokens <= set(MONTH_FORMAT_TOKENS) or "y" not in text:
        return ""
    return re.sub(r"y+|m+", lambda token: MONTH_FORMAT_TOKENS[token.group(0)], text)


def _find_table(sheets, lookup) -> TemplateSheet:
    """The sheet with the template's headings in one of its first rows: the one named "Action
    plan" if there is one, else the only one. Several would be a guess, so they are refused."""
    found, best_missing = [], None
    for sheet_name, grid in sheets:
        grid = iter(grid)
        for number, cells in grid:
            keys = [lookup.get(header_key(cell)) for cell in cells]
            present = {key for key in keys if key}
            if present:
                missing = [c.header for c in REQUIRED if c.key not in present]
                if not missing:
                    found.append((sheet_name, number, cells, keys, grid))
                    break
                if best_missing is None or len(missing) < len(best_missing[1]):
                    best_missing = (sheet_name, missing)
            if number >= HEADER_SEARCH_ROWS:
                break
    named = [table for table in found if header_key(table[0]) == header_key(SHEET_NAME)]
    if len(named) == 1 or len(found) == 1:
        return _read_rows(*(named or found)[0])
    if found:
        raise TemplateError(
            "The workbook has several sheets with the template's columns ("
            + ", ".join(f"'{table[0]}'" for table in found)
            + f"). Name the one for this plan '{SHEET_NAME}', or upload a workbook with one plan"
        )
    if best_missing:
        sheet_name, missing = best_missing
        raise TemplateError(
            f"The sheet '{sheet_name}' has no "
            + " or ".join(f"'{header}'" for header in missing)
            + " column. Download the template to see the columns"
        )
    raise TemplateError(
        "The file has no row of column headings from the template, such as 'Outcome number' "
        "(or 'Priority') and 'Action'. Download the template to see the columns"
    )


def _read_rows(sheet_name, header_number, header_cells, keys, grid) -> TemplateSheet:
    table = TemplateSheet(sheet_name=sheet_name)
    positions = {}
    for position, (cell, key) in enumerate(zip(header_cells, keys, strict=True)):
        if key is None:
            if str(cell or "").strip():
                table.unknown_headers.append(str(cell).strip())
            continue
        if key in positions:
            table.errors.append(
                f"Row {header_number}: the columns '{table.headers[key]}' and '{str(cell).strip()}'"
                " are the same column of the template: keep one"
            )
            continue
        positions[key] = position
        table.headers[key] = str(cell).strip()
    table.columns = list(positions)
    for number, cells in grid:
        values = {
            key: _plain(cells[pos] if pos < len(cells) else None) for key, pos in positions.items()
        }
        if all(value == "" for value in values.values()):
            continue
        if len(table.rows) == MAX_ROWS:
            raise TemplateError(
                f"The sheet '{sheet_name}' has more than {MAX_ROWS:,} rows. An action plan has "
                "one row for each action: check that the sheet holds one plan only"
            )
        table.rows.append(TemplateRow(number=number, values=values))
    if not table.rows and not table.errors:
        raise TemplateError(f"The sheet '{sheet_name}' has column headings but no rows under them")
    return table


def _plain(value):
    """A cell's value, with text trimmed, and the apostrophe the export puts in front of text
    that looks like a formula taken off again."""
    if value is None:
        return ""
    if isinstance(value, FormulaCell):
        return value
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if text.startswith("'") and text[1:2] and text[1:2] in (*FORMULA_TRIGGERS, "'"):
            text = text[1:]
        return text
    return value


def read_upload(file_name: str, data: bytes, council_headings=None) -> dict:
    """An upload read once, as JSON to keep with it (PlanImport.parsed): its rows, or why it
    cannot be read. The preview and the confirmation then compare the kept rows to the plan,
    without reading the file again."""
    try:
        sheet = read_template(file_name, data, council_headings)
    except TemplateError as error:
        return {"error": str(error)}
    return {
        "sheet_name": sheet.sheet_name,
        "columns": sheet.columns,
        "headers": sheet.headers,
        "unknown_headers": sheet.unknown_headers,
        "errors": sheet.errors,
        "rows": [
            [row.number, {key: _to_json(value) for key, value in row.values.items()}]
            for row in sheet.rows
        ],
    }


def kept_sheet(parsed: dict) -> TemplateSheet:
    """The sheet read_upload kept; TemplateError if the file could not be read."""
    if "error" in parsed:
        raise TemplateError(parsed["error"])
    return TemplateSheet(
        sheet_name=parsed["sheet_name"],
        columns=parsed["columns"],
        # Uploads kept before headings were kept: named by the template's headings.
        headers=parsed.get("headers")
        or {
            key: getattr(COLUMN_BY_KEY.get(key), "header", "Reference") for key in parsed["columns"]
        },
        unknown_headers=parsed["unknown_headers"],
        errors=parsed["errors"],
        rows=[
            TemplateRow(number=number, values={k: _from_json(v) for k, v in values.items()})
            for number, values in parsed["rows"]
        ],
    )


# JSON has no dates and no formulas: such a cell is kept as {"date": "2017-03-31"} and so on.
_KEPT_KINDS = {
    "formula": (FormulaCell, str, FormulaCell),
    "datetime": (datetime.datetime, datetime.datetime.isoformat, datetime.datetime.fromisoformat),
    "date": (datetime.date, datetime.date.isoformat, datetime.date.fromisoformat),
    "time": (datetime.time, datetime.time.isoformat, datetime.time.fromisoformat),
}


def _to_json(value):
    for kind, (cls, dump, _) in _KEPT_KINDS.items():
        if isinstance(value, cls):
            return {kind: dump(value)}
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)  # anything else openpyxl may give (a duration) is read as its text


def _from_json(value):
    if isinstance(value, dict):
        [(kind, text)] = value.items()
        return _KEPT_KINDS[kind][2](text)
    return value


# Writing


def template_xlsx(rows, *, title: str, statuses: list[str]) -> bytes:
    """The template as an .xlsx: the "Action plan" sheet with one row per dict in `rows` (keyed
    by column key; dates as dates, numbers as numbers, anything else written as safe text), and
    a sheet that explains each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    set_properties(workbook, title)
    write_header(sheet, 1, [column.header for column in COLUMNS])
    number = 1
    for number, row in enumerate(rows, start=2):
        write_row(sheet, number, [_escaped(row.get(column.key)) for column in COLUMNS])
    last_row = max(number, 200)  # room to add rows by hand with the same drop-down lists
    _add_choices(sheet, "status", statuses, last_row)
    _add_choices(sheet, "rag", ["Red", "Amber", "Green"], last_row)
    _add_choices(sheet, "outcome_kind", KIND_CHOICES, last_row)
    finish_table(sheet, 1, number, [column.width for column in COLUMNS], landscape=True)

    guidance = workbook.create_sheet(GUIDANCE_SHEET_NAME)
    write_header(guidance, 1, ["Column", "What to put in it"])
    explained = [
        (column.header, column.guidance.format(statuses=", ".join(statuses))) for column in COLUMNS
    ]
    explained += [
        ("", ""),
        (
            "Matching",
            "Column headings match ignoring capitals and spaces, and a plan's own headings are "
            "understood too: 'Priority', 'Lead', 'Timescale', 'Comment', 'Ref' or 'No.'; the "
            "preview says how each heading was read. Rows are matched to the plan's outcomes by "
            "number, to priority indicators by their wording and to actions by their ID in this "
            "service, else their action number, else their wording, so importing the same file "
            "twice changes nothing. Actions that are in the plan but not in the file are left "
            "as they are. Nothing is saved until you have checked the preview and confirmed it.",
        ),
        (
            "Reference",
            "A column headed 'Reference' is read as the IDs in this service (as exports made "
            "before action numbers headed them) when every value in it is the ID of an action "
            "in this service, unless every value is one of the plan's action numbers; "
            "otherwise as action numbers. Head it 'ID in this service' or 'Action number' to "
            "say which.",
        ),
        (
            "Headings in the plan",
            "A row with only its first cell filled (a theme's name, say) is a heading "
            "in the plan that is not an outcome: the rows after it with an empty outcome cell go "
            "under it, until the next such row.",
        ),
    ]
    for number, cells in enumerate(explained, start=2):
        write_row(guidance, number, cells)
    guidance.column_dimensions["A"].width = 22
    guidance.column_dimensions["B"].width = 100
    fit_row_heights(guidance, 1, guidance.max_row)
    print_setup(guidance, landscape=False)
    return to_bytes(workbook)


def _escaped(value):
    """Text starting with an apostrophe gets a second one: the import takes one off, as it does
    the one that safe_text puts before text that looks like a formula."""
    if isinstance(value, str) and value.startswith("'"):
        return "'" + value
    return value


def _add_choices(sheet, key, choices, last_row):
    position = [column.key for column in COLUMNS].index(key) + 1
    letter = get_column_letter(position)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.error = f"Choose one of: {', '.join(choices)}"
    validation.errorTitle = f"Not a {COLUMN_BY_KEY[key].header.lower()}"
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{last_row}")
