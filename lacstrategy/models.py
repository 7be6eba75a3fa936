from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

# About four pages: far more than any entry in a real plan (the longest is 800 characters),
# and small enough that the history's word-by-word comparison stays quick.
LONG_TEXT_CHARACTERS = 10_000


class LongTextField(models.TextField):
    """Free text that people type, with a ceiling: checked by every save (services run
    full_clean), shown on forms by the GOV.UK character count."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT_CHARACTERS)
        super().__init__(*args, **kwargs)
        self.validators.append(
            MaxLengthValidator(
                self.max_length,
                message="This must be %(limit_value)s characters or fewer (it has %(show_value)s)",
            )
        )


class Record(models.Model):
    """What every editable record has.

    `version` goes up by one at every save. A form remembers the version it showed, and the
    save is refused if the record has moved on since (optimistic locking), so two people
    editing at once never silently overwrite each other. `unique_error_field` names the field
    that a unique constraint's error is shown against, in plain words.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    unique_error_field = ""

    class Meta:
        abstract = True

    def unique_error_text(self):
        raise NotImplementedError

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            if not self.unique_error_field or NON_FIELD_ERRORS not in error.message_dict:
                raise
            raise ValidationError({self.unique_error_field: self.unique_error_text()}) from error


class User(Record, AbstractUser):
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
    is_chair = models.BooleanField(
        "chair of the LAC Strategy Group",
        default=False,
        help_text="The chair accepts or returns the outcome owners' quarterly updates.",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self):
        return self.full_name or self.username

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.pk])

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def role_names(self):
        return sorted(group.name for group in self.groups.all())

    @property
    def name_and_title(self):
        return f"{self}, {self.job_title}" if self.job_title else str(self)


class Council(Record):
    """The council that runs this installation, in its own words: shown in the header, the
    footer, the documents and the e-mails. There is one, made by `setup_council` (or the demo)
    and changed by an administrator under Council settings."""

    name = models.CharField(
        "council's name", max_length=200, help_text="For example, Testshire County Council."
    )
    service_name = models.CharField(
        "service name",
        max_length=100,
        default="LAC Strategy",
        help_text="The name of this service in the header, the page titles and the e-mails.",
    )
    data_protection_contact = LongTextField(
        "data protection contact",
        blank=True,
        help_text="How people reach the council's data protection officer, shown in the "
        "privacy notice: for example an e-mail address and a postal address.",
    )

    admins_need_two_step = models.BooleanField(
        "administrators must use two-step sign-in",
        default=False,
        help_text="An administrator who has not set up two-step sign-in is asked to set it up "
        "the next time they sign in, before they can do anything else. Nobody is locked out.",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="only_one_council")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("council_settings")


# django-otp's two-step devices are another app's models: their history lives in this app. It
# keeps who set up or removed a device, when and why, never the secret key; nor the counters
# that each sign-in moves on (the last code's time step, the clock drift, wrong codes), which
# are saved without a history row (services.two_step_check).
TWO_STEP_COUNTERS = [
    "last_used_at",
    "throttling_failure_timestamp",
    "throttling_failure_count",
]
register_history(
    TOTPDevice, app="lacstrategy", excluded_fields=["key", "last_t", "drift", *TWO_STEP_COUNTERS]
)
register_history(StaticDevice, app="lacstrategy", excluded_fields=TWO_STEP_COUNTERS)
