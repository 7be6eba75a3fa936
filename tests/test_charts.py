"""Tests for figures.charts: accessible, print-friendly SVG charts (no database needed)."""

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from figures.charts import KINDS, TARGET_COLOUR, Series, line_chart_svg, sparkline_svg

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PERIODS = ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]
COUNCIL = [
    Decimal("61.5"),
    Decimal("63.0"),
    None,
    Decimal("66.2"),
    Decimal("64.8"),
    Decimal("68.1"),
]
SERIES = [
    Series("Nottinghamshire (illustrative)", COUNCIL),
    Series("England", [71.0, 72.0, 72.5, 73.0, 72.0, 71.5], kind="england"),
    Series("East Midlands", [69.0, 70.5, 71.0, None, 70.0, 70.2], kind="region"),
    Series("Statistical neighbours (average)", [66, 67.2, 68, 69.1, 68.5, 69], kind="neighbours"),
]
NAMES = [one.name for one in SERIES]


def q(tag):
    return f"{{{SVG_NS}}}{tag}"


def render(**overrides):
    arguments = {
        "title": "Care leavers aged 19 to 21 in education, employment or training",
        "description": "Line chart, 2016-17 to 2021-22. The council rose from 61.5% to 68.1%.",
        "periods": PERIODS,
        "series": SERIES,
        "target": Decimal("70"),
    }
    arguments.update(overrides)
    return line_chart_svg(**arguments)


def parse(svg):
    return ET.fromstring(svg)


def by_id_suffix(root, suffix):
    found = [el for el in root.iter() if el.get("id", "").endswith(f"-{suffix}")]
    assert len(found) == 1, f"expected one element with id *-{suffix}, found {len(found)}"
    return found[0]


def texts(element):
    return ["".join(text.itertext()) for text in element.iter(q("text"))]


def markers(group):
    """A sparkline's markers: a <use> each."""
    return group.findall(f".//{q('use')}")


def chart_markers(group):
    """A line chart series' markers: one path after its line, "M x y <outline>" per figure."""
    paths = group.findall(q("path"))
    if len(paths) < 2:
        return []
    return [
        (float(x), float(y)) for x, y in re.findall(r"M ([-\d.]+) ([-\d.]+) m", paths[1].get("d"))
    ]


def marker_shape(group):
    return re.split(r" ?M [-\d.]+ [-\d.]+ ", group.findall(q("path"))[1].get("d"))[1]


def line_path(group):
    return group.find(q("path"))


def subpaths(path):
    return path.get("d").count("M")


def normalise_ids(svg):
    return re.sub(r"chart-[0-9a-f]{12}", "chart-ID", svg)


def contrast_on_white(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.fixture(scope="module")
def svg():
    return render()


@pytest.fixture(scope="module")
def root(svg):
    return parse(svg)


# Document, size and accessible name


def test_is_a_standalone_svg_document_that_scales(svg, root):
    assert svg.startswith(("<?xml", "<svg"))
    assert root.tag == q("svg")
    assert (root.get("width"), root.get("height")) == ("900", "450")
    assert root.get("viewBox") == "0 0 900 450"


def test_root_is_an_image_labelled_by_its_title_and_desc(root):
    title, desc = root[0], root[1]
    assert root.get("role") == "img"
    assert title.tag == q("title")
    assert title.text == "Care leavers aged 19 to 21 in education, employment or training"
    assert desc.tag == q("desc")
    assert desc.text.startswith("Line chart, 2016-17 to 2021-22.")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_title_and_desc_text_is_escaped():
    root = parse(render(title="Children <18 & care", description='Says "hello" & <b>bye</b>'))
    assert root[0].text == "Children <18 & care"
    assert root[1].text == 'Says "hello" & <b>bye</b>'


def test_each_call_gets_its_own_ids_and_is_otherwise_identical():
    first, second = render(), render()
    first_ids = {el.get("id") for el in parse(first).iter() if el.get("id")}
    second_ids = {el.get("id") for el in parse(second).iter() if el.get("id")}
    assert first_ids and second_ids
    assert first_ids.isdisjoint(second_ids)
    assert normalise_ids(first) == normalise_ids(second)


def test_every_internal_reference_resolves_to_an_id_in_the_same_svg(root):
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    references = []
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in ("href", f"{{{XLINK_NS}}}href"):
                references.append(value.removeprefix("#"))
            references += re.findall(r"url\(#([^)]+)\)", value)
    assert set(references) <= ids


def test_decimal_and_float_values_draw_the_same_chart():
    as_decimals = [Series("Council", COUNCIL)]
    as_floats = [Series("Council", [None if v is None else float(v) for v in COUNCIL])]
    assert normalise_ids(render(series=as_decimals, target=Decimal("70.0"))) == normalise_ids(
        render(series=as_floats, target=70.0)
    )


# Safety: no script, no external references, nothing that needs CSS


def test_no_script_event_handlers_or_foreign_content(svg, root):
    assert root.find(f".//{q('script')}") is None
    assert root.find(f".//{q('foreignObject')}") is None
    assert "<script" not in svg.lower()
    assert "javascript:" not in svg.lower()
    for element in root.iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]


def test_no_urls_except_the_svg_and_xlink_namespaces(svg):
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= {SVG_NS, XLINK_NS}
    root = parse(svg)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in ("href", f"{{{XLINK_NS}}}href"):
                assert value.startswith("#")


def test_styling_uses_presentation_attributes_not_css(root):
    # A strict style-src CSP (as this site sends) blocks <style> and style="" in inline SVG.
    assert root.find(f".//{q('style')}") is None
    assert [el.tag for el in root.iter() if "style" in el.attrib] == []


def test_text_uses_arial_helvetica_sans_serif_at_12px_or_more(root):
    all_text = list(root.iter(q("text")))
    assert all_text
    for text in all_text:  # set on the text or inherited from the root
        family = text.get("font-family", root.get("font-family"))
        assert family.index("Arial") < family.index("Helvetica") < family.index("sans-serif")
        assert float(text.get("font-size", root.get("font-size")).removesuffix("px")) >= 12


# Legend, styles and colours


def test_legend_names_every_series_in_order(root):
    assert texts(by_id_suffix(root, "legend")) == NAMES


def test_series_with_no_figures_still_appears_in_the_legend():
    series = [*SERIES[:2], Series("East Midlands", [None] * 6, kind="region")]
    root = parse(render(series=series))
    assert texts(by_id_suffix(root, "legend")) == [*NAMES[:2], "East Midlands"]
    assert chart_markers(by_id_suffix(root, "series-2")) == []


def test_each_kind_has_its_own_dash_pattern_and_marker_shape_in_plot_and_legend(root):
    legend_entries = [g for g in by_id_suffix(root, "legend") if g.find(q("path")) is not None]
    assert len(legend_entries) == 4

    def style(group):
        return line_path(group).get("stroke-dasharray"), marker_shape(group)

    plotted = [style(by_id_suffix(root, f"series-{index}")) for index in range(4)]
    keyed = [style(entry) for entry in legend_entries]
    assert keyed == plotted
    assert len({dash for dash, _ in plotted}) == 4
    assert len({shape for _, shape in plotted}) == 4
    assert plotted[0][0] is None  # the council's line is solid


def test_council_line_is_the_thickest(root):
    widths = [
        float(line_path(by_id_suffix(root, f"series-{index}")).get("stroke-width"))
        for index in range(4)
    ]
    assert widths[0] == max(widths) and widths.count(widths[0]) == 1


def test_line_colours_have_at_least_3_to_1_contrast_on_white(root):
    strokes = {line_path(by_id_suffix(root, f"series-{index}")).get("stroke") for index in range(4)}
    strokes.add(by_id_suffix(root, "target").find(f".//{q('path')}").get("stroke"))
    assert strokes == {style["color"] for style in KINDS.values()} | {TARGET_COLOUR}
    for colour in strokes:
        assert contrast_on_white(colour) >= 3, colour


def test_a_second_series_of_the_same_kind_keeps_the_style_but_not_the_colour():
    series = [SERIES[0], Series("Another council", [50, 51, 52, 53, 54, 55])]
    root = parse(render(series=series))
    first, second = (line_path(by_id_suffix(root, f"series-{i}")) for i in (0, 1))
    assert first.get("stroke-dasharray") == second.get("stroke-dasharray")
    assert first.get("stroke") != second.get("stroke")
    assert contrast_on_white(second.get("stroke")) >= 3


# Target


def test_target_is_a_labelled_line_when_given(root):
    assert "Target: 70%" in texts(root)
    assert texts(by_id_suffix(root, "target-label")) == ["Target: 70%"]
    target_path = by_id_suffix(root, "target").find(f".//{q('path')}").get("d")
    (y1, y2) = re.findall(r"[ML] [\d.]+ ([\d.]+)", target_path)
    assert y1 == y2  # horizontal


def test_no_target_label_or_line_without_a_target():
    svg = render(target=None)
    assert "Target" not in " ".join(texts(parse(svg)))
    assert "-target" not in svg


# Gaps and axes


def test_missing_figures_are_gaps_not_zeros(root):
    council = by_id_suffix(root, "series-0")
    assert len(chart_markers(council)) == sum(value is not None for value in COUNCIL) == 5
    assert subpaths(line_path(council)) == 2  # the line breaks at 2018-19
    region = by_id_suffix(root, "series-2")
    assert len(chart_markers(region)) == 5
    assert subpaths(line_path(region)) == 2


def test_a_gap_is_not_drawn_at_zero_on_an_axis_that_includes_zero():
    series = [Series("Council", [40, None, 60, None]), Series("England", [50] * 4, "england")]
    root = parse(render(series=series, periods=PERIODS[:4], unit="number", target=None))
    council = chart_markers(by_id_suffix(root, "series-0"))
    england = chart_markers(by_id_suffix(root, "series-1"))
    assert len(council) == 2
    # England's 50 sits between the council's 40 and 60 (SVG y grows downwards).
    assert council[0][1] > england[0][1] > council[1][1]
    assert [x for x, _ in council] == [england[0][0], england[2][0]]


def test_periods_label_the_x_axis_in_order(root):
    labels = texts(root)
    positions = [labels.index(period) for period in PERIODS]
    assert positions == sorted(positions)


def test_percentage_axis_runs_from_0_to_100_percent_for_spread_out_figures():
    series = [Series("Council", [10, 35, 60, 90, None, 80])]
    labels = texts(parse(render(series=series, target=None)))
    assert "0%" in labels and "100%" in labels
    assert "%" in labels  # axis title


def test_percentage_axis_zooms_on_a_narrow_band_and_says_so(root):
    labels = texts(root)
    assert "0%" not in labels
    assert "50%" in labels and "80%" in labels
    assert "% (axis starts at 50%)" in labels


def test_other_units_start_at_zero_and_label_the_axis():
    series = [Series("Council", [51, 53, None, 60]), Series("England", [60] * 4, "england")]
    labels = texts(parse(render(series=series, periods=PERIODS[:4], unit="rate per 10,000")))
    assert "0" in labels
    assert "rate per 10,000" in labels
    assert not any(label.endswith("%") for label in labels if label[:1].isdigit())


def test_other_units_go_below_zero_for_negative_figures():
    series = [Series("Council", [-12.5, -3, 4, 8])]
    labels = texts(parse(render(series=series, periods=PERIODS[:4], unit="change", target=None)))
    assert any(label.startswith("-") and label[1:].isdigit() for label in labels)


def test_many_long_periods_still_render_every_label():
    periods = [f"{year}-{(year + 1) % 100:02d}" for year in range(2010, 2024)]
    root = parse(render(series=[Series("Council", list(range(14)))], periods=periods))
    assert [label for label in texts(root) if label in periods] == periods


# Validation


@pytest.mark.parametrize(
    ("series", "error"),
    [
        ([Series("Council", [1, 2])], ValueError),  # fewer values than periods
        ([Series("Council", [1] * 6, kind="county")], ValueError),
        ([Series("Council", ["61.5"] * 6)], TypeError),
        ([Series("Council", [float("inf")] * 6)], ValueError),
        ([], ValueError),
    ],
)
def test_bad_input_is_rejected(series, error):
    with pytest.raises(error):
        render(series=series)


def test_nan_is_treated_as_a_gap():
    series = [Series("Council", [60, float("nan"), 62, Decimal("NaN"), 64, 65])]
    assert len(chart_markers(by_id_suffix(parse(render(series=series)), "series-0"))) == 4


# Sparkline


@pytest.fixture(scope="module")
def spark():
    return sparkline_svg(title="Trend 2016-17 to 2021-22", values=COUNCIL)


def test_sparkline_is_a_small_labelled_image(spark):
    root = parse(spark)
    assert spark.startswith(("<?xml", "<svg"))
    assert root.get("role") == "img"
    assert (root.get("width"), root.get("height")) == ("120", "32")
    assert root[0].tag == q("title")
    assert root[0].text == "Trend 2016-17 to 2021-22"
    assert root.get("aria-labelledby") == root[0].get("id")


def test_sparkline_has_no_legend_axes_text_or_script(spark):
    root = parse(spark)
    assert root.find(f".//{q('text')}") is None
    assert not [el for el in root.iter() if el.get("id", "").endswith("-legend")]
    assert root.find(f".//{q('script')}") is None
    assert root.find(f".//{q('style')}") is None
    assert set(re.findall(r"https?://[^\s\"'<>)]+", spark)) <= {SVG_NS, XLINK_NS}


def test_sparkline_breaks_at_gaps_and_marks_the_last_figure(spark):
    root = parse(spark)
    assert subpaths(line_path(by_id_suffix(root, "sparkline-line"))) == 2
    (last,) = markers(by_id_suffix(root, "sparkline-last"))
    last_point = line_path(by_id_suffix(root, "sparkline-line")).get("d").split("L")[-1].split()
    assert [last.get("x"), last.get("y")] == last_point


def test_sparkline_shows_isolated_figures_as_dots():
    root = parse(sparkline_svg(title="t", values=[1, None, 3, None, 5, 6]))
    assert len(markers(by_id_suffix(root, "sparkline-points"))) == 2  # the 1 and the 3
    assert len(markers(by_id_suffix(root, "sparkline-last"))) == 1


def test_sparkline_with_no_figures_draws_nothing_but_keeps_its_title():
    root = parse(sparkline_svg(title="No figures", values=[None, None]))
    assert root[0].text == "No figures"
    assert not [el for el in root.iter() if el.get("id", "").endswith("-sparkline-last")]


def test_sparklines_get_their_own_ids():
    first = parse(sparkline_svg(title="a", values=[1, 2]))
    second = parse(sparkline_svg(title="a", values=[1, 2]))
    assert first[0].get("id") != second[0].get("id")


# The trend in words: every chart's text alternative (figures.charts.trend_words).

YEARS = ["2013", "2014", "2015", "2016"]


def words(council, *others, target=None, unit="percentage"):
    from figures.charts import trend_words

    series = [Series("Testshire", council), *others]
    return trend_words(periods=YEARS, series=series, target=target, unit=unit)


def test_trend_words_say_a_rise_with_the_target_and_england_at_the_latest_period():
    england = Series("England", [64, 65, 65.5, Decimal("66")], "england")
    assert (
        words([60, 62, None, Decimal("65")], england, target=Decimal("66"))
        == "Rose from 60% in 2013 to 65% in 2016; target 66%; England 66%."
    )


def test_trend_words_say_a_fall_and_a_low_or_high_between_the_ends():
    assert words([71, 75, 69, 68]) == "Fell from 71% in 2013 to 68% in 2016, highest 75% in 2014."
    assert words([60, 55, 63, 65]) == "Rose from 60% in 2013 to 65% in 2016, lowest 55% in 2014."


def test_trend_words_say_level_and_no_overall_change():
    assert words([70, 70, None, 70]) == "Stayed level at 70% from 2013 to 2016."
    assert words([70, 72, 70, None]) == (
        "No overall change: 70% in 2013 and in 2015, highest 72% in 2014."
    )


def test_trend_words_say_when_there_is_one_figure_or_none():
    region = Series("East Midlands", [None, 61, 62.25, None], "region")
    assert words([None, None, 58, None], region, target=60) == (
        "One figure only: 58% in 2015; target 60%; East Midlands 62.2%."
    )
    # No figure of the council's own: each comparator's latest, with its period.
    assert words([None] * 4, region) == (
        "No figures yet for Testshire; East Midlands 62.2% in 2015."
    )


def test_trend_words_use_the_indicator_unit():
    assert words([12, 10, 9, 8.5], unit="days", target=7) == (
        "Fell from 12 days in 2013 to 8.5 days in 2016; target 7 days."
    )
    assert words([1200, None, 1300, 1250], unit="count") == (
        "Rose from 1200 in 2013 to 1250 in 2016, highest 1300 in 2015."
    )


def test_a_plain_chart_is_json_with_its_series_words_and_table_rows():
    import json

    from figures.charts import chart_arguments, plain_chart

    chart = plain_chart(
        title="Stable placements",
        periods=YEARS,
        series=[
            Series("Testshire", [Decimal("60.5"), None, 62, 65]),
            Series("England", [64, 65, 65.5, 66], "england"),
        ],
        target=Decimal("66"),
    )
    assert json.loads(json.dumps(chart)) == chart
    assert chart["series"][0] == {
        "name": "Testshire",
        "kind": "council",
        "values": [60.5, None, 62.0, 65.0],
    }
    assert chart["rows"] == [
        ["2013", "60.5%", "64%"],
        ["2014", "No figure", "65%"],
        ["2015", "62%", "65.5%"],
        ["2016", "65%", "66%"],
    ]
    assert chart["trend"].startswith("Rose from 60.5% in 2013 to 65% in 2016; target 66%")
    assert chart_arguments(chart)["series"][1] == Series("England", [64, 65, 65.5, 66], "england")


def test_the_png_chart_is_the_svg_chart_at_twice_the_size():
    import struct

    from figures.charts import line_chart_png

    png = line_chart_png(title="A", periods=PERIODS, series=SERIES, target=70)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (1800, 900)


def test_the_png_chart_is_the_svg_chart_drawn_as_pixels(monkeypatch):
    """Word's picture is the pages' drawing, not another drawing of the same figures."""
    from PIL import Image

    from figures import charts

    drawn = []

    def svg_chart(**arguments):
        drawn.append(arguments)
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="450">'
            f'<rect width="900" height="450" fill="{TARGET_COLOUR}"/></svg>'
        )

    monkeypatch.setattr(charts, "line_chart_svg", svg_chart)
    png = charts.line_chart_png(title="A", periods=PERIODS, series=SERIES, target=70)
    assert drawn[0]["periods"] == PERIODS and drawn[0]["target"] == 70
    pixel = Image.open(io.BytesIO(png)).convert("RGB").getpixel((900, 450))
    assert "#{:02x}{:02x}{:02x}".format(*pixel) == TARGET_COLOUR


def test_seventy_periods_label_every_few_periods_without_overlap_always_the_latest():
    periods = [f"Q{q % 4 + 1} {2000 + q // 4}" for q in range(70)]
    root = parse(
        render(series=[Series("Council", [50 + q % 10 for q in range(70)])], periods=periods)
    )
    labels = [text for text in root.iter(q("text")) if text.text in periods]
    assert labels[-1].text == periods[-1]
    assert 20 <= len(labels) < 70
    xs = [float(label.get("x")) for label in labels]
    assert (
        min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 20
    )  # turned 45 degrees, 14 px text
    assert len(chart_markers(by_id_suffix(root, "series-0"))) == 70


def test_a_plain_chart_can_draw_only_its_latest_periods_and_says_so():
    from figures.charts import chart_arguments, plain_chart

    chart = plain_chart(
        title="Stable placements",
        periods=YEARS,
        series=[Series("Testshire", [50, 60, 62, 65]), Series("England", [64] * 4, "england")],
        latest=3,
        period_word="years",
    )
    assert chart["trend"] == (
        "Rose from 60% in 2014 to 65% in 2016; England 64%. "
        "The chart shows the latest 3 years, 2014 to 2016; the table has all 4."
    )
    assert [row[0] for row in chart["rows"]] == YEARS
    drawn = chart_arguments(chart)
    assert drawn["periods"] == YEARS[1:]
    assert [one.values for one in drawn["series"]] == [[60, 62, 65], [64] * 3]
    # A chart kept before there was a choice draws every period.
    del chart["charted"]
    assert chart_arguments(chart)["periods"] == YEARS


def test_a_cached_chart_is_drawn_once_and_each_copy_has_ids_of_its_own(monkeypatch):
    from figures import charts

    calls = []
    draw = charts.line_chart_svg
    monkeypatch.setattr(charts, "line_chart_svg", lambda **a: calls.append(1) or draw(**a))
    arguments = {"title": "A", "description": "B", "periods": PERIODS, "series": SERIES}
    first, second = (charts.cached_line_chart_svg(**arguments) for _ in range(2))
    assert len(calls) == 1
    assert normalise_ids(first) == normalise_ids(second) == normalise_ids(draw(**arguments))
    assert {el.get("id") for el in parse(first).iter()}.isdisjoint(
        {el.get("id") for el in parse(second).iter()} - {None}
    )
    charts.cached_line_chart_svg(**{**arguments, "target": 70})
    assert len(calls) == 2


def test_a_sparkline_is_drawn_once_for_the_same_figures_with_new_ids_each_time():
    from figures import charts

    charts._sparkline.cache_clear()
    first = sparkline_svg(title="t", values=[1, 2, Decimal("3.5")])
    second = sparkline_svg(title="t", values=[1.0, 2, 3.5])
    assert charts._sparkline.cache_info().hits == 1
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and not ids[0] & ids[1]  # two on one page must not share an id
    prefix = [re.search(r'id="(chart-[0-9a-f]+)-', svg).group(1) for svg in (first, second)]
    assert first.replace(prefix[0], "X") == second.replace(prefix[1], "X")
    assert "chart-sparkline-ids" not in first
    changed = sparkline_svg(title="t", values=[1, 2, 4])
    assert changed.replace(re.search(r"chart-[0-9a-f]+", changed).group(0), "X") != second.replace(
        prefix[1], "X"
    )
