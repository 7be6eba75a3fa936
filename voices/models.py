"""Children and young people's views as evidence: what they said (in their words, with no
child's name), where and when it was heard, what it is about, and the council's response to
it. Together they make the strategy's "You said, we did"."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actionplans.models import Action
from frameworks.models import FrameworkItem
from lacstrategy.models import LongTextField, Record
from lacstrategy.selectors import terms
from outcomes.models import Indicator, Outcome, Strategy
from reviews.models import ReviewPeriod


class Voice(Record):
    """One thing children and young people said, as a group: a Children in Care Council
    meeting, a survey, a consultation or what a child said in their review (never their name)."""

    class Source(models.TextChoices):
        CHILDREN_COUNCIL = "cicc", "Children's council meeting"  # shown in the council's words
        SURVEY = "survey", "Survey"
        CONSULTATION = "consultation", "Consultation"
        REVIEW = "review", "A child's or young person's review"
        OTHER = "other", "Other"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="voices")
    said = LongTextField(
        "what they said",
        help_text="In the children and young people's own words where possible.",
    )
    source = models.CharField("where it was heard", max_length=12, choices=Source.choices)
    source_name = models.CharField(
        "which meeting, survey or consultation",
        max_length=200,
        blank=True,
        help_text="For example, 'Your Life, Your Care survey 2017'. No child's name.",
    )
    heard_on = models.DateField("when it was said")
    period = models.ForeignKey(
        ReviewPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="voices",
        verbose_name="for a quarter's review",
    )
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="voices")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="voices")
    actions = models.ManyToManyField(Action, blank=True, related_name="voices")
    framework_items = models.ManyToManyField(
        FrameworkItem, blank=True, related_name="voices", verbose_name="national frameworks"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[outcomes, indicators, actions, framework_items])

    class Meta:
        ordering = ["-heard_on", "-pk"]
        verbose_name = "view of children and young people"
        verbose_name_plural = "views of children and young people"
        indexes = [models.Index(fields=["strategy", "-heard_on"], name="voice_by_strategy")]

    def __str__(self):
        return f"{self.source_words}, {self.heard_on:%-d %B %Y}"

    @classmethod
    def source_choices(cls):
        """The sources, with the Children in Care Council under the council's name for it."""
        words = f"{terms().children_council} meeting"
        return [
            (value, words if value == cls.Source.CHILDREN_COUNCIL else label)
            for value, label in cls.Source.choices
        ]

    @property
    def source_words(self):
        source = dict(self.source_choices()).get(self.source, self.source)
        return f"{source}: {self.source_name}" if self.source_name else source

    def get_absolute_url(self):
        return reverse("voices:voice_detail", args=[self.pk])


class VoiceResponse(Record):
    """What the council did, or will do, about a view: who, by when, and how far it has got."""

    class Status(models.TextChoices):
        PLANNED = "planned", "We will do this"
        IN_PROGRESS = "in_progress", "We are doing this"
        DONE = "done", "Done"
        NOT_POSSIBLE = "not_possible", "We cannot do this"

    voice = models.OneToOneField(Voice, on_delete=models.CASCADE, related_name="response")
    we_did = LongTextField(
        "what we did or will do",
        help_text="Written for the children and young people: short sentences, no acronyms. "
        "If it cannot be done, say why.",
    )
    who = models.CharField(
        "who is doing it",
        max_length=200,
        help_text="A team or a job title, for example 'Virtual School head teacher'.",
    )
    due_on = models.DateField("by when", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)

    history = HistoricalRecords()
    unique_error_field = "voice"

    class Meta:
        verbose_name = "response"

    def __str__(self):
        return f"Response to {self.voice}"

    def unique_error_text(self):
        return "This view already has a response"

    def get_absolute_url(self):
        return self.voice.get_absolute_url()
