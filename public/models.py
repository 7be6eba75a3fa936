"""What the public page may show of the council's own words: a text an administrator approved
for it, kept exactly as approved. The page shows a record's text only while it still reads as
approved, so a later change (or a redaction) takes it off until someone approves it again."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record

# The council's texts the public page can show, by model ("app.model") and field. Everything
# else typed into the service (comments, summaries, notes, names) is never published.
PUBLISHABLE = {
    "outcomes.strategy": ("vision", "pledge"),
    "outcomes.outcome": ("statement",),
    "outcomes.indicator": ("title",),
    "actionplans.action": ("description",),
    "voices.voice": ("said",),
    "voices.voiceresponse": ("we_did", "who"),
}


class PublicText(Record):
    record_type = models.CharField(max_length=60, choices=[(k, k) for k in PUBLISHABLE])
    record_id = models.BigIntegerField()
    field = models.CharField(max_length=60)
    text = LongTextField("the text as approved")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    unique_error_field = "field"

    class Meta:
        verbose_name = "text approved for the public page"
        verbose_name_plural = "texts approved for the public page"
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "field"], name="one_approval_a_text"
            )
        ]

    def __str__(self):
        return f"Public text: {self.record_type} {self.record_id} {self.field}"

    def unique_error_text(self):
        return "This text has been approved already"

    def get_absolute_url(self):
        return reverse("public:texts")
