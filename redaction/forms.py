from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from lacstrategy.forms import plain_errors
from redaction import services
from redaction.selectors import MIN_LENGTH

DEFAULT_REPLACEMENT = "[redacted]"


class RedactionForm(forms.Form):
    """What to remove, what to put in its place and why. The preview's confirmation posts the
    same fields back, with the preview's token and what it found."""

    text = forms.CharField(
        label="Text to remove",
        max_length=200,
        help_text=f"Exactly as written, for example a child's full name. Capital letters do not "
        f"matter; at least {MIN_LENGTH} characters, matched as whole words.",
    )
    replacement = forms.CharField(
        label="Put in its place",
        max_length=50,
        initial=DEFAULT_REPLACEMENT,
        help_text=f"For example {DEFAULT_REPLACEMENT} or [child A].",
    )
    reason = forms.CharField(
        label="Why are you removing it?",
        max_length=250,
        help_text="This is kept with the redaction. Do not repeat the text to remove here.",
    )
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            plain_errors(form_field)
        self.fields["text"].error_messages["required"] = "Enter the text to remove"
        self.fields["replacement"].error_messages["required"] = (
            "Enter what to put in its place, for example " + DEFAULT_REPLACEMENT
        )
        self.fields["reason"].error_messages["required"] = "Enter why you are removing it"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("text", field_width=20),
            Field.text("replacement", field_width=20),
            Field.text("reason"),
            Submit("preview", "Find the text"),
        )

    def clean(self):
        data = super().clean()
        if all(data.get(name) is not None for name in ("text", "replacement", "reason")):
            try:
                services.check_request(
                    text=data["text"], replacement=data["replacement"], reason=data["reason"]
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name, messages)
        return data

    @property
    def is_confirmation(self):
        return bool(self.cleaned_data.get("token"))
