"""Accessible, print-friendly SVG charts of indicator figures over time (plain data in, SVG out).

Chosen by measurement (6 periods, 4 series, target, 50 renders): pygal 3.1.3 ~10 ms, 24.7 kB;
matplotlib 3.11 SVG backend ~80-88 ms, 16.5 kB (this module ~100 ms, 17.8 kB). matplotlib wins on
output: per-kind dash patterns and marker shapes, legend keys showing both, a text-labelled target;
pygal has only circle markers and colour-box legends, and always emits <script>, CSS, a date.
"""

import io
import math
import re
import textwrap
import threading
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

__all__ = [
    "KINDS",
    "Series",
    "chart_arguments",
    "format_figure",
    "line_chart_png",
    "line_chart_svg",
    "plain_chart",
    "sparkline_svg",
    "trend_words",
]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Intrinsic sizes in CSS px (the viewBox has the same size, so the SVG scales cleanly).
LINE_CHART_WIDTH, LINE_CHART_HEIGHT = 900, 450
SPARKLINE_WIDTH, SPARKLINE_HEIGHT = 120, 32


@cache
def _mpl():
    """matplotlib, imported on first use: it takes about 0.4 s, which processes that draw no
    chart (most requests, every command) should not pay at start-up."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    return SimpleNamespace(
        rc_context=matplotlib.rc_context,
        FigureCanvasAgg=FigureCanvasAgg,
        FigureCanvasSVG=FigureCanvasSVG,
        Figure=Figure,
        FixedLocator=FixedLocator,
        FuncFormatter=FuncFormatter,
        MaxNLocator=MaxNLocator,
    )


_PT_PER_INCH = 72  # matplotlib's SVG backend uses 1 pt = 1 SVG user unit

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

_RC = {
    "svg.fonttype": "none",  # real <text>, not glyph outlines: selectable, searchable, smaller
    "svg.hashsalt": "figures.charts",  # deterministic internal ids
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 14,
    "text.color": TEXT_COLOUR,
    "axes.edgecolor": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,
    "path.simplify": False,
}
# rc_context() changes process-wide settings, so renders are serialised.
_RENDER_LOCK = threading.Lock()
_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}

# CSS properties matplotlib writes in style="" that are also SVG presentation attributes.
_PRESENTATION_ATTRIBUTES = {
    "clip-path",
    "clip-rule",
    "color",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "letter-spacing",
    "opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
    "dominant-baseline",
    "visibility",
}
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_OWN_ID = re.compile(r"series-\d+|legend|target|target-label")


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
    with _RENDER_LOCK, _mpl().rc_context(_RC):
        fig = _line_chart(_mpl().FigureCanvasSVG, title, periods, series, target, unit)
        return _finish(fig, title=title, description=description, facecolor="white")


def line_chart_png(
    *,
    title: str,
    periods: list[str],
    series: list[Series],
    target: Decimal | float | None = None,
    unit: str = "percentage",
    scale: float = 2,
) -> bytes:
    """The same chart as line_chart_svg, as a PNG `scale` times 900x450 pixels (for Word,
    which cannot take SVG). Its text alternative goes on the picture, not in the file."""
    with _RENDER_LOCK, _mpl().rc_context(_RC):
        fig = _line_chart(_mpl().FigureCanvasAgg, title, periods, series, target, unit)
        buffer = io.BytesIO()
        fig.savefig(
            buffer,
            format="png",
            dpi=_PT_PER_INCH * scale,
            metadata={"Software": None},
            facecolor="white",
            edgecolor="none",
        )
        return buffer.getvalue()


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


def plain_chart(*, title, periods, series, target=None, unit="percentage") -> dict:
    """A chart as plain JSON-safe data (what an issued report keeps), with its trend in words
    and its figures as table rows, so that every document draws and tables the same."""
    periods = [str(period) for period in periods]
    return {
        "title": title,
        "periods": periods,
        "series": [
            {"name": one.name, "kind": one.kind, "values": [_number(v) for v in one.values]}
            for one in series
        ],
        "target": _number(target),
        "unit": unit,
        "trend": trend_words(periods=periods, series=series, target=target, unit=unit),
        "rows": [
            [period, *(format_figure(one.values[index], unit) or "No figure" for one in series)]
            for index, period in enumerate(periods)
        ],
    }


def chart_arguments(chart: dict) -> dict:
    """A plain_chart's drawing arguments for line_chart_svg or line_chart_png."""
    return {
        "title": chart["title"],
        "periods": chart["periods"],
        "series": [Series(one["name"], one["values"], one["kind"]) for one in chart["series"]],
        "target": chart["target"],
        "unit": chart["unit"],
    }


def _line_chart(canvas, title, periods, series, target, unit):
    """The matplotlib figure both line_chart_svg and line_chart_png save."""
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
    columns = [[_number(value) for value in one.values] for one in series]
    target_value = _number(target)
    percentage = unit == "percentage"
    figures = [value for column in columns for value in column if value is not None]
    if target_value is not None:
        figures.append(target_value)
    low, high, zoomed = _y_range(figures, percentage)

    def fmt(value, _position=None):
        return _format_number(value) + ("%" if percentage else "")

    fig = _mpl().Figure(
        figsize=(LINE_CHART_WIDTH / _PT_PER_INCH, LINE_CHART_HEIGHT / _PT_PER_INCH),
        layout="constrained",
    )
    canvas(fig)
    fig.get_layout_engine().set(w_pad=8 / _PT_PER_INCH, h_pad=6 / _PT_PER_INCH)
    ax = fig.add_subplot()
    xs = list(range(len(periods)))
    seen = {}
    handles = []
    for index, (one, column) in enumerate(zip(series, columns, strict=True)):
        style = dict(KINDS[one.kind])
        repeat = seen.get(one.kind, 0)
        seen[one.kind] = repeat + 1
        if repeat:
            style["color"] = _REPEAT_COLOURS[(repeat - 1) % len(_REPEAT_COLOURS)]
            style["markerfacecolor"] = "white"
            style["markeredgewidth"] = 2
        (line,) = ax.plot(
            xs,
            [math.nan if value is None else value for value in column],
            label=one.name,
            gid=f"series-{index}",
            zorder=3 + len(series) - index,  # first series (usually the council) on top
            clip_on=False,  # the y range holds every figure; don't halve edge markers
            **style,
        )
        handles.append(line)

    if target_value is not None:
        ax.axhline(target_value, color=TARGET_COLOUR, linewidth=2, zorder=2, gid="target")
        ax.annotate(
            f"Target: {fmt(target_value)}",
            xy=(1, target_value),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=14,
            fontweight="bold",
            gid="target-label",
        )

    ax.set_xlim(-0.4, len(periods) - 0.6)
    ax.xaxis.set_major_locator(_mpl().FixedLocator(xs))
    ax.set_xticklabels(periods)
    # About 8 px per character at 14 px; the plot is about 760 px wide.
    if len(periods) * (8 * max(len(period) for period in periods) + 16) > 760:
        ax.tick_params(axis="x", labelrotation=45)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    ax.set_ylim(low, high)
    ax.yaxis.set_major_locator(_mpl().MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(_mpl().FuncFormatter(fmt))
    ax.tick_params(labelsize=14)
    if percentage:
        axis_label = f"% (axis starts at {fmt(low)})" if zoomed and low > 0 else "%"
    else:
        axis_label = unit
    ax.set_ylabel(axis_label, fontsize=14)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.75, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title(textwrap.fill(title, 90), fontsize=16, fontweight="bold", loc="left")
    legend = fig.legend(
        handles=handles,
        loc="outside lower center",
        # Two columns fit names of up to about 40 characters in 900 px.
        ncols=2 if len(series) > 1 and max(len(one.name) for one in series) <= 40 else 1,
        frameon=False,
        fontsize=14,
        handlelength=4,
        columnspacing=2.5,
    )
    legend.set_gid("legend")
    return fig


def sparkline_svg(*, title: str, values: list) -> str:
    """A 120x32 SVG trend line with gaps for None and the latest figure marked; no axes.

    Written out directly rather than drawn by matplotlib: the plan page inlines one for each
    priority (a couple of dozen), and a few points cost microseconds where a matplotlib figure
    costs tens of milliseconds. Safe to inline more than once: its ids are unique per call."""
    column = [_number(value) for value in values]
    prefix = f"chart-{uuid.uuid4().hex[:12]}"
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
    ticks = _mpl().MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    return float(ticks[0]), float(ticks[-1]), False


def _finish(fig, *, title, description, facecolor):
    """Save `fig` as SVG and make it accessible, CSP-proof and safe to inline more than once."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_SVG_METADATA, facecolor=facecolor, edgecolor="none")
    root = ET.fromstring(buffer.getvalue())
    width_pt, height_pt = (float(n) for n in root.get("viewBox").split()[2:])

    # Plain tag and attribute names (namespaces are declared on the root below), so ElementTree
    # writes neither ns0: prefixes nor needs process-wide namespace registration.
    uses_xlink = False
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
        for name in [name for name in element.attrib if name.startswith(f"{{{XLINK_NS}}}")]:
            element.set("xlink:" + name.rpartition("}")[2], element.attrib.pop(name))
            uses_xlink = True

    # matplotlib's only <style> is "*{stroke-linejoin: round; stroke-linecap: butt}": make those
    # inherited presentation attributes instead, and turn every style="" into presentation
    # attributes too, so nothing depends on CSS (a strict style-src CSP can't break the chart).
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == "style":
                parent.remove(child)
    for defs in root.findall("defs"):
        if len(defs) == 0:
            root.remove(defs)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            leftover = []
            for declaration in style.split(";"):
                name, _, value = (part.strip() for part in declaration.partition(":"))
                if not name:
                    continue
                if name in _PRESENTATION_ATTRIBUTES:
                    element.set(name, value)
                else:
                    leftover.append(f"{name}: {value}")
            if leftover:
                element.set("style", "; ".join(leftover))

    # Keep only the ids that are referenced or that this module set (gid=...), made unique per
    # call so that several charts can be inlined in one HTML page.
    referenced = {
        match
        for element in root.iter()
        for name, value in element.attrib.items()
        for match in ([value[1:]] if name in ("href", "xlink:href") else _URL_REF.findall(value))
    }
    prefix = f"chart-{uuid.uuid4().hex[:12]}"
    renamed = {}
    for element in root.iter():
        old = element.attrib.pop("id", None)
        if old and (old in referenced or _OWN_ID.fullmatch(old)):
            renamed[old] = f"{prefix}-{old}"
            element.set("id", renamed[old])
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in ("href", "xlink:href") and value[1:] in renamed:
                element.set(name, "#" + renamed[value[1:]])
            elif "url(#" in value:
                element.set(name, _URL_REF.sub(lambda m: f"url(#{renamed.get(m[1], m[1])})", value))

    # Fewer elements and no indentation: a PDF with a dozen charts parses, styles and draws
    # each element, so groups that only wrap one element are unwrapped.
    _unwrap_bare_groups(root)
    for element in root.iter():
        if element.tag not in ("text", "tspan", "title", "desc"):
            element.text = (
                None if element.text is None or not element.text.strip() else element.text
            )
        element.tail = None

    labels = [f"{prefix}-title"]
    title_element = ET.Element("title", id=labels[0])
    title_element.text = title
    root.insert(0, title_element)
    if description is not None:
        labels.append(f"{prefix}-desc")
        desc_element = ET.Element("desc", id=labels[1])
        desc_element.text = description
        root.insert(1, desc_element)
    root.attrib = {
        "xmlns": SVG_NS,
        **({"xmlns:xlink": XLINK_NS} if uses_xlink else {}),
        "width": _format_px(width_pt),
        "height": _format_px(height_pt),
        "viewBox": root.get("viewBox"),
        "version": "1.1",
        "role": "img",
        "aria-labelledby": " ".join(labels),
        "stroke-linejoin": "round",
        "stroke-linecap": "butt",
    }
    return ET.tostring(root, encoding="unicode") + "\n"


def _unwrap_bare_groups(parent):
    """Replace each <g> that has no attributes and one child by that child, depth first
    (groups of several, such as a legend's entries, stay)."""
    index = 0
    while index < len(parent):
        child = parent[index]
        _unwrap_bare_groups(child)
        if child.tag == "g" and not child.attrib and len(child) == 1:
            parent[index] = child[0]
        index += 1


def _format_px(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")
