from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
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
        # The form shows the council's name for its review group.
        "chair",
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
    def role_labels(self):
        """The person's roles as shown to people, in the council's words."""
        from lacstrategy.roles import role_label
        from lacstrategy.selectors import terms  # selectors reads this module

        words = terms()
        return sorted(role_label(name, words) for name in self.role_names)

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
        default="Corporate Parenting Strategy",
        help_text="The name of this service in the header, the page titles and the e-mails.",
    )
    strategy_name = models.CharField(
        "the strategy's name",
        max_length=200,
        default="Looked After Children and Care Leavers Strategy",
        help_text="For example, Looked After Children and Care Leavers Strategy.",
    )
    outcome_singular = models.CharField(
        "what one outcome is called",
        max_length=60,
        default="outcome",
        help_text="The strategy's first level, in lower case: for example, outcome, priority "
        "or strategic priority statement.",
    )
    outcome_plural = models.CharField(
        "more than one outcome",
        max_length=60,
        default="outcomes",
        help_text="For example, outcomes.",
    )
    priority_singular = models.CharField(
        "what one priority indicator is called",
        max_length=60,
        default="priority indicator",
        help_text="A year's chosen measure, in lower case: for example, priority indicator, "
        "priority area or strategic priority.",
    )
    priority_plural = models.CharField(
        "more than one priority indicator",
        max_length=60,
        default="priority indicators",
        help_text="For example, priority indicators.",
    )
    group_singular = models.CharField(
        "what a group of outcomes is called",
        max_length=60,
        default="theme",
        help_text="Used where a strategy gathers its outcomes under headings, in lower case: "
        "for example, theme or strategic priority statement.",
    )
    group_plural = models.CharField(
        "more than one group of outcomes",
        max_length=60,
        default="themes",
        help_text="For example, themes.",
    )
    delivery_kind = models.CharField(
        "what the delivery kind is called",
        max_length=60,
        default="delivery",
        help_text="Where the strategy sorts its outcomes into two kinds: the kind about how "
        "services are run, in lower case. For example, delivery.",
    )
    outcome_kind = models.CharField(
        "what the outcome kind is called",
        max_length=60,
        default="outcome",
        help_text="The kind about what changes for children. For example, outcome.",
    )
    review_group = models.CharField(
        "the group that reviews progress",
        max_length=100,
        default="Corporate Parenting Group",
        help_text="Its chair accepts or returns the quarterly updates. For example, Corporate "
        "Parenting Partnership.",
    )
    children_council = models.CharField(
        "the Children in Care Council's name",
        max_length=100,
        default="Children in Care Council",
        help_text="Its local name: for example, Children in Care Council or No Labels.",
    )
    committee = models.CharField(
        "the committee or board that receives the reports",
        max_length=100,
        default="Corporate Parenting Committee",
        help_text="Offered first when a report is written. For example, Corporate Parenting Board.",
    )
    report_sections = models.JSONField(
        "optional sections in reports",
        default=list,
        blank=True,
        help_text="The sections the council's report template has. A report can "
        "still leave out one of them.",
    )
    is_demo = models.BooleanField(
        "a demo",
        default=False,
        editable=False,
        help_text="Loaded by load_demo: pages say that its figures and tags are illustrative.",
    )
    data_protection_contact = LongTextField(
        "data protection contact",
        blank=True,
        help_text="How people reach the council's data protection officer, shown in the "
        "privacy notice: for example an e-mail address and a postal address.",
    )

    # The public page: off until the council switches it on.
    public_site = models.BooleanField(
        "publish a public page",
        default=False,
        help_text="A page anyone can read without signing in, written for children and young "
        "people: the promises, this year's progress, You said, we did, and the figures. It "
        "shows only the texts an administrator has approved for it.",
    )
    small_numbers_below = models.PositiveSmallIntegerField(
        "withhold counts under",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="On the public page, a count under this number is shown as 'fewer than', "
        "and a percentage is withheld when the number of children it counts, or its cohort, "
        "is under it. Government statistics use 5.",
    )
    public_names = models.BooleanField(
        "name people on the public page",
        default=False,
        help_text="If not ticked, the public page says who leads the work by job title only.",
    )

    # Help and contact: where the people who use the service ask for help with it.
    support_email = models.EmailField(
        "help e-mail address",
        blank=True,
        help_text="Where people write for help with this service, for example the team that "
        "runs it. Shown on the Help and Contact pages.",
    )
    support_phone = models.CharField(
        "help telephone number",
        max_length=50,
        blank=True,
        help_text="With the hours it is answered, if it is not answered all day.",
    )
    support_url = models.URLField(
        "help web page",
        blank=True,
        help_text="For example, the page about this service on your intranet.",
    )

    # The council's parts of the accessibility statement (the Public Sector Bodies Accessibility
    # Regulations 2018 ask for one, in the shape of the GOV.UK model statement).
    accessibility_contact = LongTextField(
        "how to report an accessibility problem",
        blank=True,
        help_text="An e-mail address, telephone number or form, and how soon you reply. "
        "If this is empty, the statement gives the help contact.",
    )
    accessibility_compliance = models.CharField(
        "compliance status",
        max_length=10,
        choices=[
            ("full", "Fully compliant"),
            ("partial", "Partially compliant"),
            ("not", "Not compliant"),
        ],
        default="partial",
        help_text="With the Web Content Accessibility Guidelines version 2.2 AA standard, "
        "as your own check of the service found.",
    )
    accessibility_known_issues = LongTextField(
        "content that is not accessible",
        blank=True,
        help_text="Each problem you know of, the guideline it fails and when it will be "
        "fixed, or why it will not be.",
    )
    accessibility_enforcement = LongTextField(
        "enforcement procedure",
        default=(
            "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
            "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
            "Regulations 2018 (the 'accessibility regulations'). If you're not happy with how "
            "we respond to your complaint, contact the Equality Advisory and Support Service "
            "(EASS)."
        ),
        help_text="In Northern Ireland, the Equality Commission for Northern Ireland is "
        "responsible instead.",
    )
    accessibility_prepared = models.DateField(
        "date the statement was prepared", null=True, blank=True
    )
    accessibility_reviewed = models.DateField(
        "date the statement was last reviewed", null=True, blank=True
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

    @property
    def terms(self):
        return Terms(self)

    @property
    def sections_on(self):
        """The optional report sections switched on, in the order a report prints them."""
        return [section for section in ReportSection if section in self.report_sections]


class ReportSection(models.TextChoices):
    """Narrative sections that some councils' committee report templates have and others
    do not: each value is the name of the report's field that holds its text."""

    FINANCIAL = "financial_implications", "Financial implications"
    EQUALITY = "equality_impact", "Equality impact"
    CONSULTATION = "consultation", "Consultation"
    BACKGROUND_PAPERS = "background_papers", "Background papers"
    WARDS = "wards_affected", "Wards affected"


class Terms:
    """The council's words for the strategy's parts, for templates (`{{ terms.outcome }}`,
    `{{ terms.outcome|capfirst }}`) and for code that writes documents and e-mails."""

    def __init__(self, council):
        self.strategy = council.strategy_name
        self.outcome = council.outcome_singular
        self.outcomes = council.outcome_plural
        self.priority = council.priority_singular
        self.priorities = council.priority_plural
        self.group = council.group_singular
        self.groups = council.group_plural
        # An outcome's kind ("delivery", "outcome") as the council names it.
        self.kinds = {"delivery": council.delivery_kind, "outcome": council.outcome_kind}
        self.review_group = council.review_group
        self.chair = f"chair of the {council.review_group}"
        self.children_council = council.children_council
        self.committee = council.committee
        self.service = council.service_name
        self.an_outcome = with_article(self.outcome)
        self.a_priority = with_article(self.priority)

    def as_dict(self):
        """For documents, which keep the words they were written with."""
        return dict(vars(self))


def with_article(noun):
    """ "an outcome", "a priority area": by the first letter, which suits these words."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


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
