import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record
from outcomes.models import Indicator, Strategy, figure_text


class Rag(models.TextChoices):
    """A red, amber or green rating: an action's progress, a survey's finding."""

    NOT_RATED = "", "Not rated"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# What each rating and status means, in one place: the update form's hints and the content guide
# say the same.
RAG_DEFINITIONS = {
    "red": "Will not be achieved without help",
    "amber": "Some concerns: may not be achieved unless problems are sorted out",
    "green": "On track: expected to be achieved",
    "": "Not enough is known yet to rate it",
}
STATUS_DEFINITIONS = {
    "not_started": "Work has not begun yet",
    "on_track": "Going as planned, on course for its target date",
    "at_risk": "Behind or facing problems: may miss its target without action",
    "off_track": "Will not be done by its target date without help",
    "complete": "Done: nothing more to do",
    "withdrawn": "Stopped and no longer part of the plan: say why in the progress note",
}


class ActionPlan(Record):
    """The 12-month plan for one financial year (April to March) of a strategy."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="action_plans")
    financial_year_start = models.PositiveSmallIntegerField(
        "financial year",
        help_text="The year in which the plan's April falls: 2016 for the 2016-17 plan.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "-financial_year_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "financial_year_start"], name="one_action_plan_a_year"
            )
        ]

    def __str__(self):
        return f"Action plan {self.year_label}"

    def get_absolute_url(self):
        return reverse("actionplans:plan_detail", args=[self.pk])

    @property
    def year_label(self):
        """The year as councils write it: 2016-17."""
        if self.financial_year_start is None:
            return ""
        return f"{self.financial_year_start}-{(self.financial_year_start + 1) % 100:02d}"

    @property
    def year_label_slashed(self):
        """The year as the plan document writes it in its headings: 2016/17."""
        return self.year_label.replace("-", "/")

    @property
    def starts_on(self):
        return datetime.date(self.financial_year_start, 4, 1)

    @property
    def ends_on(self):
        return datetime.date(self.financial_year_start + 1, 3, 31)

    def clean(self):
        if self.financial_year_start is None or self.strategy_id is None:
            return
        if not 1990 <= self.financial_year_start <= 2100:
            raise ValidationError({"financial_year_start": "Enter a year such as 2016"})
        strategy = self.strategy
        if self.starts_on < strategy.period_start or self.ends_on > strategy.period_end:
            raise ValidationError(
                {
                    "financial_year_start": (
                        f"The plan year {self.year_label} (April to March) must lie within the "
                        f"strategy period, {strategy.period_start:%-d %B %Y} to "
                        f"{strategy.period_end:%-d %B %Y}"
                    )
                }
            )

    unique_error_field = "financial_year_start"

    def unique_error_text(self):
        return f"This strategy already has a {self.year_label} plan"


# How far short of a target is still amber, in each unit's words.
TOLERANCE_UNITS = {
    Indicator.Unit.PERCENTAGE: " percentage points",
    Indicator.Unit.SCORE: " points",
}


def target_words(*, target, target_value, amber_tolerance, unit):
    """A priority's target as every page and document shows it: the plan's words, the number
    the RAG rating is worked out against and the amber tolerance ("66% (amber within 5
    percentage points)"); "Not set" only when there is none."""
    number = figure_text(target_value, unit)
    words = target.strip()
    if words and number and words.replace(" ", "") not in (number, number.rstrip("%")):
        shown = f"{words}: {number}"
    else:
        shown = number or words
    if not shown:
        return "Not set"
    if number and amber_tolerance is not None:
        within = (
            figure_text(amber_tolerance, unit)
            if unit == Indicator.Unit.DAYS
            else (figure_text(amber_tolerance) + TOLERANCE_UNITS.get(unit, ""))
        )
        shown += f" (amber within {within})"
    return shown


class PriorityIndicator(Record):
    """An indicator chosen as a priority ("priority area") for this year's plan."""

    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="priority_indicators"
    )
    # RESTRICT: an indicator in use cannot be deleted alone, but goes with its whole strategy.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.RESTRICT, related_name="priority_indicators"
    )
    target = models.CharField(
        "this year's target",
        max_length=300,
        blank=True,
        help_text="For example, 90% or 'improve on 2015-16'.",
    )
    target_value = models.DecimalField(
        "target as a number",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Used to work out the RAG rating from the latest figure.",
    )
    amber_tolerance = models.DecimalField(
        "amber tolerance",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="How far short of the target is still amber rather than red, "
        "in the indicator's unit (for example 5 percentage points).",
    )

    class Origin(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        JSNA = "jsna", "Joint Strategic Needs Assessment (JSNA)"
        SURVEY = "survey", "Children and young people's survey"
        PROFESSIONAL = "professional", "Professional view"
        OTHER = "other", "Other"

    rationale = LongTextField("why it was chosen", blank=True)
    origin = models.CharField(
        "where it came from", max_length=12, choices=Origin.choices, blank=True, default=""
    )
    origin_detail = models.CharField(
        "more about where it came from",
        max_length=300,
        blank=True,
        help_text="For example, the survey's name and year, or the other source.",
    )
    survey_rating = models.CharField(
        "the survey's rating",
        max_length=5,
        choices=Rag.choices,
        blank=True,
        default="",
        help_text="The RAG rating the survey gave, where it came from a survey.",
    )
    order = models.PositiveSmallIntegerField(
        "position in the outcome's priority areas", default=0, help_text="Lower numbers come first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "indicator"], name="indicator_once_a_plan"
            )
        ]

    def __str__(self):
        return str(self.indicator)

    def get_absolute_url(self):
        return reverse("actionplans:priority_indicator_detail", args=[self.pk])

    @property
    def outcome(self):
        return self.indicator.outcome

    @property
    def target_words(self):
        return target_words(
            target=self.target,
            target_value=self.target_value,
            amber_tolerance=self.amber_tolerance,
            unit=self.indicator.unit,
        )

    def clean(self):
        if (
            self.indicator_id
            and self.action_plan_id
            and self.indicator.outcome.strategy_id != self.action_plan.strategy_id
        ):
            raise ValidationError({"indicator": "Choose an indicator from this plan's strategy"})

    unique_error_field = "indicator"

    def unique_error_text(self):
        return "This indicator is already a priority in this plan"


def short_text(text):
    """(its first line cut to fit a table cell or a list, whether that leaves some out)."""
    whole = text.strip()
    first_line = whole.splitlines()[0].lstrip("- ").strip() if whole else ""
    if len(first_line) <= 90:
        return first_line, first_line != whole.lstrip("- ").strip()
    return first_line[:88].rsplit(" ", 1)[0].rstrip(",;:") + "…", True  # at a word's end


class Action(Record):
    """What will be done to improve a priority indicator."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        COMPLETE = "complete", "Complete"
        WITHDRAWN = "withdrawn", "Withdrawn"

    priority_indicator = models.ForeignKey(
        PriorityIndicator, on_delete=models.CASCADE, related_name="actions"
    )
    reference = models.CharField(
        "action number",
        max_length=20,
        blank=True,
        help_text="The plan's own number for it, if the plan numbers its actions: 7 or 2.3.",
    )
    description = LongTextField("action", help_text="What will be done.")
    also_serves = models.ManyToManyField(
        PriorityIndicator,
        related_name="shared_actions",
        blank=True,
        verbose_name="also contributes to",
        help_text="Other priorities in this plan that the action serves.",
    )
    commitments = models.ManyToManyField(
        "outcomes.Commitment",
        related_name="actions",
        blank=True,
        verbose_name="strategy commitments it delivers",
    )
    measure = LongTextField(blank=True, help_text="How we will know it has made a difference.")
    lead_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_actions", blank=True, verbose_name="leads"
    )
    undertaken_by = LongTextField(
        "this work will be undertaken by",
        blank=True,
        help_text="As the plan writes it: a person, a team or a role ('IROs and Social Workers').",
    )
    target_date = models.DateField("target date for completion", null=True, blank=True)
    target_text = models.CharField(
        "target in words",
        max_length=200,
        blank=True,
        help_text="As the plan writes it, e.g. 'March 2017' or 'Ongoing - review 6 monthly'.",
    )
    cyp_views = LongTextField("children and young people's views", blank=True)
    comment = LongTextField(
        blank=True, help_text="Any note about the action, such as why its target changed."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True, default="")
    carried_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="The same action in last year's plan, when it was carried forward.",
    )
    order = models.PositiveSmallIntegerField(
        "position in the outcome's actions",
        default=0,
        help_text="Lower numbers come first in the plan.",
    )

    framework_items = models.ManyToManyField(
        "frameworks.FrameworkItem",
        related_name="actions",
        blank=True,
        verbose_name="national frameworks it serves",
    )

    history = HistoricalRecords(m2m_fields=[lead_users, also_serves, commitments, framework_items])

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"Action {self.reference}" if self.reference else self.short_description

    @property
    def short_description(self):
        """The description's first line, cut to fit a table cell or a list."""
        return short_text(self.description)[0]

    @property
    def description_is_cut(self):
        """Whether short_description leaves some of the description out."""
        return short_text(self.description)[1]

    def get_absolute_url(self):
        return reverse("actionplans:action_detail", args=[self.pk])

    def clean(self):
        if self.reference and self.priority_indicator_id:
            same = Action.objects.filter(
                priority_indicator__action_plan_id=self.priority_indicator.action_plan_id,
                reference=self.reference,
            ).exclude(pk=self.pk)
            if same.exists():
                raise ValidationError(
                    {"reference": f"This plan already has an action {self.reference}"}
                )

    @property
    def target_display(self):
        """The target as the plan writes it, or the date when no words were given."""
        if self.target_text:
            return self.target_text
        if self.target_date:
            return f"{self.target_date:%-d %B %Y}"
        return ""


class PlanImport(Record):
    """A spreadsheet uploaded into an action plan, waiting for the person to confirm its
    preview. Nothing from it is saved until they do; it is deleted once imported."""

    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField("the uploaded spreadsheet")
    # The spreadsheet read once, when it arrived (plan_template.read_upload): every look at the
    # preview, and the confirmation, compare these rows to the plan as it is then.
    parsed = models.JSONField("the spreadsheet's rows", default=dict, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content", "parsed"])

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} for the {self.action_plan.year_label} plan"
