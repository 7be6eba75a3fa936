from crispy_forms_gds.layout import Field, Size
from django import forms

from lacstrategy.forms import RecordForm, plain_errors


class FrameworkTagsForm(RecordForm):
    """Which items of each framework in use a record serves: a group of checkboxes each.
    Tags on a framework's earlier versions are kept as they are."""

    submit_label = "Save the frameworks"

    class Meta:
        fields = []

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        tagged = {item.pk for item in self.instance.framework_items.all()}
        self.in_use = {item.pk for framework in frameworks for item in framework.items_in_order}
        self.kept = [pk for pk in tagged if pk not in self.in_use]
        chosen_fields = {}
        for framework in frameworks:
            chosen_fields[f"framework_{framework.pk}"] = forms.TypedMultipleChoiceField(
                label=framework.name,
                help_text=framework.source,
                choices=[(item.pk, str(item)) for item in framework.items_in_order],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[item.pk for item in framework.items_in_order if item.pk in tagged],
            )
        for form_field in chosen_fields.values():
            plain_errors(form_field)
        # The frameworks first, then why (kept in the history).
        self.fields = {**chosen_fields, **self.fields}

    def layout_items(self):
        # Each framework a fieldset whose legend reads as a heading.
        return [
            Field.checkboxes(name, legend_size=Size.MEDIUM, small=True)
            if name.startswith("framework_")
            else item
            for name, item in zip(self.fields, super().layout_items(), strict=True)
        ]

    def service_kwargs(self):
        data = super().service_kwargs()
        chosen = [
            pk for name in list(data) if name.startswith("framework_") for pk in data.pop(name)
        ]
        return {**data, "items": [*chosen, *self.kept]}
