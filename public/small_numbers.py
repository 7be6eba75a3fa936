"""The one rule for small numbers on the public page, as government statistics apply it: no
count of children under the council's threshold (5 unless it sets another), and no percentage
or average whose children, or whose cohort, number fewer. Every public page, chart and
download shows a figure through `shown()`, so none can reveal what another withholds."""

from dataclasses import dataclass
from decimal import Decimal

from outcomes.models import Indicator, figure_text


@dataclass(frozen=True)
class Shown:
    value: Decimal | None  # what a chart may draw: None where the figure is withheld
    words: str  # what a table or a download says


def shown(figure, unit, below):
    """A figure as the public may see it, with `below` the council's threshold."""
    if figure is None:
        return Shown(None, "No figure")
    if figure.suppressed or figure.value is None:
        return Shown(None, "Not published: small numbers")
    if unit == Indicator.Unit.COUNT and figure.value < below:
        return Shown(None, f"Fewer than {below}")
    counted = (figure.numerator, figure.denominator)
    if any(number is not None and number < below for number in counted):
        return Shown(None, "Not published: small numbers")
    # A percentage of an unknown number of children could be of two or three: withheld.
    if unit == Indicator.Unit.PERCENTAGE and figure.denominator is None:
        return Shown(None, "Not published: we do not have the number of children")
    if unit == Indicator.Unit.QUALITATIVE:
        return Shown(None, "No figure")
    return Shown(figure.value, figure_text(figure.value, unit))
