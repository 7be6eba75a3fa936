from decimal import Decimal

from django import forms
from django.utils.text import capfirst

from lacstrategy.forms import RecordForm, gds_date, people_field
from lacstrategy.models import with_article
from lacstrategy.selectors import terms
from outcomes.models import (
    RATING_WORDS,
    Commitment,
    Indicator,
    Outcome,
    OutcomeGroup,
    Strategy,
    StrategySection,
)


class StrategyForm(RecordForm):
    period_start = gds_date("Start of the strategy period", help_text="For example, 1 4 2015")
    period_end = gds_date("End of the strategy period", help_text="For example, 31 3 2018")
    approved_on = gds_date("Date approved", required=False, help_text="For example, 17 6 2015")
    version_date = gds_date(
        "Date of this version (optional)", required=False, help_text="For example, 4 4 2016"
    )

    class Meta(RecordForm.Meta):
        model = Strategy
        fields = [
            "title",
            "period_start",
            "period_end",
            "vision",
            "principles",
            "pledge",
            "status",
            "approved_by",
            "approved_on",
            "version_label",
            "version_date",
            "outcome_numbering",
        ]
        widgets = {"status": forms.RadioSelect, "outcome_numbering": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        words = terms()
        numbering = self.fields["outcome_numbering"]
        numbering.label = f"How {words.outcomes} are numbered"
        numbering.choices = [
            (Strategy.Numbering.STRATEGY, "Across the whole strategy (1, 2, 3...)"),
            (Strategy.Numbering.GROUP, f"Starting again in each {words.group} (1.1, 1.2, 2.1...)"),
        ]
        numbering.help_text = (
            f"Only {words.outcomes} in {with_article(words.group)} are numbered within it."
        )


class OutcomeForm(RecordForm):
    owners = people_field("Owners")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        words = terms()
        groups = self.instance.strategy.groups.all()
        if groups:
            self.fields["group"].queryset = groups
            self.fields["group"].label = f"{capfirst(words.group)} (optional)"
            self.fields["group"].empty_label = f"Not in {with_article(words.group)}"
        else:
            del self.fields["group"]
        self.fields["kind"].label = "Kind"
        self.fields["kind"].choices = [
            ("", "No kind"),
            *[(kind, capfirst(f"{name} {words.outcome}")) for kind, name in words.kinds.items()],
            (Outcome.Kind.HEADING, f"A heading in the plan, not {words.an_outcome}"),
        ]
        self.fields["kind"].help_text = (
            f"Where the strategy sorts its {words.outcomes} into kinds, each kind is shown "
            "under its own heading. A heading in the plan groups actions that serve no "
            f"{words.outcome}, such as corporate parenting."
        )
        self.fields["owners"].label = f"{capfirst(words.outcome)} owners"
        self.fields["owners"].help_text = (
            f"The {words.review_group} members who own this {words.outcome} (sometimes two "
            "share one)."
        )

    class Meta(RecordForm.Meta):
        model = Outcome
        fields = ["group", "number", "statement", "kind", "commitment", "owners", "order"]
        widgets = {"kind": forms.RadioSelect, "statement": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = Indicator
        fields = [
            "title",
            "definition",
            "unit",
            "better",
            "data_source",
            "frequency",
            "views_based",
            "baseline_value",
            "baseline_period",
            "baseline_is_illustrative",
            "order",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "unit": forms.RadioSelect,
            "better": forms.RadioSelect,
            "frequency": forms.RadioSelect,
        }


class GroupForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = f"The {terms().group}"

    class Meta(RecordForm.Meta):
        model = OutcomeGroup
        fields = ["number", "title", "description"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}


class SectionForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = StrategySection
        fields = ["heading", "body", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class CommitmentForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = Commitment
        fields = ["text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


def rating_figure(form, *, name="value", label):
    """A red, amber or green rating's figure chosen by its words, not typed as 1, 2 or 3 (as
    it is recorded): on every form where a figure of such an indicator is entered."""
    field = forms.TypedChoiceField(
        label=label,
        choices=list(RATING_WORDS.items()),
        coerce=Decimal,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    field.error_messages["invalid_choice"] = "Choose red, amber or green"
    form.fields[name] = field
    saved = form.initial.get(name)
    if saved is not None and saved in (1, 2, 3):
        form.initial[name] = str(int(saved))  # "2", as the choice is written, not 2.00
