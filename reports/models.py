from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actionplans.models import ActionPlan
from lacstrategy.models import LongTextField, Record, ReportSection
from outcomes.models import Strategy
from reviews.models import ReviewPeriod


class CommitteeReport(Record):
    """A report to a committee or board, in the shape of a council committee paper. The officer
    writes the narrative; its type chooses what comes from the records: a quarter's progress,
    the plan year's summary, or the strategy's outcomes and priorities for approval.

    Issuing freezes it: the issued version keeps the data it was built from, its HTML and its
    PDF, whatever changes later. Editing after that makes a new draft version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    class Type(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly progress"
        ANNUAL = "annual", "Annual report"
        STRATEGY_APPROVAL = "approval", "Strategy approval"
        OTHER = "other", "Other"

    class Describes(models.TextChoices):
        NOW = "now", "The records as they stand now, up to the moment the report is issued"
        MEETING = "meeting", "The records as they stood at the end of the meeting date"
        DATE = "date", "The records as they stood at the end of another date"

    report_type = models.CharField(
        "type of report", max_length=9, choices=Type.choices, default=Type.QUARTERLY
    )
    # Which moment a quarterly report draws from the records. "Now" by default: a council that
    # enters its plan or updates after the meeting still gets them in its report.
    describes = models.CharField(
        "what the report draws from the records",
        max_length=7,
        choices=Describes.choices,
        default=Describes.NOW,
    )
    describes_on = models.DateField("the date the report describes", null=True, blank=True)
    # What the report is on: a quarterly report's quarter; for the others, the strategy, and
    # for an annual report the plan year (a strategy approval report may name the plan whose
    # priorities it tables).
    period = models.ForeignKey(
        ReviewPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    action_plan = models.ForeignKey(
        ActionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="action plan",
    )
    number = models.PositiveSmallIntegerField("version", default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    body = models.CharField(
        "sent to",
        max_length=200,
    )
    meeting_on = models.DateField("meeting date")
    agenda_item = models.CharField(max_length=20, blank=True)
    title = models.CharField("report title", max_length=300)
    sponsor = models.CharField(max_length=300, blank=True, help_text="Name and job title.")
    author = models.CharField(max_length=300, blank=True, help_text="Name and job title.")
    contact_details = LongTextField(blank=True, help_text="Telephone and e-mail, one per line.")
    purpose = LongTextField("purpose of the report", blank=True)
    information = LongTextField(
        "information and advice: the officer's introduction",
        blank=True,
        help_text="Shown before the progress drawn from the records.",
    )
    other_options = LongTextField("other options considered", blank=True)
    reasons = LongTextField("reasons for recommendations", blank=True)
    statutory = LongTextField("statutory and policy implications", blank=True)
    safeguarding = LongTextField(
        "safeguarding of children and vulnerable adults implications", blank=True
    )
    service_users = LongTextField("implications for service users", blank=True)
    recommendations = LongTextField(blank=True, help_text="One recommendation on each line.")
    # The optional sections (lacstrategy.models.ReportSection), printed when the council has
    # them switched on and this report does not leave them out.
    financial_implications = LongTextField(blank=True)
    equality_impact = LongTextField("equality impact", blank=True)
    consultation = LongTextField(blank=True)
    background_papers = LongTextField(blank=True, help_text="One paper on each line.")
    wards_affected = LongTextField(blank=True)
    sections_left_out = models.JSONField(
        "optional sections this report leaves out", default=list, blank=True
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_data = models.JSONField(null=True, blank=True, editable=False)
    issued_html = models.TextField(blank=True, editable=False)
    issued_pdf = models.BinaryField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["issued_pdf", "issued_html", "issued_data"])

    class Meta:
        # Named in the council's words where it is shown ("Report to the ..."), so plain here.
        verbose_name = "report"
        ordering = ["-meeting_on", "-number"]
        constraints = [
            # A quarterly report is on a quarter, and only it is; an annual report is on a plan
            # year; the others are on a strategy.
            models.CheckConstraint(
                condition=models.Q(report_type="quarterly", period__isnull=False)
                | models.Q(
                    ~models.Q(report_type="quarterly"),
                    period__isnull=True,
                    strategy__isnull=False,
                )
                & (~models.Q(report_type="annual") | models.Q(action_plan__isnull=False)),
                name="report_on_what_its_type_needs",
            ),
            # A date when, and only when, the report describes the records on a date.
            models.CheckConstraint(
                condition=models.Q(describes="date", describes_on__isnull=False)
                | models.Q(~models.Q(describes="date"), describes_on__isnull=True),
                name="report_describes_a_date_only_when_asked",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number}, {self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    # What the officer writes; a new draft version starts from these.
    NARRATIVE_FIELDS = [
        "body",
        "meeting_on",
        "agenda_item",
        "title",
        "describes",
        "describes_on",
        "sponsor",
        "author",
        "contact_details",
        "purpose",
        "information",
        "other_options",
        "reasons",
        "statutory",
        "safeguarding",
        "service_users",
        "recommendations",
        *ReportSection.values,
        "sections_left_out",
    ]

    @property
    def is_issued(self):
        return self.status == self.Status.ISSUED

    def clean(self):
        errors = {}
        if self.is_quarterly and not self.period_id:
            errors["period"] = "Choose the quarter the report is on"
        if not self.is_quarterly and not self.strategy_id:
            errors["strategy"] = "Choose the strategy the report is on"
        if self.report_type == self.Type.ANNUAL and not self.action_plan_id:
            errors["action_plan"] = "Choose the plan year the annual report is on"
        if (
            self.action_plan_id
            and self.strategy_id
            and self.action_plan.strategy_id != self.strategy_id
        ):
            errors["action_plan"] = "Choose an action plan of this strategy"
        if self.describes == self.Describes.DATE and not self.describes_on:
            errors["describes_on"] = "Enter the date the report describes"
        if set(self.sections_left_out or []) - set(ReportSection.values):
            errors["sections_left_out"] = "Choose from the sections shown"
        if errors:
            raise ValidationError(errors)

    @property
    def is_quarterly(self):
        return self.report_type == self.Type.QUARTERLY

    @property
    def about(self):
        """The strategy the report is on, whatever its type."""
        return self.period.action_plan.strategy if self.period_id else self.strategy

    @property
    def plan(self):
        return self.period.action_plan if self.period_id else self.action_plan

    def sections(self, council):
        """The optional sections this report prints: on for the council, not left out here."""
        return [s for s in council.sections_on if s not in self.sections_left_out]

    @property
    def recommendation_list(self):
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]
