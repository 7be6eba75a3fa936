"""The DfE open data CSV parser picks out one indicator's rows and explains every problem.

Every file here is SYNTHETIC, built by the helpers below: the areas and codes look like DfE's,
but the figures are made up and are not DfE's published statistics.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from figures.dfe_csv import ImportProfileSpec, ParsedRow, parse_dfe_csv

COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "characteristic",
    "number",
    "percentage",
]

ENGLAND = {"country_code": "E92000001", "country_name": "England"}
NORTH_WEST = {**ENGLAND, "region_code": "E12000002", "region_name": "North West"}
MANCHESTER = {
    **NORTH_WEST,
    "old_la_code": "352",
    "new_la_code": "E08000003",
    "la_name": "Manchester",
}

PLACEMENTS = "Three or more placements"
SPEC = ImportProfileSpec(value_column="percentage", filters={"characteristic": PLACEMENTS})


def row(level="National", area=None, **cells):
    """One synthetic data row as a dict; unspecified cells are blank."""
    base = {
        "time_period": "2016",
        "time_identifier": "Reporting year",
        "geographic_level": level,
        "characteristic": PLACEMENTS,
        "number": "100",
        "percentage": "10",
    }
    if area is None:
        area = {"National": ENGLAND, "Regional": NORTH_WEST}.get(level, MANCHESTER)
    return {**base, **area, **cells}


def make_csv(rows, columns=COLUMNS):
    """Write synthetic rows (dicts) under a header, the way a DfE download is laid out."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for values in rows:
        writer.writerow(values)
    return out.getvalue()


def parse_ok(text, spec=SPEC):
    rows, errors = parse_dfe_csv(text, spec)
    assert errors == []
    return rows


def messages(errors):
    return [error.message for error in errors]


# --- areas and levels -------------------------------------------------------------------------


def test_national_regional_and_local_authority_rows_get_their_codes():
    rows = parse_ok(make_csv([row("National"), row("Regional"), row("Local authority")]))

    national, regional, la = rows
    assert (national.level, national.area_code, national.area_name) == (
        "national",
        "E92000001",
        "England",
    )
    assert national.old_la_code == ""
    assert (regional.level, regional.area_code, regional.area_name) == (
        "regional",
        "E12000002",
        "North West",
    )
    assert regional.old_la_code == ""
    assert (la.level, la.area_code, la.area_name, la.old_la_code) == (
        "local_authority",
        "E08000003",
        "Manchester",
        "352",
    )
    assert [r.row_number for r in rows] == [2, 3, 4]
    assert all(isinstance(r, ParsedRow) for r in rows)


def test_local_authority_without_new_code_falls_back_to_old_code():
    text = make_csv([row("Local authority", new_la_code="")])
    (la,) = parse_ok(text)
    assert la.area_code == "352"
    assert la.old_la_code == "352"


def test_local_authority_with_no_code_at_all_is_an_error():
    text = make_csv([row("Local authority", new_la_code="", old_la_code="")])
    rows, errors = parse_dfe_csv(text, SPEC)
    assert rows == []
    assert [(e.row_number, e.column) for e in errors] == [(2, "new_la_code")]


def test_level_names_are_matched_ignoring_case_and_spaces():
    text = make_csv([row(" NATIONAL "), row("local AUTHORITY")])
    assert [r.level for r in parse_ok(text)] == ["national", "local_authority"]


@pytest.mark.parametrize("level", ["Local authority district", "Ward", "School", "Parliamentary"])
def test_rows_of_other_levels_are_skipped_silently(level):
    # Even a cell that would be an error is not looked at on a row that is not imported.
    text = make_csv([row("National"), row(level, percentage="not a number")])
    rows = parse_ok(text)
    assert [r.level for r in rows] == ["national"]


def test_a_matching_row_with_an_empty_level_is_an_error():
    rows, errors = parse_dfe_csv(make_csv([row("National"), row("")]), SPEC)
    assert len(rows) == 1
    assert [(e.row_number, e.column) for e in errors] == [(3, "geographic_level")]


# --- filters ----------------------------------------------------------------------------------


def test_only_rows_matching_every_filter_are_returned_ignoring_case_and_spaces():
    text = make_csv(
        [
            row(percentage="11", characteristic="  three OR MORE placements "),
            row(percentage="22", characteristic="Two placements"),
            row("Regional", percentage="33", characteristic=PLACEMENTS),
        ],
        columns=COLUMNS,
    )
    spec = ImportProfileSpec("Percentage", {" CHARACTERISTIC ": " three or more PLACEMENTS"})
    rows = parse_ok(text, spec)
    assert [(r.level, r.value) for r in rows] == [("national", Decimal("11")), ("regional", 33)]


def test_all_filters_must_match():
    columns = [*COLUMNS, "age"]
    text = make_csv(
        [
            row(percentage="1", age="Under 16"),
            row(percentage="2", age="16 and over"),
            row(percentage="3", age="Under 16", characteristic="Two placements"),
        ],
        columns=columns,
    )
    spec = ImportProfileSpec("percentage", {"characteristic": PLACEMENTS, "age": "under 16"})
    assert [r.value for r in parse_ok(text, spec)] == [Decimal("1")]


def test_no_matching_rows_names_the_filter_value_that_never_occurs():
    text = make_csv([row(), row(characteristic="Two placements")])
    spec = ImportProfileSpec("percentage", {"characteristic": "Three or more placement"})
    rows, errors = parse_dfe_csv(text, spec)
    assert rows == []
    assert [(e.row_number, e.column) for e in errors] == [(0, "")]
    assert "'Three or more placement'" in errors[0].message
    assert "'Two placements'" in errors[0].message


def test_header_names_are_matched_ignoring_case_and_spaces():
    columns = [f"  {name.upper()} " for name in COLUMNS]
    values = row("Local authority")
    text = make_csv([{f"  {k.upper()} ": v for k, v in values.items()}], columns=columns)
    (la,) = parse_ok(text)
    assert la.area_code == "E08000003"
    assert la.value == Decimal("10")


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("c", "c"),
        ("k", "k"),
        ("x", "x"),
        ("z", "z"),
        ("u", "u"),
        ("low", "low"),
        ("LOW", "low"),
        (" C ", "c"),
        (":", "x"),
        ("", "x"),
        ("  ", "x"),
    ],
)
def test_suppression_codes_give_no_value(cell, code):
    (parsed,) = parse_ok(make_csv([row(percentage=cell)]))
    assert parsed.value is None
    assert parsed.suppression == code


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1,234", Decimal("1234")),
        ("1,234,567.5", Decimal("1234567.5")),
        ("12.5", Decimal("12.5")),
        ("-3", Decimal("-3")),
        (" 7 ", Decimal("7")),
        ("0", Decimal("0")),
        (".5", Decimal("0.5")),
    ],
)
def test_numbers_are_read_including_thousands_separators(cell, value):
    (parsed,) = parse_ok(make_csv([row(percentage=cell)]))
    assert parsed.value == value
    assert parsed.suppression == ""


@pytest.mark.parametrize("cell", ["abc", "12,5", "1,23", "12%", "1e3", "NaN", "--3", "~"])
def test_a_value_that_is_not_a_number_or_code_is_an_error_naming_row_and_column(cell):
    text = make_csv([row(percentage="5"), row("Regional", percentage=cell)])
    rows, errors = parse_dfe_csv(text, SPEC)
    assert [r.level for r in rows] == ["national"]  # rows parsed so far are still returned
    assert [(e.row_number, e.column) for e in errors] == [(3, "percentage")]
    assert errors[0].message == (
        f"Row 3, column 'percentage': '{cell}' is not a number or a DfE suppression code "
        "(c, k, x, z, u, low)"
    )


def test_row_numbers_are_the_ones_a_spreadsheet_shows():
    # A blank line and a cell with a line break inside quotes: Excel shows the bad row as row 5.
    header = ",".join(COLUMNS)
    good = make_csv([row()], columns=COLUMNS).splitlines()[1]
    multi = make_csv([row("Regional", region_name="North\nWest")]).split("\r\n", 1)[1].strip()
    bad = make_csv([row("Local authority", percentage="abc")]).splitlines()[1]
    text = "\r\n".join([header, good, "", multi, bad]) + "\r\n"
    rows, errors = parse_dfe_csv(text, SPEC)
    assert [r.row_number for r in rows] == [2, 4]
    assert [(e.row_number, e.column) for e in errors] == [(5, "percentage")]
    assert errors[0].message.startswith("Row 5, column 'percentage':")


def test_numerator_and_denominator_are_parsed():
    columns = [*COLUMNS, "denominator"]
    text = make_csv(
        [
            row(number="1,050", denominator="10,500", percentage="10"),
            row("Regional", number="c", denominator="800", percentage="c"),
        ],
        columns=columns,
    )
    spec = ImportProfileSpec("percentage", {"characteristic": PLACEMENTS}, "number", "denominator")
    national, regional = parse_ok(text, spec)
    assert (national.numerator, national.denominator) == (Decimal("1050"), Decimal("10500"))
    assert (regional.numerator, regional.denominator) == (None, Decimal("800"))
    assert regional.suppression == "c"


def test_numerator_and_denominator_are_none_when_not_asked_for():
    (parsed,) = parse_ok(make_csv([row(number="1,050")]))
    assert (parsed.numerator, parsed.denominator) == (None, None)


def test_bad_numerator_is_an_error():
    spec = ImportProfileSpec(
        "percentage", {"characteristic": PLACEMENTS}, numerator_column="number"
    )
    rows, errors = parse_dfe_csv(make_csv([row(number="lots")]), spec)
    assert rows == []
    assert [(e.row_number, e.column) for e in errors] == [(2, "number")]
    assert "'lots' is not a number" in errors[0].message


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "identifier", "label", "end"),
    [
        ("2016", "Reporting year", "2016", datetime.date(2016, 3, 31)),
        ("2016", "Calendar year", "2016", datetime.date(2016, 12, 31)),
        ("201617", "Financial year", "2016-17", datetime.date(2017, 3, 31)),
        ("201617", "Academic year", "2016-17", datetime.date(2017, 8, 31)),
        ("199900", "Academic year", "1999-00", datetime.date(2000, 8, 31)),
        (" 2020 ", " reporting YEAR ", "2020", datetime.date(2020, 3, 31)),
    ],
)
def test_period_end_and_label(period, identifier, label, end):
    (parsed,) = parse_ok(make_csv([row(time_period=period, time_identifier=identifier)]))
    assert parsed.label == label
    assert parsed.period_end == end
    assert parsed.time_period == period.strip()


@pytest.mark.parametrize(
    ("period", "identifier", "column"),
    [
        ("201617", "Reporting year", "time_period"),
        ("2016", "Financial year", "time_period"),
        ("201618", "Academic year", "time_period"),
        ("2016/17", "Academic year", "time_period"),
        ("16", "Calendar year", "time_period"),
        ("", "Calendar year", "time_period"),
        ("2016", "Spring term", "time_identifier"),
        ("2016", "", "time_identifier"),
    ],
)
def test_bad_periods_are_errors_naming_the_column(period, identifier, column):
    text = make_csv([row(time_period=period, time_identifier=identifier)])
    rows, errors = parse_dfe_csv(text, SPEC)
    assert rows == []
    assert [(e.row_number, e.column) for e in errors] == [(2, column)]
    assert errors[0].message.startswith(f"Row 2, column '{column}':")


def test_same_area_in_different_years_is_not_a_duplicate():
    text = make_csv([row(time_period="2015"), row(time_period="2016")])
    assert [r.label for r in parse_ok(text)] == ["2015", "2016"]


# --- duplicates -------------------------------------------------------------------------------


def test_duplicate_area_and_period_is_an_error_on_the_later_row():
    text = make_csv(
        [
            row("Local authority", percentage="10"),
            row("National", percentage="9"),
            row("Local authority", percentage="12", characteristic=" three or more placements"),
        ]
    )
    rows, errors = parse_dfe_csv(text, SPEC)
    assert [r.row_number for r in rows] == [2, 3]
    assert [(e.row_number, e.column) for e in errors] == [(4, "")]
    assert "duplicates row 2 for Manchester (E08000003), 2016" in errors[0].message


def test_same_code_at_different_levels_is_not_a_duplicate():
    # Unlikely in real data, but the level is part of what makes a row unique.
    same = {"country_code": "X1", "country_name": "A", "region_code": "X1", "region_name": "B"}
    text = make_csv([row("National", area=same), row("Regional", area=same)])
    assert len(parse_ok(text)) == 2


# --- encodings and file problems --------------------------------------------------------------


def test_utf8_bytes_with_bom():
    text = make_csv([row("Local authority", la_name="Bristol, City of – test")])
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    (la,) = parse_ok(data)
    assert la.area_name == "Bristol, City of – test"
    assert la.row_number == 2


def test_utf8_bytes_without_bom():
    (la,) = parse_ok(make_csv([row("Local authority", la_name="Café")]).encode("utf-8"))
    assert la.area_name == "Café"


def test_str_with_bom():
    (parsed,) = parse_ok("\ufeff" + make_csv([row()]))
    assert parsed.area_code == "E92000001"


def test_cp1252_bytes():
    text = make_csv([row("Local authority", la_name="St Helen’s – Café")])
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (la,) = parse_ok(data)
    assert la.area_name == "St Helen’s – Café"


@pytest.mark.parametrize(
    "data",
    [
        b"\x81\x8d\x8f\x90\x9d\xff\xfe",  # neither UTF-8 nor cp1252
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # the start of a zip (an .xlsx file)
    ],
)
def test_binary_files_are_not_csv(data):
    rows, errors = parse_dfe_csv(data, SPEC)
    assert rows == []
    assert [(e.row_number, e.column, e.message) for e in errors] == [
        (0, "", "The file is not a CSV text file")
    ]


@pytest.mark.parametrize(
    "data", ["", b"", "\r\n\r\n", ",".join(COLUMNS), ",".join(COLUMNS) + "\r\n\r\n,,,\r\n"]
)
def test_empty_file_or_header_only(data):
    rows, errors = parse_dfe_csv(data, SPEC)
    assert rows == []
    assert [(e.row_number, e.column, e.message) for e in errors] == [
        (0, "", "The file has no rows")
    ]


def test_missing_columns_are_each_named():
    columns = [c for c in COLUMNS if c not in ("time_identifier", "percentage", "characteristic")]
    text = make_csv([row()], columns=columns)
    rows, errors = parse_dfe_csv(text, SPEC)
    assert rows == []
    assert {e.column for e in errors} == {"time_identifier", "percentage", "characteristic"}
    assert all(e.row_number == 1 for e in errors)
    assert "The file has no 'percentage' column" in messages(errors)


def test_missing_numerator_and_denominator_columns_are_named():
    spec = ImportProfileSpec(
        "percentage", {}, numerator_column="children", denominator_column="all"
    )
    rows, errors = parse_dfe_csv(make_csv([row()]), spec)
    assert rows == []
    assert [(e.row_number, e.column) for e in errors] == [(1, "children"), (1, "all")]


def test_area_columns_are_required_only_for_levels_in_the_file():
    national_only = ["time_period", "time_identifier", "geographic_level", "country_code"]
    national_only += ["country_name", "characteristic", "percentage"]
    assert len(parse_ok(make_csv([row()], columns=national_only))) == 1

    text = make_csv([row(), row("Local authority")], columns=national_only)
    rows, errors = parse_dfe_csv(text, SPEC)
    assert rows == []
    assert [(e.row_number, e.column) for e in errors] == [(1, "new_la_code"), (1, "la_name")]
    assert "needed for the local authority rows" in errors[0].message


def test_old_la_code_alone_is_enough_for_local_authority_rows():
    columns = [c for c in COLUMNS if c != "new_la_code"]
    (la,) = parse_ok(make_csv([row("Local authority")], columns=columns))
    assert la.area_code == "352"


def test_regional_columns_missing():
    columns = [c for c in COLUMNS if c not in ("region_code", "region_name")]
    rows, errors = parse_dfe_csv(make_csv([row(), row("Regional")], columns=columns), SPEC)
    assert rows == []
    assert [e.column for e in errors] == ["region_code", "region_name"]


def test_a_semicolon_separated_file_gets_a_hint():
    text = ";".join(COLUMNS) + "\n" + ";".join(row().get(c, "") for c in COLUMNS)
    rows, errors = parse_dfe_csv(text, SPEC)
    assert rows == []
    assert any("separated by semicolons" in m for m in messages(errors))


def test_a_short_row_is_an_error():
    text = make_csv([row()]) + "2016,Reporting year,Regional,E92000001\r\n"
    rows, errors = parse_dfe_csv(text, ImportProfileSpec("percentage", {}))
    assert len(rows) == 1
    assert [(e.row_number, e.column) for e in errors] == [(3, "")]
    assert "fewer cells" in errors[0].message


def test_all_errors_are_collected():
    text = make_csv(
        [
            row(percentage="abc"),
            row("Regional", time_period="16"),
            row("Local authority", time_identifier="Spring term", number="x", percentage="?"),
            row("Local authority", time_period="2017"),
        ]
    )
    rows, errors = parse_dfe_csv(text, SPEC)
    assert [r.row_number for r in rows] == [5]
    assert [(e.row_number, e.column) for e in errors] == [
        (2, "percentage"),
        (3, "time_period"),
        (4, "time_identifier"),
        (4, "percentage"),
    ]


# --- size -------------------------------------------------------------------------------------


def test_a_ten_thousand_row_file_parses():
    # 10,000 synthetic local authority rows: 250 made-up areas over 20 years, each with a row for
    # another characteristic that the filter leaves out.
    rows = []
    for year in range(2000, 2020):
        for n in range(250):
            code = f"E0{n:07d}"
            area = {**NORTH_WEST, "old_la_code": str(n), "new_la_code": code, "la_name": f"LA {n}"}
            rows.append(row("Local authority", area, time_period=str(year), percentage=f"{n}.5"))
            rows.append(row("Local authority", area, characteristic="Other", time_period=str(year)))
    assert len(rows) == 10_000
    parsed = parse_ok(make_csv(rows).encode("utf-8"))
    assert len(parsed) == 5_000
    assert parsed[-1].value == Decimal("249.5")
    assert parsed[-1].row_number == 10_000
