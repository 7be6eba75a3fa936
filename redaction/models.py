import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lacstrategy.models import Record
from reports.models import CommitteeReport


class Redaction(Record):
    """Text an administrator removed from the records, their history and the draft reports.

    It keeps who, when and why, and what changed, but not the text itself: keeping it, or a
    hash of it (a name is short enough to guess), would keep what was removed."""

    # One per preview shown: the second click of a double-click finds the first's redaction.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    redacted_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=250)
    replacement = models.CharField(max_length=50)
    occurrences = models.PositiveIntegerField("times replaced in the records as they are")
    records_changed = models.PositiveIntegerField("records changed")
    history_rows_changed = models.PositiveIntegerField("versions in the history changed")
    drafts_changed = models.PositiveIntegerField("draft reports changed")
    files_deleted = models.PositiveIntegerField("documents deleted")
    # [{"kind", "name", "fields", "now", "versions"}]: each record changed, named as it is
    # after the redaction.
    changed = models.JSONField(default=list, blank=True)
    issued_reports = models.ManyToManyField(
        CommitteeReport,
        blank=True,
        related_name="+",
        help_text="Issued reports that hold the text: listed for the administrator, not changed.",
    )

    history = HistoricalRecords(m2m_fields=["issued_reports"])

    class Meta:
        ordering = ["-redacted_at"]

    def __str__(self):
        return f"Redaction of {timezone.localtime(self.redacted_at):%-d %B %Y %H:%M}"

    def get_absolute_url(self):
        return reverse("redaction:redaction_detail", args=[self.pk])
