from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record, with_article


class Strategy(Record):
    """A multi-year partnership strategy for children in care and care leavers (2015-18, say)."""

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
        max_length=200,
        blank=True,
        help_text="Who approved it, for example a board or a cabinet member.",
    )
    approved_on = models.DateField(null=True, blank=True)
    version_label = models.CharField(
        "version",
        max_length=60,
        blank=True,
        help_text="How drafts are named, for example Draft v3. Shown on the strategy document.",
    )
    version_date = models.DateField(
        "date of this version", null=True, blank=True, help_text="For example, 4 4 2016."
    )

    class Numbering(models.TextChoices):
        STRATEGY = "strategy", "Across the whole strategy (1, 2, 3...)"
        GROUP = "group", "Starting again in each group (1.1, 1.2, 2.1...)"

    outcome_numbering = models.CharField(
        "how outcomes are numbered",
        max_length=8,
        choices=Numbering.choices,
        default=Numbering.STRATEGY,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outcomes:strategy_detail", args=[self.pk])

    @property
    def version_display(self):
        """ "Draft v3, 4 April 2016", or '' for a strategy without a version label."""
        parts = [self.version_label, self.version_date and f"{self.version_date:%-d %B %Y}"]
        return ", ".join(part for part in parts if part)

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
        if self.pk and self.outcome_numbering == self.Numbering.STRATEGY:
            numbers = list(self.outcomes.values_list("number", flat=True))
            repeated = sorted({n for n in numbers if numbers.count(n) > 1})
            if repeated:
                errors["outcome_numbering"] = (
                    "Numbers repeat across the groups "
                    f"({', '.join(map(str, repeated))}): renumber them first"
                )
        if self.status == self.Status.APPROVED:
            if not self.approved_by:
                errors["approved_by"] = "Enter the body that approved the strategy"
            if not self.approved_on:
                errors["approved_on"] = "Enter the date the strategy was approved"
        if errors:
            raise ValidationError(errors)


class StrategySection(Record):
    """A named part of the strategy document in the council's own words ("Our approach",
    governance, the sufficiency statement...), shown in the council's order."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200)
    body = LongTextField("text", help_text="Leave a blank line between paragraphs.")
    order = models.PositiveSmallIntegerField(
        "position in the strategy", default=0, help_text="Lower numbers come first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return reverse("outcomes:section_detail", args=[self.pk])

    @property
    def paragraphs(self):
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


class OutcomeGroup(Record):
    """A heading that gathers outcomes, where a strategy has them: a theme, or a statement
    that several priorities are folded into. Called by the council's word for it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = LongTextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_group_number")
        ]

    def __str__(self):
        from lacstrategy.selectors import terms  # selectors reads outcomes

        return f"{capfirst(terms().group)} {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("outcomes:group_detail", args=[self.pk])

    unique_error_field = "number"

    def unique_error_text(self):
        from lacstrategy.selectors import terms

        return f"This strategy already has {with_article(terms().group)} {self.number}"


class Outcome(Record):
    """A statement about the children, fixed for the strategy's period ("... are safe")."""

    class Kind(models.TextChoices):
        # Shown in the council's words (Terms.kinds): "Delivery priority".
        NONE = "", "No kind"
        OUTCOME = "outcome", "Outcome"
        DELIVERY = "delivery", "Delivery"
        HEADING = "heading", "A heading in the plan, not an outcome"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="outcomes")
    group = models.ForeignKey(
        OutcomeGroup,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="outcomes",
    )
    number = models.PositiveSmallIntegerField()
    statement = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NONE, blank=True)
    commitment = LongTextField(blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="owned_outcomes", blank=True
    )
    order = models.PositiveSmallIntegerField(
        "position in the strategy",
        default=0,
        help_text="Lower numbers come first; outcomes in the same position sort by number.",
    )

    framework_items = models.ManyToManyField(
        "frameworks.FrameworkItem",
        related_name="outcomes",
        blank=True,
        verbose_name="national frameworks it serves",
    )

    history = HistoricalRecords(m2m_fields=[owners, framework_items])

    class Meta:
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"],
                condition=models.Q(group__isnull=True),
                name="unique_outcome_number",
            ),
            models.UniqueConstraint(
                fields=["group", "number"],
                condition=models.Q(group__isnull=False),
                name="unique_outcome_number_in_group",
            ),
        ]

    def __str__(self):
        return self.statement if self.is_heading else f"{self.short_name}: {self.statement}"

    @property
    def short_name(self):
        """ "Priority 3" in the council's word; a plan heading by its words."""
        from lacstrategy.selectors import terms

        return (
            self.statement if self.is_heading else f"{capfirst(terms().outcome)} {self.reference}"
        )

    @property
    def is_heading(self):
        return self.kind == self.Kind.HEADING

    @property
    def reference(self):
        """Its number as the strategy writes it: 7, or 2.3 where numbering starts again in
        each group."""
        if self.group_id and self.strategy.outcome_numbering == Strategy.Numbering.GROUP:
            return f"{self.group.number}.{self.number}"
        return str(self.number)

    @property
    def kind_label(self):
        """ "Delivery priority": the kind and the outcome in the council's words; '' for none."""
        from lacstrategy.selectors import terms

        words = terms()
        if self.kind in words.kinds:
            return capfirst(f"{words.kinds[self.kind]} {words.outcome}")
        return ""

    def get_absolute_url(self):
        return reverse("outcomes:outcome_detail", args=[self.pk])

    unique_error_field = "number"

    def unique_error_text(self):
        from lacstrategy.selectors import terms

        where = "This group" if self.group_id else "This strategy"
        return f"{where} already has {terms().an_outcome} {self.number}"

    def clean(self):
        from lacstrategy.selectors import terms

        errors = {}
        if self.group_id and self.strategy_id and self.group.strategy_id != self.strategy_id:
            errors["group"] = "Choose a group from this strategy"
        # Numbers running across the strategy are unique across it, groups or not.
        if (
            self.strategy_id
            and self.number is not None
            and self.strategy.outcome_numbering == Strategy.Numbering.STRATEGY
            and self.strategy.outcomes.filter(number=self.number).exclude(pk=self.pk).exists()
        ):
            errors["number"] = f"This strategy already has {terms().an_outcome} {self.number}"
        if errors:
            raise ValidationError(errors)


class Commitment(Record):
    """One of an outcome's commitments in the strategy ("We will..."). Plan actions say which
    commitments they deliver, so the commitments with no action in a year can be listed."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="commitments")
    text = LongTextField("commitment", help_text="For example, We will...")
    order = models.PositiveSmallIntegerField(
        "position in the list", default=0, help_text="Lower numbers come first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        text = " ".join(self.text.split())
        return text if len(text) <= 90 else text[:87].rstrip() + "…"

    def get_absolute_url(self):
        return reverse("outcomes:commitment_detail", args=[self.pk])


def figure_text(value, unit=""):
    """A figure as the pages, charts and documents write it, to one decimal place with its
    unit: 66%, 12.5, 12 days, 3; '' for none."""
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    text = "0" if text == "-0" else text
    if unit == Indicator.Unit.PERCENTAGE:
        return f"{text}%"
    if unit == Indicator.Unit.DAYS:
        return f"{text} day" if text == "1" else f"{text} days"
    if unit == Indicator.Unit.RATING:
        return RATING_WORDS.get(text, text)
    return text


# A rating's figure and its words.
RATING_WORDS = {"1": "Red", "2": "Amber", "3": "Green"}


class Indicator(Record):
    """How achievement of an outcome is measured."""

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        COUNT = "count", "Count"
        RATE = "rate", "Rate"
        DAYS = "days", "Days"
        SCORE = "score", "Score"
        # A red, amber or green rating, such as young people's rating of a charter promise in
        # a survey: recorded as 1, 2 or 3 and shown in words.
        RATING = "rating", "Red, amber or green rating"
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

    framework_items = models.ManyToManyField(
        "frameworks.FrameworkItem",
        related_name="indicators",
        blank=True,
        verbose_name="national frameworks it serves",
    )

    history = HistoricalRecords(m2m_fields=[framework_items])

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
        if self.unit == self.Unit.RATING and value not in (1, 2, 3):
            return "A rating must be 1 (red), 2 (amber) or 3 (green)"
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
