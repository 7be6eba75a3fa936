from crispy_forms_gds.choices import Choice
from django import forms
from django.utils.text import Truncator

from actionplans.models import RAG_DEFINITIONS, STATUS_DEFINITIONS, Action, Rag
from lacstrategy.forms import (
    EntryForm,
    RecordForm,
    gds_date,
    guard_free_text,
)
from lacstrategy.selectors import terms
from outcomes.forms import rating_figure
from outcomes.models import Indicator, figure_text
from reviews.models import IndicatorUpdate, OutcomeUpdate, ReviewPeriod

SAME, CHANGED = "same", "changed"


def _choices_with_hints(choices, definitions):
    return [Choice(value, label, hint=definitions.get(value, "")) for value, label in choices]


class UpdateEntryForm(EntryForm):
    """One action or priority of an outcome update, in its own fieldset. With an answer from
    last quarter it starts as "no change since last quarter": one choice instead of retyping,
    and the other fields (revealed by "it has changed") start with last quarter's answer."""

    same_label, changed_label = "No change since last quarter", "It has changed"

    def __init__(self, *args, entry=None, previous=None, **kwargs):
        self.previous = previous if previous and previous.carried_forward() else None
        if self.previous is None:
            initial = entry.answer() if entry else {}
        elif entry is None or entry.repeats(self.previous):
            # A saved "no change" opens as it first did, with the other fields ready to change.
            initial = {**self.starting_answer(self.previous), "change": SAME}
        else:
            initial = {**entry.answer(), "change": CHANGED}
        super().__init__(*args, initial=initial, **kwargs)
        if self.previous is not None:
            self.fields["change"] = forms.ChoiceField(
                label=self.legend,
                choices=[
                    Choice(SAME, self.same_label, hint=self.last_quarter_words),
                    (CHANGED, self.changed_label),
                ],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields["change"].error_messages["invalid_choice"] = (
                f"Choose '{self.same_label}' or '{self.changed_label}'"
            )

    def layout_items(self):
        return []  # the update page draws its fields itself (partial_update_entry.html)

    def clean(self):
        data = super().clean()
        self.unchanged = self.previous is not None and data.get("change") == SAME
        if self.unchanged:
            for name in list(self.errors):
                if name != "change":
                    del self.errors[name]
            typed = [
                name
                for name in self.changed_data
                if name != "change" and self.data.get(self.add_prefix(name)) not in (None, "")
            ]
            if typed:
                # Without JavaScript every field shows: what was typed is not thrown away.
                self.add_error(
                    "change",
                    f"You changed answers here: choose '{self.changed_label}' to keep them, "
                    "or undo them",
                )
            else:
                data.update(self.previous.carried_forward())
        data.pop("change", None)
        return data

    def full_clean(self):
        """Each error names its action or priority: the page has several of each field."""
        super().full_clean()
        for name, errors in list(self._errors.items()):
            self._errors[name] = self.error_class(
                [f"{self.name}: {message}" for message in errors], renderer=self.renderer
            )

    @property
    def change_field(self):
        return self["change"] if "change" in self.fields else None


class ActionEntryForm(UpdateEntryForm):
    status = forms.ChoiceField(
        choices=_choices_with_hints(Action.Status.choices, STATUS_DEFINITIONS),
        required=False,
        widget=forms.RadioSelect,
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=_choices_with_hints(Rag.choices, RAG_DEFINITIONS),
        required=False,
        widget=forms.RadioSelect,
    )
    progress_note = forms.CharField(
        label="Progress this quarter", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, action, number, previous=None, entry=None, **kwargs):
        self.action, self.number = action, number
        if previous is not None and (previous.status, previous.rag) != (action.status, action.rag):
            # The plan was changed after last quarter's update: "no change" would undo that.
            previous = None
        super().__init__(*args, previous=previous, entry=entry, **kwargs)
        if self.previous is None and entry is None:
            self.initial.update(status=action.status, rag=action.rag)

    @property
    def name(self):
        return f"Action {self.action.reference or self.number}"

    @property
    def legend(self):
        return f"{self.name}: {self.action.short_description}"

    @staticmethod
    def starting_answer(previous):
        return previous.carried_forward()

    @property
    def last_quarter_words(self):
        return (
            f"Status: {self.previous.get_status_display()}. "
            f"RAG rating: {self.previous.get_rag_display()}."
        )


class IndicatorEntryForm(UpdateEntryForm):
    value = forms.DecimalField(
        label="Latest figure",
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    not_available = forms.BooleanField(
        label="The figure is not available this quarter", required=False
    )
    not_available_reason = forms.CharField(
        label="Why is it not available?", required=False, max_length=300
    )
    comment = forms.CharField(
        label="Comment (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, priority, **kwargs):
        self.priority = priority
        self.indicator = priority.indicator
        if not self.is_statement:
            self.same_label = IndicatorUpdate.NO_NEW_FIGURE
            self.changed_label = "There is a new figure, or it is not available"
        super().__init__(*args, **kwargs)
        if self.is_statement:
            # A priority with no figure: the owner says what happened, every quarter.
            for name in ("value", "not_available", "not_available_reason"):
                del self.fields[name]
            self.fields[
                "comment"
            ].label = f"What has happened on this {terms().priority} this quarter"
            return
        if self.previous is not None:
            self.fields["value"].help_text = self.last_quarter_words
        if self.indicator.unit == Indicator.Unit.RATING:
            return  # chosen by its words (prepare_fields)
        self.fields["value"].label = f"Latest figure ({self.unit_words})"
        self.fields["value"].error_messages["invalid"] = (
            f"Enter the latest figure as a number ({self.unit_words})"
        )

    def prepare_fields(self):
        if self.indicator.unit == Indicator.Unit.RATING:
            rating_figure(self, label="Latest rating")

    @property
    def name(self):
        return self.indicator.title

    legend = name

    @property
    def suffix(self):
        return "%" if self.indicator.unit == Indicator.Unit.PERCENTAGE else ""

    @property
    def is_statement(self):
        return self.indicator.unit == Indicator.Unit.QUALITATIVE

    @property
    def unit_words(self):
        return {
            Indicator.Unit.PERCENTAGE: "a percentage from 0 to 100",
            Indicator.Unit.COUNT: "a whole number",
            Indicator.Unit.DAYS: "a number of days",
            Indicator.Unit.RATE: "a rate",
            Indicator.Unit.SCORE: "a score",
            Indicator.Unit.QUALITATIVE: "no number: use the comment",
        }[self.indicator.unit]

    def starting_answer(self, previous):
        # Behind "it has changed": an empty figure to type, with last quarter's in the hint.
        return {} if not self.is_statement else {"comment": previous.comment}

    @property
    def last_quarter_words(self):
        previous = self.previous
        if self.is_statement:
            return f"Last quarter: {Truncator(previous.comment).words(30)}"
        if previous.value is not None:
            return f"Last quarter: {figure_text(previous.value, self.indicator.unit)}"
        return f"Last quarter: not available ({previous.not_available_reason})"

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is None:
            return value
        if problem := self.indicator.figure_problem(value):
            raise forms.ValidationError(problem)
        return value

    def clean(self):
        data = super().clean()
        if not self.unchanged:
            if data.get("not_available"):
                if data.get("value") is not None:
                    self.add_error("value", "Leave the figure empty if it is not available")
                if not data.get("not_available_reason"):
                    self.add_error("not_available_reason", "Enter why the figure is not available")
            elif "not_available_reason" in data:
                data["not_available_reason"] = ""  # only kept with "not available"
        return data


class OutcomeSummaryForm(EntryForm):
    overall_rag = forms.ChoiceField(
        label="Overall RAG rating for the outcome",
        choices=_choices_with_hints(Rag.choices, RAG_DEFINITIONS),
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label="Summary of progress", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    cyp_views = forms.CharField(
        label="Children and young people's views gathered this quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    cyp_views_source = forms.ChoiceField(
        label="Where the views came from",
        choices=OutcomeUpdate.Source.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    # The version of the update the form showed, 0 when there was none yet: an update that a
    # co-owner has started since is then a conflict to look at, not silently saved over.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=0)

    def clean_seen_version(self):
        return self.cleaned_data["seen_version"] or 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cyp_views_source"].choices = OutcomeUpdate.source_choices()
        self.fields["overall_rag"].label = f"Overall RAG rating for the {terms().outcome}"

    def layout_items(self):
        return []  # drawn by update_form.html


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What does the owner need to change?",
        help_text="The owner sees this on their task list and on the update.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = "Enter what the owner needs to change"
        guard_free_text(self)


class PeriodForm(RecordForm):
    updates_due_on = gds_date("Updates due on", help_text="For example, 14 7 2016")
    meeting_on = gds_date("Review meeting on", help_text="For example, 28 7 2016")

    class Meta(RecordForm.Meta):
        model = ReviewPeriod
        fields = ["updates_due_on", "meeting_on"]
