from django import forms

from figures.models import CouncilProfile, ImportProfile
from lacstrategy.forms import EntryForm, RecordForm, gds_date
from outcomes.forms import rating_figure
from outcomes.models import Indicator


class CouncilProfileForm(RecordForm):
    codes_not_words = ("statistical_neighbours",)

    class Meta(RecordForm.Meta):
        model = CouncilProfile
        fields = [
            "name",
            "la_code",
            "old_la_code",
            "region_code",
            "region_name",
            "statistical_neighbours",
            "small_cohort",
        ]
        widgets = {"statistical_neighbours": forms.Textarea(attrs={"rows": 3})}


class ImportProfileForm(RecordForm):
    codes_not_words = ("filters",)

    class Meta(RecordForm.Meta):
        model = ImportProfile
        fields = [
            "publication",
            "value_column",
            "filters",
            "numerator_column",
            "denominator_column",
        ]
        widgets = {"filters": forms.Textarea(attrs={"rows": 4})}


class FigurePeriodForm(EntryForm):
    period_label = forms.CharField(
        label="Period", max_length=40, help_text="For example, Q2 2016-17 or 2016"
    )
    period_end = gds_date("Last day of the period", help_text="For example, 30 9 2016")

    def layout_items(self):
        return ["period_label", "period_end"]


class FigureEntryForm(EntryForm):
    """One indicator's figure on the quarterly data entry page."""

    value = forms.DecimalField(label="Figure", required=False, max_digits=12, decimal_places=2)
    denominator = forms.DecimalField(
        label="Cohort (number of children)", required=False, max_digits=12, decimal_places=2
    )
    suppressed = forms.BooleanField(label="Suppressed: too few children to publish", required=False)
    note = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        self.fields["value"].error_messages["invalid"] = "Enter the figure as a number"

    def prepare_fields(self):
        if self.indicator.unit == Indicator.Unit.RATING:
            rating_figure(self, label="Rating")

    def clean(self):
        data = super().clean()
        if problem := self.indicator.figure_problem(data.get("value")):
            self.add_error("value", problem)
        if data.get("suppressed") and data.get("value") is not None:
            self.add_error("value", "Leave the figure empty when it is suppressed")
        return data

    @property
    def has_entry(self):
        data = self.cleaned_data
        return data.get("value") is not None or data.get("suppressed")
