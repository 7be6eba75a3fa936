from django import forms

from actionplans.models import Action, ActionPlan, PriorityIndicator
from lacstrategy.forms import RecordForm, gds_date, people_field


class ActionPlanForm(RecordForm):
    class Meta:
        model = ActionPlan
        fields = ["financial_year_start", "status"]
        widgets = {"status": forms.RadioSelect}


class PriorityIndicatorForm(RecordForm):
    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda indicator: (
            f"Outcome {indicator.outcome.number}: {indicator.title}"
        )

    class Meta:
        model = PriorityIndicator
        fields = ["indicator", "target", "rationale", "order"]


class ActionForm(RecordForm):
    target_date = gds_date(
        "Target date for completion (optional)",
        required=False,
        help_text="For example, 31 3 2017. Leave it empty if the target is in words only.",
    )
    lead_users = people_field(
        "Leads in this system (optional)",
        help_text="People with a login who lead this action, as well as the text above.",
    )

    class Meta:
        model = Action
        fields = [
            "description",
            "measure",
            "undertaken_by",
            "target_text",
            "target_date",
            "status",
            "rag",
            "cyp_views",
            "lead_users",
            "order",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "rag": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "undertaken_by": forms.Textarea(attrs={"rows": 2}),
        }
