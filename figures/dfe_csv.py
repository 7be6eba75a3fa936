"""Read one indicator out of a DfE explore-education-statistics open data CSV file.

DfE open data files hold many measures and breakdowns in one long table. An import profile
(``ImportProfileSpec``) names the value column and the filter values that pick out the rows of
one indicator; ``parse_dfe_csv`` returns those rows as ``ParsedRow`` objects, one per area and
period, with every problem found collected as a ``ParseError`` written for a council officer.

Pure Python (standard library only) so it can be tested without a database.

Period rules (``time_identifier`` -> ``time_period`` format -> end date, label):

* Reporting year  "2016"   -> 31 March 2016   "2016"   (children looked after data is "as at
  31 March")
* Calendar year   "2016"   -> 31 December 2016 "2016"
* Financial year  "201617" -> 31 March 2017   "2016-17"
* Academic year   "201617" -> 31 August 2017  "2016-17"

Other time identifiers (terms, quarters, months, tax years...) are reported as errors rather
than guessed at.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from dataclasses import dataclass

from lacstrategy.text_files import decode_text

__all__ = ["ImportProfileSpec", "ParsedRow", "ParseError", "parse_dfe_csv"]


@dataclass
class ImportProfileSpec:
    value_column: str
    filters: dict[str, str]
    numerator_column: str = ""
    denominator_column: str = ""


@dataclass
class ParsedRow:
    row_number: int
    time_period: str
    label: str
    period_end: datetime.date
    level: str
    area_code: str
    area_name: str
    old_la_code: str
    value: decimal.Decimal | None
    suppression: str
    numerator: decimal.Decimal | None
    denominator: decimal.Decimal | None


@dataclass
class ParseError:
    row_number: int
    column: str
    message: str


NATIONAL = "national"
REGIONAL = "regional"
LOCAL_AUTHORITY = "local_authority"

# geographic_level as written by DfE (compared ignoring case and spaces) -> our level.
LEVELS = {
    "national": NATIONAL,
    "regional": REGIONAL,
    "local authority": LOCAL_AUTHORITY,
}

# Columns each level needs: (code column, name column).
LEVEL_COLUMNS = {
    NATIONAL: ("country_code", "country_name"),
    REGIONAL: ("region_code", "region_name"),
    LOCAL_AUTHORITY: ("new_la_code", "la_name"),
}
LEVEL_WORDS = {
    NATIONAL: "national",
    REGIONAL: "regional",
    LOCAL_AUTHORITY: "local authority",
}

# DfE / GSS symbols for a figure that is not given. ':' and an empty cell are read as 'x'.
SUPPRESSION_CODES = frozenset({"c", "k", "x", "z", "u", "low"})
ABSENT_AS_X = frozenset({"", ":"})
CODES_FOR_PEOPLE = "c, k, x, z, u, low"

# Optional sign, digits with correctly placed thousands separators (or plain digits), optional
# decimals. "12,5" (a continental decimal comma) is deliberately not a number.
NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
YEAR_RE = re.compile(r"[12]\d{3}")
TWO_YEARS_RE = re.compile(r"([12]\d{3})(\d{2})")

TIME_FORMATS = {
    # time_identifier: (kind, end month, end day, people's name)
    "reporting year": ("year", 3, 31, "Reporting year"),
    "calendar year": ("year", 12, 31, "Calendar year"),
    "financial year": ("span", 3, 31, "Financial year"),
    "academic year": ("span", 8, 31, "Academic year"),
}
KNOWN_TIME_IDENTIFIERS = ", ".join(fmt[3] for fmt in TIME_FORMATS.values())

NOT_TEXT = "The file is not a CSV text file"
NO_ROWS = "The file has no rows"


def _norm(text: str) -> str:
    return text.strip().casefold()


def _parse_number(raw: str) -> tuple[decimal.Decimal | None, str] | None:
    """Return (value, suppression code) or None when ``raw`` is neither a number nor a code."""
    text = raw.strip()
    lowered = text.casefold()
    if lowered in SUPPRESSION_CODES:
        return None, lowered
    if lowered in ABSENT_AS_X:
        return None, "x"
    if NUMBER_RE.fullmatch(text):
        return decimal.Decimal(text.replace(",", "")), ""
    return None


def _period(identifier_raw: str, period_raw: str) -> tuple[datetime.date, str] | str:
    """Return (period_end, label), or the column name that is wrong."""
    fmt = TIME_FORMATS.get(_norm(identifier_raw))
    if fmt is None:
        return "time_identifier"
    kind, month, day, _ = fmt
    period = period_raw.strip()
    if kind == "year":
        if not YEAR_RE.fullmatch(period):
            return "time_period"
        return datetime.date(int(period), month, day), period
    match = TWO_YEARS_RE.fullmatch(period)
    if not match:
        return "time_period"
    start = int(match.group(1))
    if int(match.group(2)) != (start + 1) % 100:
        return "time_period"
    return datetime.date(start + 1, month, day), f"{start}-{match.group(2)}"


def _period_message(column: str, identifier_raw: str, period_raw: str) -> str:
    if column == "time_identifier":
        return (
            f"'{identifier_raw.strip()}' is not a time period type this import understands "
            f"({KNOWN_TIME_IDENTIFIERS})"
        )
    fmt = TIME_FORMATS[_norm(identifier_raw)]
    if fmt[0] == "year":
        expected = "a four-digit year such as 2016"
    else:
        expected = "six digits for two consecutive years, such as 201617 for 2016-17"
    return f"'{period_raw.strip()}' is not a valid {fmt[3]}: expected {expected}"


def _cell(cells: list[str], column_position: int | None) -> str:
    if column_position is None or column_position >= len(cells):
        return ""
    return cells[column_position].strip()


def _row_error(
    number: int, header: list[str], column_position: int | None, message: str
) -> ParseError:
    if column_position is None:
        return ParseError(number, "", f"Row {number}: {message}")
    name = header[column_position].strip()
    return ParseError(number, name, f"Row {number}, column '{name}': {message}")


def _file_error(message: str) -> tuple[list[ParsedRow], list[ParseError]]:
    return [], [ParseError(0, "", message)]


def parse_dfe_csv(
    data: bytes | str, spec: ImportProfileSpec
) -> tuple[list[ParsedRow], list[ParseError]]:
    """Pick out the rows of one indicator from a DfE open data CSV file.

    Returns the rows that parsed and every error found. Rows with an error are left out of the
    list; the caller should save nothing if there are any errors.
    """
    text = decode_text(data)
    if text is None:
        return _file_error(NOT_TEXT)

    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return _file_error(f"The file could not be read as CSV: {exc}")

    if not records or not any(cell.strip() for cell in records[0]):
        return _file_error(NO_ROWS)
    header = records[0]
    # (row number, cells): Excel's row numbers, header is row 1, blank lines count.
    body = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not body:
        return _file_error(NO_ROWS)

    # --- header -----------------------------------------------------------------------------
    index: dict[str, int] = {}
    written: dict[str, str] = {}  # normalised name -> name as written in the file
    duplicated: set[str] = set()
    for position, name in enumerate(header):
        key = _norm(name)
        if key in index:
            duplicated.add(key)
            continue
        index[key] = position
        written[key] = name.strip()

    errors: list[ParseError] = []

    def need(column: str, why: str = "") -> None:
        key = _norm(column)
        if key in duplicated:
            errors.append(
                ParseError(
                    1,
                    written[key],
                    f"The header row has more than one column called '{written[key]}', "
                    "so it is not clear which one to use",
                )
            )
        elif key not in index:
            errors.append(
                ParseError(1, column.strip(), f"The file has no '{column.strip()}' column{why}")
            )

    base_columns = ["time_period", "time_identifier", "geographic_level", spec.value_column]
    base_columns += list(spec.filters)
    base_columns += [c for c in (spec.numerator_column, spec.denominator_column) if c.strip()]
    seen: set[str] = set()
    for column in base_columns:
        if _norm(column) not in seen:
            seen.add(_norm(column))
            need(column)

    if "geographic_level" in index:
        level_position = index["geographic_level"]
        present = {
            LEVELS.get(_norm(cells[level_position])) if level_position < len(cells) else None
            for _, cells in body
        }
        for level in (NATIONAL, REGIONAL, LOCAL_AUTHORITY):
            if level not in present:
                continue
            code_column, name_column = LEVEL_COLUMNS[level]
            why = f" (needed for the {LEVEL_WORDS[level]} rows)"
            if level == LOCAL_AUTHORITY and "new_la_code" not in index:
                if "old_la_code" not in index:
                    need("new_la_code", why)
                # else: old_la_code alone will do.
            else:
                need(code_column, why)
            need(name_column, why)

    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        errors.append(
            ParseError(
                1,
                "",
                "The header row has only one column; the file may be separated by semicolons "
                "or tabs instead of commas. Download the CSV from explore-education-statistics "
                "again rather than re-saving it",
            )
        )

    if errors:
        return [], errors

    # --- rows -------------------------------------------------------------------------------
    def position(column: str) -> int:
        return index[_norm(column)]

    filters = [(position(col), _norm(want)) for col, want in spec.filters.items()]
    i_period = index["time_period"]
    i_identifier = index["time_identifier"]
    i_level = index["geographic_level"]
    i_value = position(spec.value_column)
    i_numerator = position(spec.numerator_column) if spec.numerator_column.strip() else None
    i_denominator = position(spec.denominator_column) if spec.denominator_column.strip() else None
    i_new_la = index.get("new_la_code")
    i_old_la = index.get("old_la_code")
    i_la_name = index.get("la_name")
    area_positions = {
        NATIONAL: (index.get("country_code"), index.get("country_name")),
        REGIONAL: (index.get("region_code"), index.get("region_name")),
    }
    value_name = written[_norm(spec.value_column)]
    needed_width = 1 + max(
        p
        for p in [i_period, i_identifier, i_level, i_value, i_numerator, i_denominator]
        + [p for p, _ in filters]
        if p is not None
    )

    rows: list[ParsedRow] = []
    first_seen: dict[tuple[str, str, str, str], int] = {}
    matched = 0

    for number, cells in body:
        short = len(cells) < needed_width
        if short:
            cells = cells + [""] * (needed_width - len(cells))
        if any(_norm(cells[p]) != want for p, want in filters):
            continue

        level_raw = cells[i_level]
        level = LEVELS.get(_norm(level_raw))
        if level is None:
            if not level_raw.strip():
                errors.append(
                    _row_error(
                        number,
                        header,
                        i_level,
                        "the cell is empty; expected National, Regional or Local authority",
                    )
                )
            continue  # other levels (Local authority district, Ward, ...) are not imported
        matched += 1
        if short:
            errors.append(
                _row_error(
                    number,
                    header,
                    None,
                    "the row has fewer cells than the header row; the file may be cut short "
                    "or damaged",
                )
            )
            continue
        problems: list[ParseError] = []

        # Period
        identifier_raw = cells[i_identifier]
        period_raw = cells[i_period]
        period = _period(identifier_raw, period_raw)
        period_end: datetime.date | None = None
        label = ""
        if isinstance(period, str):
            bad = i_identifier if period == "time_identifier" else i_period
            message = _period_message(period, identifier_raw, period_raw)
            problems.append(_row_error(number, header, bad, message))
        else:
            period_end, label = period

        # Area
        old_la_code = ""
        if level == LOCAL_AUTHORITY:
            old_la_code = _cell(cells, i_old_la)
            area_code = _cell(cells, i_new_la) or old_la_code
            area_name = _cell(cells, i_la_name)
            if not area_code:
                problems.append(
                    _row_error(
                        number,
                        header,
                        i_new_la if i_new_la is not None else i_old_la,
                        "the local authority code is empty (neither new_la_code nor "
                        "old_la_code is filled in)",
                    )
                )
        else:
            code_position, name_position = area_positions[level]
            area_code = _cell(cells, code_position)
            area_name = _cell(cells, name_position)
            if not area_code:
                problems.append(
                    _row_error(
                        number, header, code_position, f"the {LEVEL_WORDS[level]} code is empty"
                    )
                )

        # Figures
        figures: list[tuple[decimal.Decimal | None, str]] = []
        for column_position in (i_value, i_numerator, i_denominator):
            if column_position is None:
                figures.append((None, ""))
                continue
            raw = cells[column_position]
            parsed = _parse_number(raw)
            if parsed is None:
                message = (
                    f"'{raw.strip()}' is not a number or a DfE suppression code "
                    f"({CODES_FOR_PEOPLE})"
                )
                problems.append(_row_error(number, header, column_position, message))
                figures.append((None, ""))
            else:
                figures.append(parsed)
        (value, suppression), (numerator, _), (denominator, _) = figures

        if problems or period_end is None:
            errors.extend(problems)
            continue

        # One row per area and period: anything else means the filters are not specific enough.
        key = (_norm(identifier_raw), period_raw.strip(), level, area_code.upper())
        earlier = first_seen.get(key)
        if earlier is not None:
            where = f"{area_name} ({area_code})" if area_name else area_code
            message = (
                f"duplicates row {earlier} for {where}, {label}. The import profile must pick "
                f"out exactly one row per area and period, so the '{value_name}' figure to use "
                "is not clear; another filter is probably needed"
            )
            errors.append(_row_error(number, header, None, message))
            continue
        first_seen[key] = number

        rows.append(
            ParsedRow(
                row_number=number,
                time_period=period_raw.strip(),
                label=label,
                period_end=period_end,
                level=level,
                area_code=area_code,
                area_name=area_name,
                old_la_code=old_la_code,
                value=value,
                suppression=suppression,
                numerator=numerator,
                denominator=denominator,
            )
        )

    if matched == 0 and not errors:
        errors.append(ParseError(0, "", _nothing_matched_message(spec, body, filters, header)))

    return rows, errors


def _nothing_matched_message(
    spec: ImportProfileSpec,
    body: list[tuple[int, list[str]]],
    filters: list[tuple[int, str]],
    header: list[str],
) -> str:
    """Explain why no row matched, naming a filter value that never occurs if there is one."""
    for want_raw, (column_position, want) in zip(spec.filters.values(), filters, strict=True):
        values: dict[str, str] = {}
        for _, cells in body:
            if column_position < len(cells):
                values.setdefault(_norm(cells[column_position]), cells[column_position].strip())
        if want not in values:
            shown = sorted(v for v in values.values() if v)[:10]
            more = ", ..." if len(values) > 10 else ""
            listed = ", ".join(f"'{v}'" for v in shown)
            return (
                f"No row has '{want_raw.strip()}' in column '{header[column_position].strip()}'. "
                f"Values in that column include: {listed}{more}"
            )
    return (
        "No national, regional or local authority row matches all the filters of the import "
        "profile together"
    )
