"""The read-only feed for the council's own reporting tools (Power BI, Excel): a person's API
token, and the log of every call made with one."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lacstrategy.models import Record


class ApiToken(Record):
    """A key that lets a reporting tool read the feed as one person, with that person's
    permissions. Only a hash of the key is kept: it is shown once, when issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        "what it is for",
        max_length=100,
        help_text="For example, the Power BI performance dashboard.",
    )
    prefix = models.CharField("starts with", max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    history = HistoricalRecords()
    unique_error_field = "name"

    class Meta:
        ordering = ["-pk"]
        verbose_name = "API token"
        constraints = [
            # A second click on "Issue the token" adds no second, unseen key.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_token_in_use_for_each_purpose",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}...)"

    def unique_error_text(self):
        return (
            "This person already has a token in use for this. If its key was lost, revoke "
            "that token on their page, then issue a new one"
        )

    @property
    def is_active(self):
        return self.revoked_at is None

    def get_absolute_url(self):
        return reverse("api_token_detail", args=[self.pk])


class ApiCall(models.Model):
    """One call to the feed, kept as a log (a log is not edited, so it has no history)."""

    token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.CASCADE, related_name="calls"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["token", "-at"], name="api_call_by_token")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.status})"
