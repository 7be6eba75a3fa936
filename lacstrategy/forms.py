from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def people_field(label, *, help_text=""):
    """Choose any number of people who can sign in, as GOV.UK checkboxes."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def gds_date(label, *, required=True, help_text=""):
    """A GOV.UK date input (day, month, year) with errors in plain words."""
    return DateInputField(
        label=label, required=required, help_text=help_text, require_all_fields=False
    )


class RecordForm(forms.ModelForm):
    """A GOV.UK form for one record. It asks, when editing, why the change is being made."""

    change_reason = forms.CharField(
        label="Why are you making this change? (optional)",
        help_text="This is kept in the record's change history.",
        required=False,
        max_length=250,
    )
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["change_reason"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout_items(), Submit("submit", self.submit_label))

    def layout_items(self):
        items = []
        for name, form_field in self.fields.items():
            widget = form_field.widget
            if isinstance(widget, forms.RadioSelect):
                items.append(Field.radios(name, small=True))
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                items.append(Field.checkboxes(name, small=True))
            elif isinstance(widget, forms.NumberInput):
                items.append(Field.text(name, field_width=4))
            elif isinstance(widget, forms.Textarea):
                items.append(Field.textarea(name, rows=widget.attrs.get("rows", 4)))
            else:
                items.append(Field(name))
        return items

    def service_kwargs(self):
        """The cleaned data as keyword arguments for the app's service function."""
        data = dict(self.cleaned_data)
        reason = data.pop("change_reason", "")
        if reason:
            data["reason"] = reason
        return data

    def add_service_error(self, error: ValidationError):
        """Show a model error raised by a service against its field, or at the top."""
        for field, messages in error.update_error_dict({}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target if field != NON_FIELD_ERRORS else None, message)
