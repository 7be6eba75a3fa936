"""The quarterly cycle: review periods and outcome owners' updates. (What children and young
people said for a quarter's review is in voices.)"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from actionplans.models import Action, ActionPlan, PriorityIndicator, Rag
from lacstrategy.models import LongTextField, Record
from lacstrategy.selectors import terms
from outcomes.models import Indicator, Outcome

QUARTER_MONTHS = {
    1: "April to June",
    2: "July to September",
    3: "October to December",
    4: "January to March",
}


class ReviewPeriod(Record):
    """One quarter of a plan year. Open while updates come in; closed once its meeting has
    reviewed it, after which nothing in it changes."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="review_periods"
    )
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    updates_due_on = models.DateField("updates due on")
    meeting_on = models.DateField("review meeting on")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()
    unique_error_field = "quarter"

    class Meta:
        ordering = ["action_plan", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["action_plan", "quarter"], name="one_period_a_quarter")
        ]

    def __str__(self):
        return f"Q{self.quarter} {self.action_plan.year_label} ({self.months})"

    def get_absolute_url(self):
        return reverse("reviews:period_dashboard", args=[self.pk])

    def unique_error_text(self):
        return f"This plan already has a Q{self.quarter}"

    @property
    def months(self):
        return QUARTER_MONTHS[self.quarter]

    @property
    def starts_on(self):
        year = self.action_plan.financial_year_start + (1 if self.quarter == 4 else 0)
        return datetime.date(year, {1: 4, 2: 7, 3: 10, 4: 1}[self.quarter], 1)

    @property
    def ends_on(self):
        year = self.action_plan.financial_year_start + (1 if self.quarter == 4 else 0)
        month, day = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}[self.quarter]
        return datetime.date(year, month, day)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def clean(self):
        if self.updates_due_on and self.meeting_on and self.meeting_on < self.updates_due_on:
            raise ValidationError(
                {"meeting_on": "The review meeting must be on or after the date updates are due"}
            )


class OutcomeUpdate(Record):
    """An outcome owner's update on their outcome for one review period."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        ACCEPTED = "accepted", "Accepted"

    class Source(models.TextChoices):
        NONE = "", "No views gathered this quarter"
        CICC = "cicc", "Children's council meeting"  # shown under the council's name for it
        SURVEY = "survey", "Survey"
        CONSULTATION = "consultation", "Consultation"
        REVIEWS = "reviews", "Statutory reviews and pathway planning"
        OTHER = "other", "Other"

    period = models.ForeignKey(ReviewPeriod, on_delete=models.CASCADE, related_name="updates")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    overall_rag = models.CharField(
        "overall RAG rating", max_length=5, choices=Rag.choices, blank=True
    )
    summary = LongTextField("summary of progress", blank=True)
    cyp_views = LongTextField("children and young people's views this quarter", blank=True)
    cyp_views_source = models.CharField(
        "where the views came from", max_length=12, choices=Source.choices, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_comment = LongTextField("why it was returned", blank=True)

    history = HistoricalRecords()
    unique_error_field = "outcome"

    class Meta:
        ordering = ["period", "outcome__order", "outcome__number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "outcome"], name="one_update_an_outcome")
        ]
        indexes = [
            # The updates waiting for a decision, oldest first (home): a few among many.
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(status="submitted"),
                name="update_waiting_for_decision",
            )
        ]

    def __str__(self):
        return f"{capfirst(terms().outcome)} {self.outcome.number} update, {self.period}"

    @classmethod
    def source_choices(cls):
        """The sources, with the Children in Care Council under the council's name for it."""
        cicc = f"{terms().children_council} meeting"
        return [(v, cicc if v == cls.Source.CICC else label) for v, label in cls.Source.choices]

    def get_cyp_views_source_display(self):
        return dict(self.source_choices()).get(self.cyp_views_source, self.cyp_views_source)

    def get_absolute_url(self):
        return reverse("reviews:update_detail", args=[self.pk])

    def unique_error_text(self):
        return "This outcome already has an update for the period"

    @property
    def owners_can_edit(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class CarriedForward:
    """An update entry that can repeat last quarter's: the entry gives `answer()` and
    `carried_forward()`."""

    def repeats(self, previous):
        """Whether this entry is `previous` carried forward unchanged."""
        return previous is not None and self.answer() == previous.carried_forward()


class ActionUpdate(CarriedForward, Record):
    """One action's status, RAG and progress note in an outcome update."""

    outcome_update = models.ForeignKey(
        OutcomeUpdate, on_delete=models.CASCADE, related_name="action_updates"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=Action.Status.choices, blank=True)
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    progress_note = LongTextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action__order", "action__pk"]
        constraints = [
            models.UniqueConstraint(fields=["outcome_update", "action"], name="one_entry_an_action")
        ]

    def __str__(self):
        return f"{self.action} ({self.outcome_update.period})"

    def answer(self):
        return {"status": self.status, "rag": self.rag, "progress_note": self.progress_note}

    def carried_forward(self):
        """This answer as next quarter's "no change since last quarter": the status and RAG
        rating again, and no progress note (it is about the quarter). None without a status."""
        if not self.status:
            return None
        return {"status": self.status, "rag": self.rag, "progress_note": ""}


class IndicatorUpdate(CarriedForward, Record):
    """A priority indicator's latest figure (or why there is none) in an outcome update."""

    outcome_update = models.ForeignKey(
        OutcomeUpdate, on_delete=models.CASCADE, related_name="indicator_updates"
    )
    priority_indicator = models.ForeignKey(
        PriorityIndicator, on_delete=models.CASCADE, related_name="updates"
    )
    value = models.DecimalField(
        "latest figure", max_digits=12, decimal_places=2, null=True, blank=True
    )
    not_available = models.BooleanField("the figure is not available", default=False)
    not_available_reason = models.CharField("why not", max_length=300, blank=True)
    comment = LongTextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_indicator__order", "priority_indicator__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome_update", "priority_indicator"], name="one_entry_an_indicator"
            )
        ]

    def __str__(self):
        return f"{self.priority_indicator} ({self.outcome_update.period})"

    NO_NEW_FIGURE = "No new figure this quarter"

    @property
    def is_statement(self):
        return self.priority_indicator.indicator.unit == Indicator.Unit.QUALITATIVE

    def answer(self):
        if self.is_statement:
            return {"comment": self.comment}
        return {
            "value": self.value,
            "not_available": self.not_available,
            "not_available_reason": self.not_available_reason,
            "comment": self.comment,
        }

    def carried_forward(self):
        """This answer as next quarter's "no change". A statement says again what it said. A
        figure is not entered twice: "no new figure" leaves the latest figure as it is, so that
        accepting the update records no second one; a figure not available keeps its reason."""
        if self.is_statement:
            return {"comment": self.comment} if self.comment.strip() else None
        if self.value is None and not self.not_available:
            return None
        reason = self.not_available_reason if self.not_available else self.NO_NEW_FIGURE
        return {"value": None, "not_available": True, "not_available_reason": reason, "comment": ""}


class ReminderSent(Record):
    """A reminder e-mail already sent, so that running the reminders twice sends nothing twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Due soon"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"

    period = models.ForeignKey(ReviewPeriod, on_delete=models.CASCADE, related_name="reminders")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=9, choices=Kind.choices)
    sent_to = models.TextField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "outcome", "kind"], name="one_reminder_a_kind"
            )
        ]

    def __str__(self):
        kind, outcome = self.get_kind_display(), terms().outcome
        return f"{kind} reminder: {outcome} {self.outcome.number}, {self.period}"
