import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lacstrategy.models import Record


class Job(Record):
    """A long piece of work that a person asked for and the background worker does: issuing a
    committee report, making a PDF, importing a national data file.

    The person follows it on its page. Its work saves in one transaction at its end, so a
    worker that dies part-way leaves nothing half-saved; the job then shows as stopped and can
    be started again."""

    class Kind(models.TextChoices):
        ISSUE_REPORT = "issue_report", "Issue a report"
        DOCUMENT = "document", "Make a document"
        DFE_IMPORT = "dfe_import", "Import national figures"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Did not finish"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    # Not a counter: the address of a job's page and file should not be guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300, help_text="What the person asked for, in words.")
    subject = models.CharField(
        max_length=200, help_text="What the job works on; one active job per subject."
    )
    arguments = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True, help_text="What happened, or why it did not finish.")
    result_url = models.CharField(max_length=500, blank=True)
    result_label = models.CharField(max_length=200, blank=True)
    file = models.BinaryField("the file made", null=True, blank=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moved on at every step: a running job whose heartbeat stops has lost its worker.
    heartbeat_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["file", "heartbeat_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A double-click, or two people at once, cannot start the same work twice.
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_job_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(steps_done__lte=models.F("steps_total")),
                name="job_steps_done_within_total",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    DONE = {
        Kind.ISSUE_REPORT: "Report issued",
        Kind.DOCUMENT: "Your document is ready",
        Kind.DFE_IMPORT: "Figures imported",
    }

    @property
    def done_title(self):
        return self.DONE[self.kind]

    @property
    def has_file(self):
        return bool(self.file_name)
