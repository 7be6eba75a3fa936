from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record
from reviews.models import ReviewPeriod


class CommitteeReport(Record):
    """A report on a review period to a committee or board, in the shape of a council committee
    paper. The officer writes the narrative; the information and advice come from the records.

    Issuing freezes it: the issued version keeps the data it was built from, its HTML and its
    PDF, whatever changes later. Editing after that makes a new draft version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    period = models.ForeignKey(ReviewPeriod, on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveSmallIntegerField("version", default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    body = models.CharField(
        "committee or board",
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
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_data = models.JSONField(null=True, blank=True, editable=False)
    issued_html = models.TextField(blank=True, editable=False)
    issued_pdf = models.BinaryField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["issued_pdf", "issued_html", "issued_data"])

    class Meta:
        ordering = ["-period__action_plan__financial_year_start", "-period__quarter", "-number"]

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
    ]

    @property
    def is_issued(self):
        return self.status == self.Status.ISSUED

    @property
    def recommendation_list(self):
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]
