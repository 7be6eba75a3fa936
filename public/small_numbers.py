"""The one rule for small numbers on the public page, as government statistics apply it: no
count of children under the council's threshold (5 unless it sets another), and no other
figure (a percentage, a rate, an average, a rating) unless it is known to come from at least
that many children, with at least that many counted. Every public page, chart and download
shows a figure through `shown()`, so none can reveal what another withholds."""

from dataclasses import dataclass
from decimal import Decimal

from outcomes.models import Indicator, figure_text

SMALL = "Not published: small numbers"


@dataclass(frozen=True)
class Shown:
    value: Decimal | None  # what a chart may draw: None where the figure is withheld
    words: str  # what a table or a download says


def shown(figure, unit, below):
    """A figure as the public may see it, with `below` the council's threshold."""
    if figure is None or unit == Indicator.Unit.QUALITATIVE:
        return Shown(None, "No figure")
    if figure.suppressed or figure.value is None:
        return Shown(None, SMALL)
    if unit == Indicator.Unit.COUNT:
        if figure.value < below:
            return Shown(None, f"Fewer than {below}")
        return Shown(figure.value, figure_text(figure.value, unit))
    # Anything worked out from a group of children could be of two or three of them: it needs
    # its cohort, and neither the cohort nor the children counted (as given, or as a
    # percentage of the cohort implies) may be fewer than the threshold.
    cohort, counted = figure.denominator, figure.numerator
    if cohort is None:
        return Shown(None, "Not published: we do not have the number of children")
    if counted is None and unit == Indicator.Unit.PERCENTAGE:
        counted = figure.value * cohort / 100
    if cohort < below or (counted is not None and counted < below):
        return Shown(None, SMALL)
    return Shown(figure.value, figure_text(figure.value, unit))
