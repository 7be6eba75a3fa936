from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record


class Strategy(Record):
    """A multi-year partnership strategy, e.g. the LAC and Care Leavers Strategy 2015-18."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    period_start = models.DateField("start of the strategy period")
    period_end = models.DateField("end of the strategy period")
    vision = LongTextField(blank=True)
    principles = LongTextField(blank=True, help_text="One principle on each line.")
    pledge = LongTextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.CharField(
        max_length=200, blank=True, help_text="The body that approved it, e.g. Policy Committee."
    )
    approved_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outcomes:strategy_detail", args=[self.pk])

    @property
    def principle_list(self):
        return [line.strip() for line in self.principles.splitlines() if line.strip()]

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = "The end of the strategy period must be after its start"
        if self.pk and self.period_start and self.period_end and not errors:
            outside = [
                plan.year_label
                for plan in self.action_plans.all()
                if plan.starts_on < self.period_start or plan.ends_on > self.period_end
            ]
            if outside:
                errors["period_end"] = (
                    f"The period must still cover its action plans ({', '.join(outside)})"
                )
        if self.status == self.Status.APPROVED:
            if not self.approved_by:
                errors["approved_by"] = "Enter the body that approved the strategy"
            if not self.approved_on:
                errors["approved_on"] = "Enter the date the strategy was approved"
        if errors:
            raise ValidationError(errors)


class Outcome(Record):
    """A statement about the children, fixed for the strategy's period ("... are safe")."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome priority"
        DELIVERY = "delivery", "Delivery priority"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    statement = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OUTCOME)
    commitment = LongTextField(blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="owned_outcomes", blank=True
    )
    order = models.PositiveSmallIntegerField(
        "position in the strategy",
        default=0,
        help_text="Lower numbers come first; outcomes in the same position sort by number.",
    )

    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_outcome_number")
        ]

    def __str__(self):
        from lacstrategy.selectors import terms  # selectors reads outcomes

        return f"{capfirst(terms().outcome)} {self.number}: {self.statement}"

    def get_absolute_url(self):
        return reverse("outcomes:outcome_detail", args=[self.pk])

    unique_error_field = "number"

    def unique_error_text(self):
        return f"This strategy already has an outcome {self.number}"


class Indicator(Record):
    """How achievement of an outcome is measured."""

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        COUNT = "count", "Count"
        RATE = "rate", "Rate"
        DAYS = "days", "Days"
        SCORE = "score", "Score"
        QUALITATIVE = "qualitative", "Qualitative statement"

    class Better(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NEITHER = "neither", "Neither (context only)"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        TERMLY = "termly", "Termly"
        ANNUAL = "annual", "Annual"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(max_length=300)
    definition = LongTextField(blank=True)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.PERCENTAGE)
    better = models.CharField(
        "which direction is better", max_length=8, choices=Better.choices, default=Better.HIGHER
    )
    data_source = models.CharField(max_length=200, blank=True)
    frequency = models.CharField(
        "how often it is collected",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    views_based = models.BooleanField(
        "based on the views of children and young people",
        default=False,
        help_text="Tick if it relies on feedback gathered from children and young people.",
    )
    baseline_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_period = models.CharField(
        max_length=50, blank=True, help_text="For example, 2014-15 or as at 31 March 2015."
    )
    baseline_is_illustrative = models.BooleanField(
        "the baseline is illustrative sample data",
        default=False,
        help_text="Tick for demonstration figures that are not the council's real data.",
    )
    standard_code = models.CharField(
        "standard measure",
        max_length=60,
        blank=True,
        help_text="The national measure this indicator was adopted from, if any.",
    )
    order = models.PositiveSmallIntegerField(
        "position in the outcome's indicators", default=0, help_text="Lower numbers come first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            # Adopting a standard measure twice (a double-click) keeps one.
            models.UniqueConstraint(
                fields=["outcome", "standard_code"],
                condition=~models.Q(standard_code=""),
                name="one_adoption_of_a_standard_measure",
                violation_error_message="This outcome already has this standard measure",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outcomes:indicator_detail", args=[self.pk])

    def figure_problem(self, value):
        """Why `value` cannot be a figure of this indicator, or '' if it can."""
        if value is None:
            return ""
        if self.unit == self.Unit.QUALITATIVE:
            return "This indicator is a statement, not a number"
        if self.unit == self.Unit.PERCENTAGE and not 0 <= value <= 100:
            return "A percentage must be between 0 and 100"
        if self.unit in (self.Unit.COUNT, self.Unit.DAYS) and value < 0:
            return "The figure cannot be negative"
        if self.unit == self.Unit.COUNT and value != value.to_integral_value():
            return "A count must be a whole number"
        return ""

    def clean(self):
        errors = {}
        if self.baseline_value is not None:
            if problem := self.figure_problem(self.baseline_value):
                errors["baseline_value"] = problem
            if not self.baseline_period:
                errors["baseline_period"] = "Enter the period the baseline figure is for"
        if errors:
            raise ValidationError(errors)
