import functools

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from actionplans.models import Action, ActionPlan, PriorityIndicator, Rag
from lacstrategy.forms import (
    DateRangeForm,
    RecordForm,
    Select,
    gds_date,
    people_field,
    plain_errors,
)
from lacstrategy.selectors import terms
from outcomes.selectors import strategy_outcomes


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


# A checkbox cannot send an empty value: "not rated" travels as this word.
NOT_RATED = "not_rated"


class PlanFilterForm(forms.Form):
    """The plan page's filter: a GET form, so it works without JavaScript and a filtered view
    can be bookmarked or sent to someone."""

    outcome = forms.TypedChoiceField(coerce=int, required=False, widget=Select)
    owner = forms.TypedChoiceField(coerce=int, required=False, widget=Select)
    status = forms.MultipleChoiceField(
        choices=Action.Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    rag = forms.MultipleChoiceField(
        label="RAG rating",
        choices=[(value or NOT_RATED, label) for value, label in Rag.choices[1:] + Rag.choices[:1]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mine = forms.BooleanField(label="Only my actions", required=False)

    def __init__(self, *args, action_plan, outcomes=None, **kwargs):
        """`outcomes`: a callable giving the strategy's outcomes with their owners (as
        strategy_outcomes reads them), where the page reads them anyway."""
        super().__init__(*args, **kwargs)
        words = terms()
        if outcomes is None:
            outcomes = functools.cache(lambda: strategy_outcomes(strategy=action_plan.strategy))

        # Read when the form is checked or shown, not when made: the plan page's cached part
        # shows it without asking the database. Read once: rendering goes through them twice.
        @functools.cache
        def outcome_choices():
            return [("", f"All {words.outcomes}")] + [
                (o.pk, o.statement if o.is_heading else f"{o.reference}. {o.statement}")
                for o in outcomes()
            ]

        @functools.cache
        def owner_choices():
            owners = {person.pk: person for o in outcomes() for person in o.owners.all()}
            in_order = sorted(owners.values(), key=lambda p: (p.full_name.casefold(), p.username))
            return [("", "Anyone")] + [(p.pk, str(p)) for p in in_order]

        self.fields["outcome"].label = capfirst(words.outcome)
        self.fields["outcome"].choices = outcome_choices
        self.fields["owner"].label = f"{capfirst(words.outcome)} owner"
        self.fields["owner"].choices = owner_choices
        self.fields[
            "mine"
        ].help_text = f"Actions on the {words.outcomes} you own, and the actions you lead"
        for form_field in self.fields.values():
            plain_errors(form_field)
        # Only a changed or old link sends a value not offered: say so, and show the rest.
        left_off = "so that filter is left off"
        self.fields["outcome"].error_messages["invalid_choice"] = (
            f"Choose {words.an_outcome} from the list: the one in the link is not in this plan, "
            f"{left_off}"
        )
        self.fields["owner"].error_messages["invalid_choice"] = (
            f"Choose an owner from the list: the person in the link owns no {words.outcome} "
            f"of this strategy, {left_off}"
        )
        self.fields["status"].error_messages["invalid_choice"] = (
            f"Choose statuses from the list: the link asks for one there is not, {left_off}"
        )
        self.fields["rag"].error_messages["invalid_choice"] = (
            f"Choose RAG ratings from the list: the link asks for one there is not, {left_off}"
        )

    @property
    def filters(self):
        """The selector's keyword arguments for the filters that are valid (others left off)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "outcome": data.get("outcome"),
            "owner": data.get("owner"),
            "statuses": data.get("status") or (),
            "rags": ["" if rag == NOT_RATED else rag for rag in data.get("rag") or ()],
        }


class PlanAsAtForm(forms.Form):
    """A past date, to see the plan as it stood then (from the change history)."""

    as_at = gds_date("Date", help_text="For example, 30 9 2016")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("as_at", legend_size=Size.MEDIUM), Submit("show", "Show the plan as it stood")
        )

    def clean_as_at(self):
        as_at = self.cleaned_data["as_at"]
        if as_at and as_at > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return as_at
