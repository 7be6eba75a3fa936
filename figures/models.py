"""Figures over time for indicators: the council's own, and comparators from DfE open data."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record
from outcomes.models import Indicator


class CouncilProfile(Record):
    """The council's own codes, used to pick its rows and its comparators out of DfE files."""

    name = models.CharField(max_length=200)
    la_code = models.CharField(
        "local authority code", max_length=9, help_text="The new code, for example E10000024."
    )
    old_la_code = models.CharField("old local authority code", max_length=3, blank=True)
    region_code = models.CharField(max_length=9, help_text="For example E12000004.")
    region_name = models.CharField(max_length=100)
    statistical_neighbours = models.TextField(
        help_text="The 10 local authority codes of the DfE/NFER statistical neighbour model, "
        "separated by commas."
    )
    small_cohort = models.PositiveSmallIntegerField(
        "small cohort warning below",
        default=10,
        help_text="Below this many children, a percentage moves a lot with one or two children.",
    )

    history = HistoricalRecords()

    def __str__(self):
        return self.name

    @property
    def neighbour_codes(self):
        return [
            code.strip().upper() for code in self.statistical_neighbours.split(",") if code.strip()
        ]

    def clean(self):
        if len(self.neighbour_codes) != len(set(self.neighbour_codes)):
            raise ValidationError({"statistical_neighbours": "A code is listed twice"})
        if self.la_code.upper() in self.neighbour_codes:
            raise ValidationError(
                {"statistical_neighbours": "The council cannot be its own statistical neighbour"}
            )


class IndicatorFigure(Record):
    """The council's figure for an indicator in one period (a quarter, or a year as at 31 March).

    A suppressed figure is recorded as such; a missing one simply has no row."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="figures")
    period_label = models.CharField(
        "period", max_length=40, help_text="For example 2016 or Q1 2016-17."
    )
    period_end = models.DateField("end of the period")
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The cohort: how many children.",
    )
    suppressed = models.BooleanField(
        default=False, help_text="Withheld because the numbers are small."
    )
    source = models.CharField(max_length=200, blank=True)
    note = LongTextField("comment", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_illustrative = models.BooleanField(
        "illustrative sample figure", default=False, help_text="Demonstration data, not real."
    )

    history = HistoricalRecords()
    unique_error_field = "period_end"

    class Meta:
        ordering = ["indicator", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="one_figure_a_period")
        ]

    def __str__(self):
        shown = "suppressed" if self.suppressed else self.value
        return f"{self.indicator}: {shown} ({self.period_label})"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url() + "#figures"

    def unique_error_text(self):
        return f"There is already a figure for the period ending {self.period_end:%-d %B %Y}"

    def clean(self):
        if self.suppressed and self.value is not None:
            raise ValidationError({"value": "Leave the figure empty when it is suppressed"})
        if not self.suppressed and self.value is None:
            raise ValidationError({"value": "Enter the figure, or mark it as suppressed"})
        if self.indicator_id and (problem := self.indicator.figure_problem(self.value)):
            raise ValidationError({"value": problem})
        if None not in (self.numerator, self.denominator) and self.numerator > self.denominator:
            raise ValidationError(
                {"numerator": "The numerator cannot be more than the denominator"}
            )


class BenchmarkFigure(Record):
    """A comparator from DfE open data: England, a region, or any local authority."""

    class Level(models.TextChoices):
        NATIONAL = "national", "England"
        REGIONAL = "regional", "Region"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    level = models.CharField(max_length=15, choices=Level.choices)
    area_code = models.CharField(max_length=9)
    area_name = models.CharField(max_length=100)
    period_label = models.CharField(max_length=40)
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    suppression = models.CharField(
        max_length=4, blank=True, help_text="The DfE code when there is no figure."
    )
    source = models.CharField(max_length=200, blank=True)
    is_illustrative = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_end", "level", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "level", "area_code", "period_end"],
                name="one_benchmark_an_area",
            )
        ]

    def __str__(self):
        return f"{self.area_name}: {self.value} ({self.period_label})"


class ImportProfile(Record):
    """Which rows and columns of a DfE open-data file hold an indicator's figures."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="import_profile"
    )
    publication = models.CharField(
        max_length=200, help_text="The DfE publication the file comes from."
    )
    value_column = models.CharField(max_length=100, default="percentage")
    filters = models.TextField(
        blank=True,
        help_text="One per line, as column = value, for example: "
        "characteristic = Three or more placements",
    )
    numerator_column = models.CharField(max_length=100, blank=True)
    denominator_column = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"Import profile for {self.indicator}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def filter_map(self):
        pairs = [line.split("=", 1) for line in self.filters.splitlines() if "=" in line]
        return {column.strip(): value.strip() for column, value in pairs}

    def clean(self):
        bad = [line for line in self.filters.splitlines() if line.strip() and "=" not in line]
        if bad:
            raise ValidationError({"filters": f"Write each filter as column = value: '{bad[0]}'"})


class PendingImport(Record):
    """An uploaded file waiting for the person to confirm its preview. Nothing from it is saved
    until they do; it is deleted once imported."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.TextField("the uploaded file")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    def __str__(self):
        return f"{self.file_name} for {self.indicator}"
