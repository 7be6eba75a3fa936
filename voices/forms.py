from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.utils.html import escape

from actionplans.models import Action
from frameworks.selectors import frameworks_in_use
from lacstrategy.forms import RecordForm, Select, gds_date, plain_errors
from lacstrategy.selectors import in_council_words
from outcomes.models import Indicator, Outcome
from reviews.models import ReviewPeriod
from voices.models import Voice, VoiceResponse


class VoiceForm(RecordForm):
    """What was said, where and when, and what it is about: outcomes, indicators, actions of
    the strategy's latest plan, and the national frameworks."""

    heard_on = gds_date("When it was said", help_text="For example, 6 9 2016")
    submit_label = "Save the view"

    class Meta(RecordForm.Meta):
        model = Voice
        fields = [
            "said",
            "source",
            "source_name",
            "heard_on",
            "period",
            "outcomes",
            "indicators",
            "actions",
            "framework_items",
        ]
        widgets = {
            "source": forms.RadioSelect,
            "outcomes": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
            "framework_items": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strategy = self.instance.strategy
        fields = self.fields
        fields["source"].choices = Voice.source_choices()
        fields["source"].widget.choices = fields["source"].choices
        periods = ReviewPeriod.objects.filter(action_plan__strategy=strategy).select_related(
            "action_plan"
        )
        fields["period"].queryset = periods.order_by(
            "-action_plan__financial_year_start", "-quarter"
        )
        fields["period"].help_text = "If it was heard for a quarter's review. Leave empty if not."
        fields["period"].empty_label = "Not for a quarter's review"
        outcomes = Outcome.objects.filter(strategy=strategy).order_by("order", "number")
        fields["outcomes"].queryset = outcomes
        fields["outcomes"].label_from_instance = str
        fields["indicators"].queryset = (
            Indicator.objects.filter(outcome__strategy=strategy)
            .select_related("outcome")
            .order_by("outcome__order", "outcome__number", "order", "pk")
        )
        fields["indicators"].label_from_instance = lambda i: f"{i.outcome.reference}: {i.title}"
        plan = strategy.action_plans.order_by("-financial_year_start").first()
        fields["actions"].queryset = (
            Action.objects.filter(priority_indicator__action_plan=plan)
            .exclude(status=Action.Status.WITHDRAWN)
            .select_related("priority_indicator__indicator__outcome")
            .order_by("priority_indicator__order", "order", "pk")
            if plan
            else Action.objects.none()
        )
        fields["actions"].help_text = f"Actions in the {plan} plan." if plan else ""
        fields["actions"].label_from_instance = lambda a: (
            f"Action {a.reference}: {a.short_description}" if a.reference else a.short_description
        )
        fields["framework_items"].queryset = (
            fields["framework_items"]
            .queryset.model.objects.filter(framework__in=frameworks_in_use())
            .select_related("framework")
            .order_by("framework__order", "order")
        )
        fields["framework_items"].label_from_instance = lambda item: (
            f"{item.framework.name}: {item}"
        )
        # RecordForm keeps links to records no longer offered; keep the rule for these too.
        if self.instance.pk:
            for name in ("indicators", "actions", "framework_items"):
                linked = getattr(self.instance, name).values("pk")
                field = fields[name]
                field.queryset = field.queryset | field.queryset.model.objects.filter(pk__in=linked)

    # Long lists, folded away until wanted: open where something is chosen or wrong.
    FOLDED = {
        "indicators": "Indicators it is about (optional)",
        "actions": "Actions it is about (optional)",
        "framework_items": "National frameworks it is about (optional)",
    }

    def layout_items(self):
        items = []
        for name, item in zip(self.fields, super().layout_items(), strict=True):
            if name not in self.FOLDED:
                items.append(item)
                continue
            chosen = self[name].value() or self.errors.get(name)
            items += [
                HTML(
                    f'<details class="govuk-details"{" open" if chosen else ""}>'
                    '<summary class="govuk-details__summary"><span class="govuk-details__summary'
                    f'-text">{escape(in_council_words(self.FOLDED[name]))}</span></summary>'
                    '<div class="govuk-details__text">'
                ),
                item,
                HTML("</div></details>"),
            ]
        return items


class VoiceResponseForm(RecordForm):
    due_on = gds_date("By when", required=False, help_text="For example, 31 3 2017")
    submit_label = "Save the response"

    class Meta(RecordForm.Meta):
        model = VoiceResponse
        fields = ["we_did", "who", "due_on", "status"]
        widgets = {"status": forms.RadioSelect}


class VoiceFilterForm(forms.Form):
    """Narrows "You said, we did" to one kind of source or one state of response."""

    status = forms.ChoiceField(
        label="Response",
        required=False,
        choices=[("", "Any"), ("none", "No response yet"), *VoiceResponse.Status.choices],
        widget=Select,
    )
    source = forms.ChoiceField(label="Where it was heard", required=False, widget=Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "Any"), *Voice.source_choices()]
        for form_field in self.fields.values():
            plain_errors(form_field)
            form_field.error_messages["invalid_choice"] = (
                f"Choose a {form_field.label.lower()} from the list: the link asks for one "
                "there is not, so no filter is used"
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form: the filter goes in the address
        self.helper.layout = Layout(
            Div(
                Div(Field.select("status"), css_class="govuk-grid-column-one-half"),
                Div(Field.select("source"), css_class="govuk-grid-column-one-half"),
                css_class="govuk-grid-row",
            ),
            Submit("filter", "Show views", css_class="govuk-button--secondary"),
        )
