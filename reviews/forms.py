from crispy_forms_gds.layout import Field
from django import forms

from actionplans.models import Action, Rag
from lacstrategy.forms import EntryForm, RecordForm, gds_date, guard_free_text, textarea
from lacstrategy.selectors import terms
from outcomes.models import Indicator
from reviews.models import CouncilComment, OutcomeUpdate, ReviewPeriod


class ActionEntryForm(EntryForm):
    status = forms.ChoiceField(
        choices=Action.Status.choices, required=False, widget=forms.RadioSelect
    )
    rag = forms.ChoiceField(
        label="RAG rating", choices=Rag.choices, required=False, widget=forms.RadioSelect
    )
    progress_note = forms.CharField(
        label="Progress this quarter", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def layout_items(self):
        return [
            Field.radios("status", small=True, inline=True),
            Field.radios("rag", small=True, inline=True),
            textarea(self, "progress_note"),
        ]


class IndicatorEntryForm(EntryForm):
    value = forms.DecimalField(
        label="Latest figure", required=False, max_digits=12, decimal_places=2
    )
    not_available = forms.BooleanField(
        label="The figure is not available this quarter", required=False
    )
    not_available_reason = forms.CharField(
        label="Why not (if not available)", required=False, max_length=300
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        if self.is_statement:
            # A priority with no figure: the owner says what happened, every quarter.
            for name in ("value", "not_available", "not_available_reason"):
                del self.fields[name]
            self.fields[
                "comment"
            ].label = f"What has happened on this {terms().priority} this quarter"
            return
        self.fields["value"].label = f"Latest figure ({self.unit_words})"
        self.fields["value"].error_messages["invalid"] = (
            f"Enter the latest figure as a number ({self.unit_words})"
        )

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

    def layout_items(self):
        if self.is_statement:
            return [textarea(self, "comment")]
        return [
            Field.text("value", field_width=5),
            Field.checkbox("not_available", small=True),
            "not_available_reason",
            textarea(self, "comment"),
        ]

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is None:
            return value
        if problem := self.indicator.figure_problem(value):
            raise forms.ValidationError(problem)
        return value

    def clean(self):
        data = super().clean()
        if data.get("not_available"):
            if data.get("value") is not None:
                self.add_error("value", "Leave the figure empty if it is not available")
            if not data.get("not_available_reason"):
                self.add_error("not_available_reason", "Enter why the figure is not available")
        return data


class OutcomeSummaryForm(EntryForm):
    overall_rag = forms.ChoiceField(
        label="Overall RAG rating for the outcome",
        choices=Rag.choices,
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
        return [
            Field.radios("overall_rag", small=True, inline=True),
            textarea(self, "summary"),
            textarea(self, "cyp_views"),
            Field.radios("cyp_views_source", small=True),
            "seen_version",
        ]


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


class CouncilCommentForm(RecordForm):
    met_on = gds_date("Date of the meeting or consultation", help_text="For example, 6 9 2016")
    submit_label = "Save the comments"

    class Meta(RecordForm.Meta):
        model = CouncilComment
        fields = ["met_on", "comments"]
