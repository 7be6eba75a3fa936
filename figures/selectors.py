"""Reads of indicator figures, and what is worked out from them: RAG rating against the year's
target, direction of travel, the statistical-neighbour average and the council's quartile."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from statistics import mean

from django.db.models import Prefetch

from figures.charts import Series, trend_words
from figures.models import BenchmarkFigure, CouncilProfile, IndicatorFigure
from outcomes.models import Indicator

RAG_WORDS = {
    "green": "Green: on target",
    "amber": "Amber: close to target",
    "red": "Red: off target",
}


def council_profile():
    return CouncilProfile.objects.first()


def rag_for(*, value, target, better, tolerance=None):
    """Green when the figure meets the target, amber within the tolerance, red beyond it."""
    if value is None or target is None or better == Indicator.Better.NEITHER:
        return ""
    shortfall = (target - value) if better == Indicator.Better.HIGHER else (value - target)
    if shortfall <= 0:
        return "green"
    if tolerance is not None and shortfall <= tolerance:
        return "amber"
    return "red"


def direction_of_travel(*, latest, previous, better):
    """Improving, worsening or no change since the previous period, by the indicator's polarity."""
    if latest is None or previous is None:
        return ""
    if latest == previous:
        return "No change"
    if better == Indicator.Better.NEITHER:
        return "Up" if latest > previous else "Down"
    went_up = latest > previous
    return "Improving" if went_up == (better == Indicator.Better.HIGHER) else "Worsening"


def quartile(*, value, others, better):
    """Quartile A (best 25% of local authorities) to D, by the indicator's polarity."""
    values = sorted(v for v in others if v is not None)
    if value is None or len(values) < 4 or better == Indicator.Better.NEITHER:
        return ""
    worse = sum(
        1 for v in values if (v < value if better == Indicator.Better.HIGHER else v > value)
    )
    share = worse / len(values)
    return "A" if share >= 0.75 else "B" if share >= 0.5 else "C" if share >= 0.25 else "D"


@dataclass
class PeriodRow:
    label: str
    period_end: object
    figure: IndicatorFigure | None = None
    england: BenchmarkFigure | None = None
    region: BenchmarkFigure | None = None
    neighbours_average: Decimal | None = None
    neighbours_counted: int = 0
    quartile: str = ""


@dataclass
class IndicatorPicture:
    """Everything the indicator page shows about its figures."""

    indicator: Indicator
    profile: CouncilProfile | None
    rows: list = field(default_factory=list)
    latest: IndicatorFigure | None = None
    previous: IndicatorFigure | None = None
    target: object = None  # the current plan's priority indicator, if any
    rag: str = ""
    direction: str = ""
    small_cohort: bool = False

    @property
    def rag_words(self):
        return RAG_WORDS.get(self.rag, "")

    @property
    def trend(self):
        """The chart's trend in words, its text alternative."""
        return chart_data(self)["description"]

    @property
    def any_illustrative(self):
        return any(
            (row.figure and row.figure.is_illustrative)
            or (row.england and row.england.is_illustrative)
            for row in self.rows
        )


def _latest_two(figures):
    numbers = sorted((f for f in figures if f.value is not None), key=attrgetter("period_end"))
    return (numbers[-1] if numbers else None, numbers[-2] if len(numbers) > 1 else None)


def indicator_picture(*, indicator, priority_indicator=None):
    """Figures and benchmarks of one indicator, period by period. Three queries."""
    profile = council_profile()
    figures = list(indicator.figures.select_related("entered_by").order_by("period_end"))
    benchmarks = list(indicator.benchmarks.order_by("period_end"))
    periods = {}
    for figure in figures:
        periods.setdefault(
            figure.period_end, PeriodRow(figure.period_label, figure.period_end)
        ).figure = figure
    by_period = defaultdict(list)
    for benchmark in benchmarks:
        row = periods.setdefault(
            benchmark.period_end, PeriodRow(benchmark.period_label, benchmark.period_end)
        )
        by_period[benchmark.period_end].append(benchmark)
        if benchmark.level == BenchmarkFigure.Level.NATIONAL:
            row.england = benchmark
        elif (
            profile
            and benchmark.level == BenchmarkFigure.Level.REGIONAL
            and benchmark.area_code == profile.region_code
        ):
            row.region = benchmark
    neighbour_codes = set(profile.neighbour_codes) if profile else set()
    for period_end, row in periods.items():
        authorities = [
            b for b in by_period[period_end] if b.level == BenchmarkFigure.Level.LOCAL_AUTHORITY
        ]
        if profile:
            neighbours = [
                b.value
                for b in authorities
                if b.area_code in neighbour_codes and b.value is not None
            ]
            if neighbours:
                row.neighbours_average = Decimal(mean(neighbours)).quantize(Decimal("0.1"))
                row.neighbours_counted = len(neighbours)
        own = row.figure.value if row.figure else None
        row.quartile = quartile(
            value=own,
            others=[b.value for b in authorities if not profile or b.area_code != profile.la_code],
            better=indicator.better,
        )
    picture = IndicatorPicture(
        indicator=indicator, profile=profile, rows=[periods[k] for k in sorted(periods)]
    )
    picture.latest, picture.previous = _latest_two(figures)
    picture.target = priority_indicator
    if picture.latest:
        target_value = priority_indicator.target_value if priority_indicator else None
        tolerance = priority_indicator.amber_tolerance if priority_indicator else None
        picture.rag = rag_for(
            value=picture.latest.value,
            target=target_value,
            better=indicator.better,
            tolerance=tolerance,
        )
        picture.direction = direction_of_travel(
            latest=picture.latest.value,
            previous=picture.previous.value if picture.previous else None,
            better=indicator.better,
        )
        cohort = picture.latest.denominator
        limit = profile.small_cohort if profile else 10
        picture.small_cohort = cohort is not None and cohort < limit
    return picture


def figures_prefetch(lookup="figures", *, until=None):
    """For list pages: every indicator's figures in one query, oldest first; with `until`, only
    those for periods ending by then (a past quarter shows what it had)."""
    figures = IndicatorFigure.objects.order_by("period_end")
    return Prefetch(lookup, queryset=figures.filter(period_end__lte=until) if until else figures)


def trends_and_latest(*, indicator_ids):
    """For pages that show a sparkline and the latest figure of each indicator: its figures'
    values, oldest first, and its latest two figures with a value as records (what
    latest_figure reads), newest last. Two queries whatever the number of periods, and records
    made only for those two: the values come first, then the two by their ids (cheaper than a
    window over every figure)."""
    values, newest = defaultdict(list), defaultdict(list)
    rows = (
        IndicatorFigure.objects.filter(indicator_id__in=indicator_ids)
        .order_by("indicator_id", "period_end", "pk")
        .values_list("indicator_id", "pk", "value")
    )
    for indicator_id, pk, value in rows:
        values[indicator_id].append(value)
        if value is not None:
            newest[indicator_id] = [*newest[indicator_id][-1:], pk]
    # Without the model's order, which joins the indicators only to sort a lookup.
    records = IndicatorFigure.objects.order_by().in_bulk(
        [pk for pks in newest.values() for pk in pks]
    )
    latest = {indicator_id: [records[pk] for pk in pks] for indicator_id, pks in newest.items()}
    return values, latest


@dataclass
class LatestFigure:
    figure: IndicatorFigure | None
    rag: str
    direction: str

    @property
    def rag_words(self):
        return RAG_WORDS.get(self.rag, "")


def latest_figure(indicator, priority_indicator=None, *, figures=None):
    """The latest figure, RAG and direction from prefetched figures (no query): the indicator's
    figures (figures_prefetch), or the `figures` given (trends_and_latest's)."""
    latest, previous = _latest_two(indicator.figures.all() if figures is None else figures)
    if latest is None:
        return LatestFigure(None, "", "")
    return LatestFigure(
        latest,
        rag_for(
            value=latest.value,
            target=priority_indicator.target_value if priority_indicator else None,
            better=indicator.better,
            tolerance=priority_indicator.amber_tolerance if priority_indicator else None,
        ),
        direction_of_travel(
            latest=latest.value,
            previous=previous.value if previous else None,
            better=indicator.better,
        ),
    )


def chart_data(picture):
    """The indicator's figures as chart series: the council, England, region, neighbours."""
    rows = picture.rows
    council = picture.profile.name if picture.profile else "This council"
    if picture.any_illustrative:
        council += " (illustrative)"
    series = [
        Series(council, [r.figure.value if r.figure else None for r in rows], "council"),
        Series("England", [r.england.value if r.england else None for r in rows], "england"),
    ]
    if picture.profile:
        series.append(
            Series(
                picture.profile.region_name,
                [r.region.value if r.region else None for r in rows],
                "region",
            )
        )
        series.append(
            Series(
                "Statistical neighbours (average)",
                [r.neighbours_average for r in rows],
                "neighbours",
            )
        )
    target = picture.target.target_value if picture.target else None
    periods = [r.label for r in rows]
    unit = picture.indicator.unit
    return {
        "title": picture.indicator.title,
        "description": trend_words(periods=periods, series=series, target=target, unit=unit),
        "periods": periods,
        "series": series,
        "target": target,
        "unit": unit,
    }


def figure_history(*, indicator, limit=20):
    """The latest changes to the council's figures for an indicator, who made them and why."""
    return list(
        IndicatorFigure.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
