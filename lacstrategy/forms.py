import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from lacstrategy import roles, selectors
from lacstrategy.models import LONG_TEXT_CHARACTERS, Council, ReportSection

# Ids beyond the database's integer range (anyone can post one) would make SQLite raise
# OverflowError: they are refused as choices not offered.
LARGEST_ID = 2**63 - 1


def _ids_out_of_range(field, values):
    return field.to_field_name is None and any(
        not str(v).isdecimal() or int(v) > LARGEST_ID for v in values
    )


def _shown(value):
    """A value as the template language shows it: localised, then escaped unless safe."""
    return conditional_escape(localize(value))


def _attributes(attrs):
    """A widget's attributes as Django's widgets/attrs.html writes them: its stringformat
    filter makes each value text without localising it, escaped unless safe."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's select, written out in Python: the same HTML, without a template for each
    option (a filter that lists every person and outcome has hundreds, at a quarter of a
    millisecond each). Named Select because crispy-forms-gds styles a widget (GOV.UK's classes,
    and the error class) by its class name."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = []
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                lines.append(f'\n  <optgroup label="{_shown(group_name)}">')
            lines.extend(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attributes(option['attrs'])}>{_shown(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                lines.append("\n  </optgroup>")
        return mark_safe(
            f'<select name="{_shown(widget["name"])}"{_attributes(widget["attrs"])}>'
            f"{''.join(lines)}\n</select>"
        )


class RecordChoiceField(forms.ModelChoiceField):
    widget = Select

    def to_python(self, value):
        if value not in self.empty_values and _ids_out_of_range(self, [value]):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if _ids_out_of_range(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "?"},
            )
        return super()._check_values(value)


def record_formfield(model_field, **kwargs):
    """Every form's links to other records use the choice fields above."""
    if isinstance(model_field, models.ForeignKey):
        kwargs.setdefault("form_class", RecordChoiceField)
    elif isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", RecordsChoiceField)
    return model_field.formfield(**kwargs)


def people_field(label, *, help_text=""):
    """Choose any number of people who can sign in, as GOV.UK checkboxes."""
    return RecordsChoiceField(
        label=label,
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class GdsDateField(DateInputField):
    """A GOV.UK date input (day, month, year) whose errors say what to do in plain words."""

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return datetime.date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise ValidationError(
                f"{self.error_name} must be a real date, for example 31 3 2017", code="invalid"
            ) from error

    @property
    def error_name(self):
        return str(self.label).removesuffix(" (optional)")


def gds_date(label, *, required=True, help_text=""):
    date_field = GdsDateField(
        label=label, required=required, help_text=help_text, require_all_fields=False
    )
    missing = f"Enter the {date_field.error_name.lower()}"
    date_field.error_messages.update(required=missing, incomplete=missing)
    return date_field


class DateRangeForm(forms.Form):
    """A form with `since` and `until` dates, the second not before the first."""

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The 'to' date must be the same as or after the 'from' date")
        return data


def plain_errors(form_field):
    """GOV.UK error messages: say what to do ("Enter the title"), not "This field is required"."""
    label = str(form_field.label or "").lower()
    if isinstance(
        form_field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.Select
    ):
        form_field.error_messages["required"] = f"Select the {label}"
        form_field.error_messages["invalid_choice"] = f"Select one of the {label} choices shown"
    elif not isinstance(form_field, DateInputField):
        form_field.error_messages["required"] = f"Enter the {label}"
    if isinstance(form_field, forms.IntegerField | forms.DecimalField):
        form_field.error_messages["invalid"] = f"The {label} must be a number"


NO_CHILD_DETAILS = (
    "Do not write a child's name, or anything else that could identify a child: every role "
    "can read this, and it is kept in the change history."
)


def guard_free_text(form, *, no_hint_for=()):
    """What every multi-line field has: a hint not to write a child's name (free text can
    receive one), and a ceiling with a GOV.UK message. There is no maxlength attribute, which
    would cut pasted text short without a word: the character count shows the limit instead."""
    for name, form_field in form.fields.items():
        if not isinstance(form_field.widget, forms.Textarea):
            continue
        if name not in no_hint_for:
            help_text = str(form_field.help_text or "")
            form_field.help_text = f"{help_text} {NO_CHILD_DETAILS}".strip()
        limit = min(form_field.max_length or LONG_TEXT_CHARACTERS, LONG_TEXT_CHARACTERS)
        label = str(form_field.label or name.replace("_", " ").capitalize())
        form_field.max_length = limit
        form_field.validators = [
            validator
            for validator in form_field.validators
            if not isinstance(validator, MaxLengthValidator)
        ] + [MaxLengthValidator(limit, message=f"{label} must be {limit:,} characters or fewer")]
        form_field.widget.attrs.pop("maxlength", None)


def textarea(form, name):
    """A multi-line field, with the GOV.UK character count once three-quarters is used."""
    form_field = form.fields[name]
    return Field.textarea(
        name,
        rows=form_field.widget.attrs.get("rows", 4),
        max_characters=form_field.max_length,
        threshold=75,
    )


def gds_layout_items(form):
    """GOV.UK components for a form's fields: radios, checkboxes, narrow number inputs."""
    items = []
    for name, form_field in form.fields.items():
        widget = form_field.widget
        if isinstance(widget, forms.RadioSelect):
            items.append(Field.radios(name, small=True))
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            items.append(Field.checkboxes(name, small=True))
        elif isinstance(widget, forms.CheckboxInput):
            items.append(Field.checkbox(name, small=True))
        elif isinstance(widget, forms.NumberInput):
            # GOV.UK asks for text inputs with a numeric keyboard, not type="number".
            mode = "numeric" if isinstance(form_field, forms.IntegerField) else "decimal"
            form_field.widget = forms.TextInput(attrs={"inputmode": mode, "spellcheck": "false"})
            items.append(Field.text(name, field_width=5))
        elif isinstance(widget, forms.Textarea):
            items.append(textarea(form, name))
        else:
            items.append(Field(name))
    return items


class EntryForm(forms.Form):
    """One part of the update page: no <form> tag of its own, and plain error messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            plain_errors(form_field)
        self.prepare_fields()
        guard_free_text(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout_items())

    def prepare_fields(self):
        """Where a form's fields depend on what it is for: after the plain error messages (a
        field put here says its own) and before the layout."""

    def layout_items(self):
        return gds_layout_items(self)


class ReasonForm(forms.Form):
    """The reason asked for on delete, revert and restore pages (kept in the history)."""

    reason = forms.CharField(max_length=250, required=False, strip=True)

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = "Enter the reason"


class RecordForm(forms.ModelForm):
    """A GOV.UK form for one record. It asks, when editing, why the change is being made."""

    class Meta:
        formfield_callback = record_formfield

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Why are you making this change? (optional)",
        help_text="This is kept in the record's change history.",
        required=False,
        max_length=250,
    )
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            if isinstance(form_field, forms.ModelMultipleChoiceField) and self.instance.pk:
                # Records no longer offered (people who have since left) stay linked unless
                # someone unticks them.
                linked = getattr(self.instance, name).values("pk")
                choices = form_field.queryset
                form_field.queryset = choices | choices.model._default_manager.filter(pk__in=linked)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version
        else:
            del self.fields["change_reason"]
            del self.fields["seen_version"]
        for form_field in self.fields.values():
            # Labels come from the models' names for things: said in the council's words.
            form_field.label = selectors.in_council_words(form_field.label or "")
            form_field.help_text = selectors.in_council_words(form_field.help_text or "")
            plain_errors(form_field)
        guard_free_text(self, no_hint_for=self.codes_not_words)

    # Multi-line fields that hold codes or numbers, not words about people.
    codes_not_words = ()

    @cached_property
    def helper(self):
        # Built when the page is drawn, so subclasses can add or remove fields first.
        helper = FormHelper()
        helper.layout = Layout(*self.layout_items(), Submit("submit", self.submit_label))
        return helper

    def layout_items(self):
        return gds_layout_items(self)

    def service_kwargs(self):
        """The cleaned data as keyword arguments for the app's service function."""
        data = dict(self.cleaned_data)
        reason = data.pop("change_reason", "")
        if reason:
            data["reason"] = reason
        if data.get("seen_version") is None:
            data.pop("seen_version", None)
        return data

    def add_service_error(self, error: ValidationError):
        """Show a model error raised by a service against its field, or at the top."""
        for field, messages in error.update_error_dict({}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target if field != NON_FIELD_ERRORS else None, message)


WORDS = [
    "strategy_name",
    "outcome_singular",
    "outcome_plural",
    "priority_singular",
    "priority_plural",
    "group_singular",
    "group_plural",
    "delivery_kind",
    "outcome_kind",
    "review_group",
    "children_council",
    "committee",
]


HELP_AND_CONTACT = ["support_email", "support_phone", "support_url"]
PUBLIC_PAGE = ["public_site", "small_numbers_below", "public_names"]


class WebAddressField(forms.URLField):
    """An address typed without "https://" gets it (Django 6's default, asked for now)."""

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


ACCESSIBILITY = [
    "accessibility_contact",
    "accessibility_compliance",
    "accessibility_known_issues",
    "accessibility_enforcement",
    "accessibility_prepared",
    "accessibility_reviewed",
]


class CouncilForm(RecordForm):
    # Addresses, and text about the service rather than about people.
    codes_not_words = (
        "data_protection_contact",
        "accessibility_contact",
        "accessibility_known_issues",
        "accessibility_enforcement",
    )
    report_sections = forms.MultipleChoiceField(
        label="Optional sections in reports",
        choices=ReportSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the sections the council's report template has. Each report can "
        "still leave one out.",
    )
    accessibility_prepared = gds_date(
        "Date the statement was prepared (optional)",
        required=False,
        help_text="For example, 23 9 2026",
    )
    accessibility_reviewed = gds_date(
        "Date the statement was last reviewed (optional)",
        required=False,
        help_text="Review it at least once a year, and when the service changes.",
    )

    def layout_items(self):
        items = {getattr(item, "fields", [None])[0]: item for item in gds_layout_items(self)}

        def fieldset(legend, names):
            return Fieldset(*(items.pop(n) for n in names), legend=legend, legend_size=Size.MEDIUM)

        words = fieldset("Words used", WORDS)
        public = fieldset("Public page", PUBLIC_PAGE)
        help_and_contact = fieldset("Help and contact", HELP_AND_CONTACT)
        accessibility = fieldset("Accessibility statement", ACCESSIBILITY)
        others = list(items.values())
        # The council's words go after its names; the reason for the change stays last.
        return [*others[:3], words, public, help_and_contact, accessibility, *others[3:]]

    class Meta(RecordForm.Meta):
        model = Council
        fields = [
            "name",
            "service_name",
            "data_protection_contact",
            "admins_need_two_step",
            "report_sections",
            *WORDS,
            *PUBLIC_PAGE,
            *HELP_AND_CONTACT,
            *ACCESSIBILITY,
        ]
        field_classes = {"support_url": WebAddressField}
        widgets = {
            "data_protection_contact": forms.Textarea(attrs={"rows": 3}),
            "accessibility_contact": forms.Textarea(attrs={"rows": 3}),
            "accessibility_known_issues": forms.Textarea(attrs={"rows": 5}),
            "accessibility_enforcement": forms.Textarea(attrs={"rows": 5}),
            "accessibility_compliance": forms.RadioSelect,
            # The GOV.UK text input (the form library draws no url or tel input); the
            # service's own contact, not the person's, so the browser does not offer theirs.
            "support_email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "support_phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "support_url": forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
        }


class PersonForm(RecordForm):
    """A sign-in and its roles. A new person needs a first password; later it is optional."""

    roles = forms.MultipleChoiceField(
        choices=[(name, name) for name in roles.ALL_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A person can hold several roles.",
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="At least 8 characters, not a common password. Give it to the person safely.",
    )

    class Meta(RecordForm.Meta):
        model = get_user_model()
        fields = [
            "full_name",
            "username",
            "email",
            "job_title",
            "organisation",
            "is_chair",
            "is_active",
        ]
        labels = {"is_active": "This person can sign in"}
        help_texts = {
            "username": "What they type to sign in, for example katie.warner.",
            "is_active": "Untick when someone leaves, instead of deleting them: their changes "
            "stay in the history under their name.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        words = selectors.terms()
        self.fields["roles"].choices = [
            (name, roles.role_label(name, words)) for name in roles.ALL_ROLES
        ]
        self.fields["roles"].help_text = (
            f"A person can hold several roles. {roles.role_label(roles.OUTCOME_OWNER, words)}s "
            f"also need to be named on their {words.outcomes}."
        )
        self.fields["is_chair"].label = f"{words.chair[:1].upper()}{words.chair[1:]}"
        self.fields["is_chair"].help_text = (
            f"The {words.chair} accepts or returns the {words.outcome} owners' quarterly updates, "
            "and is copied into the reminders."
        )
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.values_list("name", flat=True))
            self.fields["password"].label = "New password (optional)"
            self.fields["password"].help_text = "Leave it empty to keep the current password."
        else:
            self.fields["password"].required = True
            del self.fields["is_active"]
        self.fields["full_name"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = get_user_model().objects.exclude(pk=self.instance.pk)
        if others.filter(email__iexact=email).exists():
            raise ValidationError("Someone already has this email address")
        return email

    def clean(self):
        data = super().clean()
        if data.get("password"):
            # Checked against the details as entered, so "katiewarner1" is refused for Katie.
            person = get_user_model()(
                username=data.get("username", ""),
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
            )
            try:
                validate_password(data["password"], person)
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        data["role_names"] = data.pop("roles")
        if not data["password"]:
            del data["password"]
        return data


class UploadForm(forms.Form):
    """One file to preview before anything from it is saved."""

    file = forms.FileField(
        help_text="Nothing is saved until you have seen what would change and confirmed it."
    )

    def __init__(self, *args, label, accept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.accept = accept
        self.fields["file"].error_messages["required"] = "Choose a file to upload"
        self.fields["file"].error_messages["empty"] = "The file is empty"

    # Uploads are stored with their name, to show it: a very long one is shortened to fit.
    NAME_LENGTH = 200

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if len(upload.name) > self.NAME_LENGTH:
            stem, dot, extension = upload.name.rpartition(".")
            if not dot or len(extension) > 10:
                stem, extension = upload.name, ""
            keep = self.NAME_LENGTH - len(extension) - 2
            upload.name = f"{stem[:keep]}…{dot}{extension}"
        return upload
