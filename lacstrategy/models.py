from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in: a council officer or a partner agency's member of staff."""

    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(
        "organisation or agency",
        max_length=200,
        blank=True,
        help_text="For example, children's social care, NHS, police, the virtual school.",
    )
    email = models.EmailField("email address", unique=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def name_and_title(self):
        return f"{self}, {self.job_title}" if self.job_title else str(self)
