from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.utils.text import capfirst

from actionplans.models import Action, ActionPlan, PriorityIndicator
from lacstrategy.forms import DateRangeForm, RecordForm, gds_date, people_field
from lacstrategy.selectors import terms


class ActionPlanForm(RecordForm):
    class Meta(RecordForm.Meta):
        model = ActionPlan
        fields = ["financial_year_start", "status"]
        widgets = {"status": forms.RadioSelect}


class PriorityIndicatorForm(RecordForm):
    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda indicator: (
            f"{capfirst(terms().outcome)} {indicator.outcome.number}: {indicator.title}"
        )

    class Meta(RecordForm.Meta):
        model = PriorityIndicator
        fields = [
            "indicator",
            "target",
            "target_value",
            "amber_tolerance",
            "rationale",
            "origin",
            "survey_rating",
            "origin_detail",
            "order",
        ]
        widgets = {"origin": forms.RadioSelect, "survey_rating": forms.RadioSelect}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("survey_rating")
            and cleaned.get("origin") != PriorityIndicator.Origin.SURVEY
        ):
            self.add_error(
                "survey_rating", "Give a survey's rating only where it came from a survey"
            )
        return cleaned


class ActionForm(RecordForm):
    """An action. When editing, it can move to another priority area of the same outcome."""

    target_date = gds_date(
        "Target date for completion (optional)",
        required=False,
        help_text="For example, 31 3 2017. Leave it empty if the target is in words only.",
    )
    lead_users = people_field(
        "Leads in this system (optional)",
        help_text="People with a login who lead this action, as well as the text above.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Only within the outcome: an outcome owner may not move work into someone else's.
            current = self.instance.priority_indicator
            choices = PriorityIndicator.objects.filter(
                action_plan_id=current.action_plan_id,
                indicator__outcome_id=current.indicator.outcome_id,
            ).select_related("indicator")
            self.fields["priority_indicator"].queryset = choices
            self.fields["priority_indicator"].empty_label = None
            self.fields["priority_indicator"].label_from_instance = lambda p: p.indicator.title
        else:
            del self.fields["priority_indicator"]
        priority = self.instance.priority_indicator
        others = (
            PriorityIndicator.objects.filter(action_plan_id=priority.action_plan_id)
            .exclude(pk=priority.pk)
            .select_related("indicator__outcome__group", "indicator__outcome__strategy")
        )
        self.fields["also_serves"].queryset = others
        self.fields["also_serves"].label_from_instance = lambda p: (
            f"{p.outcome}: {p.indicator.title}"
        )
        self.fields["also_serves"].label = "Also contributes to (optional)"
        self.fields[
            "also_serves"
        ].help_text = f"Other {terms().priorities} in this plan that this action serves."
        commitments = priority.outcome.commitments.all()
        if commitments:
            self.fields["commitments"].queryset = commitments
            self.fields["commitments"].label = "Strategy commitments it delivers (optional)"
        else:
            del self.fields["commitments"]

    def clean_also_serves(self):
        chosen = self.cleaned_data["also_serves"]
        own = self.cleaned_data.get("priority_indicator") or self.instance.priority_indicator
        return [priority for priority in chosen if priority.pk != own.pk]

    class Meta(RecordForm.Meta):
        model = Action
        fields = [
            "priority_indicator",
            "reference",
            "description",
            "measure",
            "undertaken_by",
            "target_text",
            "target_date",
            "status",
            "rag",
            "cyp_views",
            "comment",
            "lead_users",
            "also_serves",
            "commitments",
            "order",
        ]
        widgets = {
            "priority_indicator": forms.RadioSelect,
            "also_serves": forms.CheckboxSelectMultiple,
            "commitments": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
            "rag": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "undertaken_by": forms.Textarea(attrs={"rows": 2}),
        }


class PeriodForm(DateRangeForm):
    """Two dates, for "what changed between" pages."""

    since = gds_date("From", help_text="For example, 1 4 2016")
    until = gds_date("To", help_text="For example, 30 6 2016")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout("since", "until", Submit("submit", "Show the changes"))

    @staticmethod
    def data_for(*, since, until):
        """Form data that fills the day, month and year boxes with these dates."""
        return {
            f"{name}_{i}": part
            for name, date in (("since", since), ("until", until))
            for i, part in enumerate((date.day, date.month, date.year))
        }
