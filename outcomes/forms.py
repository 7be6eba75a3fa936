from django import forms
from django.utils.text import capfirst

from lacstrategy.forms import RecordForm, gds_date, people_field
from lacstrategy.selectors import terms
from outcomes.models import Indicator, Outcome, Strategy


class StrategyForm(RecordForm):
    period_start = gds_date("Start of the strategy period", help_text="For example, 1 4 2015")
    period_end = gds_date("End of the strategy period", help_text="For example, 31 3 2018")
    approved_on = gds_date("Date approved", required=False, help_text="For example, 17 6 2015")

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
        ]
        widgets = {"status": forms.RadioSelect}


class OutcomeForm(RecordForm):
    owners = people_field("Owners")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        words = terms()
        self.fields["owners"].label = f"{capfirst(words.outcome)} owners"
        self.fields["owners"].help_text = (
            f"The {words.review_group} members who own this {words.outcome} (sometimes two "
            "share one)."
        )

    class Meta(RecordForm.Meta):
        model = Outcome
        fields = ["number", "statement", "kind", "commitment", "owners", "order"]
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
