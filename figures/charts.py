"""Accessible, print-friendly SVG charts of indicator figures over time (plain data in, SVG out).

The line chart's SVG is written here directly, as text: a chart is a few dozen elements placed by
arithmetic, about 1-3 ms at 70 periods and 4 series (figures in scripts/bench_charts.py). It was
drawn with matplotlib, which took 0.15 s at 4 periods and 0.43 s at 68, and its output then needed
rewriting (CSS to attributes, ids made unique). pygal (~10 ms at 6 periods) was measured before
and rejected: only circle markers, colour-box legends, and <script>, CSS and a date in every SVG.
What matplotlib's charts had is kept: per-kind dash patterns and marker shapes, legend keys
showing both, a text-labelled target, real <text> (no glyph outlines, which WeasyPrint is slow
to draw). The sparkline is written directly too (well under a millisecond), so the plan page
inlines one per priority. Word cannot take SVG: its PNG is the same SVG rasterised by CairoSVG
(line_chart_png), once per chart (cached_line_chart_png). CairoSVG is from WeasyPrint's makers
(Kozea) and draws with the cairo library; matplotlib, which drew Word's copy apart, took about
a second to import and draw, and crowded the labels of long series.
"""

import functools
import hashlib
import json
import math
import re
import textwrap
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

__all__ = [
    "KINDS",
    "Series",
    "cached_line_chart_png",
    "cached_line_chart_svg",
    "chart_arguments",
    "format_figure",
    "line_chart_png",
    "line_chart_svg",
    "plain_chart",
    "sparkline_svg",
    "trend_words",
]

SVG_NS = "http://www.w3.org/2000/svg"

# Intrinsic sizes in CSS px (the viewBox has the same size, so the SVG scales cleanly).
LINE_CHART_WIDTH, LINE_CHART_HEIGHT = 900, 450
SPARKLINE_WIDTH, SPARKLINE_HEIGHT = 120, 32


FONT_FAMILY = ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"]
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"
TARGET_COLOUR = "#d4351c"  # 4.9:1 on white

# Colour is never the only signal: every kind has its own dash pattern and marker shape.
# All colours have at least 5:1 contrast against white.
KINDS = {
    "council": {
        "color": "#1d70b8",
        "linestyle": "-",
        "linewidth": 3.5,
        "marker": "o",
        "markersize": 9,
    },
    "england": {
        "color": "#0b0c0c",
        "linestyle": (0, (4, 2)),
        "linewidth": 2.25,
        "marker": "s",
        "markersize": 8,
    },
    "region": {
        "color": "#6f2d91",
        "linestyle": (0, (0.01, 2)),
        "linewidth": 2.5,
        "marker": "^",
        "markersize": 9,
        "dash_capstyle": "round",
    },
    "neighbours": {
        "color": "#00703c",
        "linestyle": (0, (5, 1.75, 0.01, 1.75)),
        "linewidth": 2.25,
        "marker": "D",
        "markersize": 7.5,
        "dash_capstyle": "round",
    },
}
# A second or later series of the same kind keeps the kind's line and marker shape but gets an
# open (white-filled) marker and another dark colour.
_REPEAT_COLOURS = ["#003078", "#505a5f", "#912b88", "#8a4b00"]


@dataclass
class Series:
    """One line on a chart: a name, one value per period (None = no figure), and its kind."""

    name: str
    values: list
    kind: str = "council"  # "council" | "england" | "region" | "neighbours"


def line_chart_svg(
    *,
    title: str,
    description: str,
    periods: list[str],
    series: list[Series],
    target: Decimal | float | None = None,
    unit: str = "percentage",
) -> str:
    """A standalone 900x450 SVG line chart of `series` over `periods`.

    None values are gaps (never zero). `unit` "percentage" gives a 0-100 % axis (zoomed when
    all the figures lie in a narrow band); any other unit is used as the y-axis label and the
    axis starts at 0 unless there are negative values.
    """
    return _LineChart(title, periods, series, target, unit).svg(description)


def line_chart_png(
    *,
    title: str,
    periods: list[str],
    series: list[Series],
    target: Decimal | float | None = None,
    unit: str = "percentage",
    scale: float = 2,
) -> bytes:
    """line_chart_svg's chart as a PNG `scale` times 900x450 pixels, for Word, which cannot take
    SVG: the same drawing, rasterised by CairoSVG. Its text alternative goes on the picture, not
    in the file."""
    import cairosvg  # here: it takes 0.2 s to import, which processes that draw none need not pay

    svg = line_chart_svg(
        title=title, description="", periods=periods, series=series, target=target, unit=unit
    )
    return cairosvg.svg2png(
        bytestring=svg.encode(),
        output_width=round(LINE_CHART_WIDTH * scale),
        output_height=round(LINE_CHART_HEIGHT * scale),
        background_color="white",
    )


def format_figure(value, unit="percentage") -> str:
    """A figure as the documents write it (outcomes.models.figure_text), from any number."""
    from outcomes.models import figure_text  # models load after this drawing module

    return figure_text(_number(value), unit)


def trend_words(*, periods, series, target=None, unit="percentage") -> str:
    """A chart's trend in words, its text alternative: "Rose from 60% in 2013 to 65% in 2016;
    target 66%; England 66%." The first series is the one described; the others are
    compared at its latest period (or at their own latest, named, where they have no figure
    then)."""
    periods = [str(period) for period in periods]
    if not series:
        return "No figures yet."

    def known(one):
        return [
            (p, v) for p, v in zip(periods, map(_number, one.values), strict=True) if v is not None
        ]

    def fig(value):
        return format_figure(value, unit)

    main, *others = series
    points = known(main)
    parts = []
    if not points:
        parts.append(f"No figures yet for {main.name}")
    elif len(points) == 1:
        ((period, value),) = points
        parts.append(f"One figure only: {fig(value)} in {period}")
    else:
        (first_period, first), (last_period, last) = points[0], points[-1]
        values = [value for _, value in points]
        if min(values) == max(values):
            parts.append(f"Stayed level at {fig(first)} from {first_period} to {last_period}")
        else:
            if last == first:
                parts.append(
                    f"No overall change: {fig(first)} in {first_period} and in {last_period}"
                )
            else:
                verb = "Rose" if last > first else "Fell"
                parts.append(
                    f"{verb} from {fig(first)} in {first_period} to {fig(last)} in {last_period}"
                )
            # A low or a high between the ends is part of the story.
            low = min(points, key=lambda point: point[1])
            high = max(points, key=lambda point: point[1])
            if low[1] < min(first, last):
                parts[-1] += f", lowest {fig(low[1])} in {low[0]}"
            if high[1] > max(first, last):
                parts[-1] += f", highest {fig(high[1])} in {high[0]}"
    if _number(target) is not None:
        parts.append(f"target {fig(target)}")
    at = points[-1][0] if points else None
    for other in others:
        theirs = dict(known(other))
        if at in theirs:
            parts.append(f"{other.name} {fig(theirs[at])}")
        elif theirs:
            period, value = list(theirs.items())[-1]
            parts.append(f"{other.name} {fig(value)} in {period}")
    return "; ".join(parts) + "."


def plain_chart(
    *, title, periods, series, target=None, unit="percentage", latest=None, period_word="periods"
) -> dict:
    """A chart as plain JSON-safe data (what an issued report keeps), with its trend in words
    and its figures as table rows, so that every document draws and tables the same.

    `latest` (a number of periods) draws only the latest ones: the table keeps every period,
    and the words describe what is drawn and say where the rest is."""
    periods = [str(period) for period in periods]
    charted = min(latest or len(periods), len(periods))
    drawn = [Series(one.name, one.values[-charted:], one.kind) for one in series]
    trend = trend_words(periods=periods[-charted:], series=drawn, target=target, unit=unit)
    if charted < len(periods):
        trend += (
            f" The chart shows the latest {charted} {period_word}, {periods[-charted]} to "
            f"{periods[-1]}; the table has all {len(periods)}."
        )
    return {
        "title": title,
        "periods": periods,
        "charted": charted,
        "series": [
            {"name": one.name, "kind": one.kind, "values": [_number(v) for v in one.values]}
            for one in series
        ],
        "target": _number(target),
        "unit": unit,
        "trend": trend,
        "rows": [
            [period, *(format_figure(one.values[index], unit) or "No figure" for one in series)]
            for index, period in enumerate(periods)
        ],
    }


def chart_arguments(chart: dict) -> dict:
    """A plain_chart's drawing arguments for line_chart_svg or line_chart_png: its latest
    `charted` periods (every period in a chart kept before there was a choice)."""
    charted = chart.get("charted") or len(chart["periods"])
    return {
        "title": chart["title"],
        "periods": chart["periods"][-charted:],
        "series": [
            Series(one["name"], one["values"][-charted:], one["kind"]) for one in chart["series"]
        ],
        "target": chart["target"],
        "unit": chart["unit"],
    }


def cached_line_chart_svg(**arguments) -> str:
    """line_chart_svg, drawn once for the same arguments and kept in the "charts" cache; each
    copy gets ids of its own, so that two copies can be inlined in one page."""
    svg = _cached("svg", arguments, lambda: line_chart_svg(**arguments))
    drawn_prefix = _CHART_IDS.search(svg)[1]
    return svg.replace(drawn_prefix, f"chart-{uuid.uuid4().hex[:12]}")


def cached_line_chart_png(**arguments) -> bytes:
    """line_chart_png, drawn once for the same arguments and kept in the "charts" cache."""
    return _cached("png", arguments, lambda: line_chart_png(**arguments))


# Part of every cache key: change it when the drawing changes, so that no old drawing is used.
_DRAWING_VERSION = 2  # 2: the PNG is the SVG rasterised
_CHART_IDS = re.compile(r'id="(chart-[0-9a-f]{12})-')


def _cached(kind, arguments, draw):
    """What `draw` returns for these arguments, drawn only if the cache has not got it. The key
    is the data itself (titles, names, periods, figures, target, unit), so a new or corrected
    figure, a new target or another name for the council is a new key, and a report "as at"
    a past moment finds the chart of the figures it shows."""
    plain = {
        **arguments,
        "periods": [str(period) for period in arguments["periods"]],
        "series": [
            [one.name, one.kind, [_number(value) for value in one.values]]
            for one in arguments["series"]
        ],
        "target": _number(arguments.get("target")),
    }
    text = json.dumps([kind, _DRAWING_VERSION, plain], sort_keys=True, separators=(",", ":"))
    key = f"chart-{kind}-{hashlib.sha256(text.encode()).hexdigest()}"
    from django.core.cache import caches  # here: reports.word uses this module without Django

    cache = caches["charts"]
    drawn = cache.get(key)
    if drawn is None:
        drawn = draw()
        cache.set(key, drawn)
    return drawn


_FONT = "Arial, Helvetica, Liberation Sans, DejaVu Sans, sans-serif"
_CHAR = 0.55
_MARGIN = 10
_LEGEND_ROW = 24
_LEGEND_KEY = 56  # the line and marker sample: 4 em, as matplotlib's handlelength=4
_LEGEND_GAP = 35
# Marker outlines drawn from their centre (relative path commands), sized as matplotlib sizes
# them (markersize in px): a series' markers are one path, "M x y <outline>" per figure, as a
# <use> per figure costs WeasyPrint about as much as a path each.
_MARKER_SHAPES = {
    "o": lambda r: f"m 0 {-r:g} a {r:g} {r:g} 0 1 0 0 {2 * r:g} a {r:g} {r:g} 0 1 0 0 {-2 * r:g} z",
    "s": lambda r: f"m {-r:g} {-r:g} h {2 * r:g} v {2 * r:g} h {-2 * r:g} z",
    "^": lambda r: f"m 0 {-r:g} l {r:g} {2 * r:g} h {-2 * r:g} z",
    "D": lambda r: (
        f"m 0 {-r * 1.4:g} l {r * 1.4:g} {r * 1.4:g} l {-r * 1.4:g} {r * 1.4:g} "
        f"l {-r * 1.4:g} {-r * 1.4:g} z"
    ),
}


class _LineChart:
    """The line chart drawn as SVG text directly: a few dozen elements placed by arithmetic,
    about 1 ms at 70 periods (matplotlib took 0.15 s at 4 and 0.43 s at 68), with real <text>
    that WeasyPrint lays out quickly."""

    def __init__(self, title, periods, series, target, unit):
        self.periods, self.columns = _checked(periods, series)
        self.series = series
        self.title = title
        self.target = _number(target)
        self.percentage = unit == "percentage"
        self.unit = unit
        figures = [value for column in self.columns for value in column if value is not None]
        if self.target is not None:
            figures.append(self.target)
        self.low, self.high, zoomed = _y_range(figures, self.percentage)
        self.ticks = [tick for tick in _ticks(self.low, self.high) if self.low <= tick <= self.high]
        if unit == "rating":  # red, amber and green, each named on the axis
            self.low, self.high, self.ticks = 0.5, 3.5, [1, 2, 3]
        if self.percentage:
            self.axis_label = (
                f"% (axis starts at {self._fmt(self.low)})" if zoomed and self.low > 0 else "%"
            )
        else:
            self.axis_label = unit
        self.prefix = f"chart-{uuid.uuid4().hex[:12]}"

    def _fmt(self, value):
        if self.unit == "rating":
            return format_figure(value, self.unit)
        return _format_number(value) + ("%" if self.percentage else "")

    def svg(self, description):
        width, height = LINE_CHART_WIDTH, LINE_CHART_HEIGHT
        prefix = self.prefix
        title_lines = textwrap.wrap(self.title, 90) or [""]
        top = _MARGIN + 22 * len(title_lines) + 14
        # The legend: two columns where the names are short enough, centred under the plot.
        names = [one.name for one in self.series]
        columns = 2 if len(names) > 1 and max(len(name) for name in names) <= 40 else 1
        rows = math.ceil(len(names) / columns)
        legend_top = height - _MARGIN - rows * _LEGEND_ROW
        # The x axis: labels turn 45 degrees when they would not fit side by side, and every
        # n-th is kept (always the latest) when even turned they would overlap.
        count = len(self.periods)
        longest = max(len(period) for period in self.periods)
        turned = count * (8 * longest + 16) > 760
        label_height = longest * 14 * _CHAR * 0.72 + 22 if turned else 24
        bottom = legend_top - 12 - label_height
        tick_labels = [self._fmt(tick) for tick in self.ticks]
        left = 34 + max(len(label) for label in tick_labels) * 14 * _CHAR + 8
        target_label = f"Target: {self._fmt(self.target)}" if self.target is not None else None
        right = width - (len(target_label) * 14 * 0.6 + 14 if target_label else 24)
        plot_width, plot_height = right - left, bottom - top

        def x_at(index):
            return left + (index + 0.4) / (count - 0.2) * plot_width

        def y_at(value):
            return bottom - (value - self.low) / (self.high - self.low) * plot_height

        # Text settings on the root, inherited by every <text>: fewer attributes to parse.
        out = [
            f'<svg xmlns="{SVG_NS}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" version="1.1" role="img" '
            f'aria-labelledby="{prefix}-title{"" if description is None else f" {prefix}-desc"}" '
            f'stroke-linejoin="round" stroke-linecap="butt" font-family="{_FONT}" '
            f'font-size="14" fill="{TEXT_COLOUR}">',
            f'<title id="{prefix}-title">{escape(self.title)}</title>',
        ]
        if description is not None:
            out.append(f'<desc id="{prefix}-desc">{escape(description)}</desc>')
        out.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
        grid = " ".join(f"M {_point(left, y_at(t))} H {_format_px(right)}" for t in self.ticks)
        out.append(f'<path d="{grid}" fill="none" stroke="{GRID_COLOUR}" stroke-width="0.75"/>')
        for tick, label in zip(self.ticks, tick_labels, strict=True):
            out.append(_text(label, left - 8, y_at(tick) + 5, anchor="end"))
        out.append(
            f'<path d="M {_point(left, top)} V {_format_px(bottom)} H {_format_px(right)}" '
            f'fill="none" stroke="{TEXT_COLOUR}" stroke-width="1"/>'
        )
        if target_label:
            y = y_at(self.target)
            out.append(
                f'<g id="{prefix}-target"><path d="M {_point(left, y)} L {_point(right, y)}" '
                f'fill="none" stroke="{TARGET_COLOUR}" stroke-width="2"/></g>'
            )
            out.append(
                _text(
                    target_label,
                    right + 8,
                    y_at(self.target) + 5,
                    bold=True,
                    element_id=f"{prefix}-target-label",
                )
            )
        styles = _series_styles(self.series)
        # The first series (usually the council's) is drawn last, on top.
        for index in reversed(range(len(self.series))):
            points = [
                (x_at(i), y_at(value))
                for i, value in enumerate(self.columns[index])
                if value is not None
            ]
            line = []
            for i, value in enumerate(self.columns[index]):
                if value is not None:
                    gap = i == 0 or self.columns[index][i - 1] is None
                    line.append(f"{'M' if gap else 'L'} {_point(x_at(i), y_at(value))}")
            out.append(f'<g id="{prefix}-series-{index}">')
            if line:
                out.append(_line_path(" ".join(line), styles[index]))
            if line:
                out.append(_markers(points, styles[index]))
            out.append("</g>")
        # Period labels, with a tick mark under each labelled period.
        step = math.ceil(22 / (plot_width / (count - 0.2))) if turned else 1
        shown = [i for i in range(count) if (count - 1 - i) % step == 0]
        marks = " ".join(f"M {_point(x_at(i), bottom)} v 5" for i in shown)
        out.append(f'<path d="{marks}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
        for i in shown:
            if turned:
                x, y = x_at(i) + 4, bottom + 16
                out.append(
                    _text(
                        self.periods[i],
                        x,
                        y,
                        anchor="end",
                        transform=f"rotate(-45 {_point(x, y)})",
                    )
                )
            else:
                out.append(_text(self.periods[i], x_at(i), bottom + 22, anchor="middle"))
        out.append(
            _text(
                self.axis_label,
                0,
                0,
                anchor="middle",
                transform=f"translate(20 {_format_px(top + plot_height / 2)}) rotate(-90)",
            )
        )
        for number, line_text in enumerate(title_lines):
            out.append(_text(line_text, left, _MARGIN + 17 + 22 * number, size=16, bold=True))
        out.append(self._legend(prefix, styles, columns, legend_top, width))
        out.append("</svg>")
        return "".join(out) + "\n"

    def _legend(self, prefix, styles, columns, legend_top, width):
        names = [one.name for one in self.series]
        rows = math.ceil(len(names) / columns)
        # Column by column, as matplotlib fills a legend.
        column_of = [index // rows for index in range(len(names))]
        column_widths = [
            max(
                _LEGEND_KEY + 10 + len(name) * 14 * _CHAR
                for name, column in zip(names, column_of, strict=True)
                if column == which
            )
            for which in range(max(column_of) + 1)
        ]
        x = (width - sum(column_widths) - _LEGEND_GAP * (len(column_widths) - 1)) / 2
        starts = []
        for column_width in column_widths:
            starts.append(x)
            x += column_width + _LEGEND_GAP
        out = [f'<g id="{prefix}-legend">']
        for index, name in enumerate(names):
            x = starts[column_of[index]]
            y = legend_top + (index % rows) * _LEGEND_ROW + _LEGEND_ROW / 2
            out.append("<g>")
            out.append(
                _line_path(
                    f"M {_point(x, y)} L {_point(x + _LEGEND_KEY, y)}",
                    styles[index],
                )
            )
            out.append(_markers([(x + _LEGEND_KEY / 2, y)], styles[index]))
            out.append(_text(name, x + _LEGEND_KEY + 10, y + 5))
            out.append("</g>")
        out.append("</g>")
        return "".join(out)


def _series_styles(series):
    """Each series' drawing style: its kind's, with another colour and an open marker for the
    second or later series of a kind."""
    seen = {}
    styles = []
    for one in series:
        style = dict(KINDS[one.kind], kind=one.kind, fill=KINDS[one.kind]["color"], edge=1)
        repeat = seen.get(one.kind, 0)
        seen[one.kind] = repeat + 1
        if repeat:
            style["color"] = _REPEAT_COLOURS[(repeat - 1) % len(_REPEAT_COLOURS)]
            style["fill"], style["edge"] = "#ffffff", 2
        styles.append(style)
    return styles


def _line_path(d, style):
    attributes = (
        f'd="{d}" fill="none" stroke="{style["color"]}" stroke-width="{style["linewidth"]:g}"'
    )
    if style["linestyle"] != "-":
        # matplotlib's dash patterns are in line widths.
        _, pattern = style["linestyle"]
        dashes = ",".join(_format_px(length * style["linewidth"]) for length in pattern)
        attributes += f' stroke-dasharray="{dashes}"'
    if style.get("dash_capstyle") == "round":
        attributes += ' stroke-linecap="round"'
    return f"<path {attributes}/>"


def _markers(points, style):
    outline = _MARKER_SHAPES[style["marker"]](style["markersize"] / 2)
    d = " ".join(f"M {_point(x, y)} {outline}" for x, y in points)
    return (
        f'<path d="{d}" fill="{style["fill"]}" stroke="{style["color"]}" '
        f'stroke-width="{style["edge"]}"/>'
    )


def _text(content, x, y, *, anchor=None, size=None, bold=False, transform=None, element_id=None):
    """A <text>; its font, size (14 px unless `size`) and colour come from the root <svg>."""
    attributes = [
        *([f'id="{element_id}"'] if element_id else []),
        f'x="{_format_px(x)}" y="{_format_px(y)}"',
        *([f'font-size="{size}"'] if size else []),
        *(['font-weight="bold"'] if bold else []),
        *([f'text-anchor="{anchor}"'] if anchor else []),
        *([f'transform="{transform}"'] if transform else []),
    ]
    return f"<text {' '.join(attributes)}>{escape(content)}</text>"


def _point(x, y):
    return f"{_format_px(x)} {_format_px(y)}"


def _ticks(low, high, bins=6, steps=(1, 2, 2.5, 5, 10)):
    """Round tick values covering low..high in at most `bins` steps (as matplotlib's
    MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]) chooses them)."""
    if high <= low:
        return [low]
    raw = (high - low) / bins
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in steps:
        step = multiple * magnitude
        if step < raw * (1 - 1e-9):
            continue
        first = math.floor(low / step + 1e-9)
        last = math.ceil(high / step - 1e-9)
        if last - first <= bins:
            return [round(index * step, 10) for index in range(first, last + 1)]
    return [low, high]


def _checked(periods, series):
    """The periods as text and each series' values as floats or None, once the input is sound."""
    periods = [str(period) for period in periods]
    if not periods:
        raise ValueError("A chart needs at least one period.")
    if not series:
        raise ValueError("A chart needs at least one series.")
    for one in series:
        if one.kind not in KINDS:
            raise ValueError(f"Unknown series kind {one.kind!r}; expected one of {list(KINDS)}.")
        if len(one.values) != len(periods):
            raise ValueError(
                f"Series {one.name!r} has {len(one.values)} values for {len(periods)} periods."
            )
    return periods, [[_number(value) for value in one.values] for one in series]


def sparkline_svg(*, title: str, values: list) -> str:
    """A 120x32 SVG trend line with gaps for None and the latest figure marked; no axes.

    Written out directly rather than drawn by matplotlib: the plan page inlines one for each
    priority (a couple of dozen), and a few points cost microseconds where a matplotlib figure
    costs tens of milliseconds. Safe to inline more than once: its ids are unique per call."""
    drawn = _sparkline(title, tuple(_number(value) for value in values))
    return drawn.replace(_SPARKLINE_PREFIX, f"chart-{uuid.uuid4().hex[:12]}")


_SPARKLINE_PREFIX = "chart-sparkline-ids"  # replaced by a new prefix each time it is drawn


@functools.lru_cache(maxsize=2048)
def _sparkline(title, column):
    """The sparkline for these figures, drawn once: the same figures give the same picture
    whatever changes elsewhere."""
    prefix = _SPARKLINE_PREFIX
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(SPARKLINE_WIDTH),
            "height": str(SPARKLINE_HEIGHT),
            "viewBox": f"0 0 {SPARKLINE_WIDTH} {SPARKLINE_HEIGHT}",
            "version": "1.1",
            "role": "img",
            "aria-labelledby": f"{prefix}-title",
        },
    )
    ET.SubElement(root, "title", id=f"{prefix}-title").text = title
    known = [y for y in column if y is not None]
    if not known:
        return ET.tostring(root, encoding="unicode") + "\n"

    # The plot area leaves room for the latest figure's marker at every edge.
    left, right = 0.04 * SPARKLINE_WIDTH, 0.96 * SPARKLINE_WIDTH
    top, bottom = 0.12 * SPARKLINE_HEIGHT, 0.88 * SPARKLINE_HEIGHT
    low, high = min(known), max(known)
    last_x = max(len(column) - 1, 1)

    def point(x, y):
        px = (left + right) / 2 if len(column) == 1 else left + (right - left) * x / last_x
        share = 0.5 if high == low else (y - low) / (high - low)
        return _format_px(px), _format_px(bottom - (bottom - top) * share)

    runs, run = [], []
    for x, y in enumerate([*column, None]):
        if y is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(point(x, y))

    defs = ET.SubElement(root, "defs")
    ET.SubElement(defs, "circle", id=f"{prefix}-dot", r="1.25")
    ET.SubElement(defs, "circle", id=f"{prefix}-last-dot", r="2.5")
    lines = [run for run in runs if len(run) > 1]
    if lines:
        path = " ".join("M " + " L ".join(f"{x} {y}" for x, y in line) for line in lines)
        ET.SubElement(
            ET.SubElement(root, "g", id=f"{prefix}-sparkline-line"),
            "path",
            {"d": path, "fill": "none", "stroke": TEXT_COLOUR, "stroke-width": "1.5"},
        )
    # A figure with no neighbours draws no line, so show it as a dot.
    isolated = [run[0] for run in runs if len(run) == 1]
    if isolated:
        dots = ET.SubElement(root, "g", id=f"{prefix}-sparkline-points", fill=TEXT_COLOUR)
        for x, y in isolated:
            ET.SubElement(dots, "use", href=f"#{prefix}-dot", x=x, y=y)
    last = ET.SubElement(root, "g", id=f"{prefix}-sparkline-last", fill=KINDS["council"]["color"])
    x, y = runs[-1][-1]
    ET.SubElement(last, "use", href=f"#{prefix}-last-dot", x=x, y=y)
    return ET.tostring(root, encoding="unicode") + "\n"


def _number(value):
    """A float for a figure, or None for no figure (None or NaN)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"Expected a number or None, got {value!r}.")
    number = float(value)
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError("Figures must be finite.")
    return number


def _format_number(value):
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _y_range(figures, percentage):
    """(low, high, zoomed) for the y axis."""
    if percentage:
        if not figures:
            return 0.0, 100.0, False
        low, high = min(figures), max(figures)
        if low >= 0 and high <= 100 and high - low <= 20:
            zoom_low = max(0.0, math.floor((low - 5) / 10) * 10)
            zoom_high = min(100.0, math.ceil((high + 5) / 10) * 10)
            return zoom_low, zoom_high, (zoom_low, zoom_high) != (0, 100)
        return min(0.0, math.floor(low / 10) * 10), max(100.0, math.ceil(high / 10) * 10), False
    if not figures:
        return 0.0, 1.0, False
    low, high = min(min(figures), 0.0), max(max(figures), 0.0)
    if low == high:
        return 0.0, 1.0, False
    ticks = _ticks(low, high)
    return float(ticks[0]), float(ticks[-1]), False


def _format_px(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")
