"""The history screens: Recent changes, deleted records, and putting records back."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from lacstrategy import history, permissions, selectors, services
from lacstrategy.forms import DateRangeForm, ReasonForm, RecordChoiceField, Select, gds_date
from outcomes.models import Outcome

PAGE_SIZE = 25


class ChangeFilterForm(DateRangeForm):
    person = RecordChoiceField(
        queryset=get_user_model().objects.all(), required=False, empty_label="Anyone"
    )
    kind = forms.ChoiceField(label="Kind of record", required=False, widget=Select)
    outcome = RecordChoiceField(
        queryset=Outcome.objects.select_related("strategy"),
        required=False,
        empty_label="Any outcome",
    )
    since = gds_date("From", required=False)
    until = gds_date("To", required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        words = selectors.terms()
        self.fields["outcome"].label = words.outcome[:1].upper() + words.outcome[1:]
        self.fields["outcome"].empty_label = f"Any {words.outcome}"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own GET form holds the fields and its button
        self.fields["kind"].choices = [("", "Any kind")] + [
            (kind, history.kind_label(kind).capitalize()) for kind in kinds
        ]


def visible_kinds(user):
    """People's accounts are in the log only for those who manage people."""
    kinds = list(history.RECORD_KINDS)
    if not user.has_perm("lacstrategy.manage_people"):
        kinds.remove("person")
    return kinds


def page_of(request, read, **filters):
    """A page of the log from `read` (history.recent_changes or deleted_records), from where
    the "Older" or "Newer" link says, with its rows described."""
    page = read(
        older=request.GET.get("older", ""),
        newer=request.GET.get("newer", ""),
        size=PAGE_SIZE,
        **filters,
    )
    return page, history.describe_rows(page.rows)


def recent_changes(request):
    permissions.require(request.user, "lacstrategy.view_records")
    kinds = visible_kinds(request.user)
    form = ChangeFilterForm(request.GET or None, kinds=kinds)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "kinds": [data["kind"]] if data["kind"] else kinds,
            "user": data["person"],
            "outcome": data["outcome"],
            "since": data["since"],
            "until": data["until"],
        }
    page, changes = page_of(request, history.recent_changes, **{"kinds": kinds, **filters})
    context = {"form": form, "log_page": page, "changes": changes}
    return render(request, "history/recent_changes.html", context)


def deleted_records(request):
    permissions.require(request.user, "lacstrategy.restore_records")
    page, rows = page_of(request, history.deleted_records)
    context = {"log_page": page, "changes": rows}
    return render(request, "history/deleted_records.html", context)


def _version(kind, history_id):
    if kind not in history.RECORD_KINDS:
        raise Http404("No such kind of record")
    model = history.kind_model(kind)
    try:
        return model, model.history.select_related("history_user").get(history_id=history_id)
    except model.history.model.DoesNotExist as error:
        raise Http404("No such version") from error


def revert_record(request, kind, history_id):
    """Put a record back as it was after one of its earlier changes."""
    permissions.require(request.user, "lacstrategy.restore_records")
    model, version = _version(kind, history_id)
    record = model._default_manager.filter(pk=version.id).first()
    if record is None:
        return redirect("restore_record", kind=kind, history_id=history_id)
    differences = history.differences(record, version)
    form = ReasonForm(request.POST or None, required=True)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.revert_to_version(
                record=record,
                version=version,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, f"{record} was put back as it was")
            return redirect(record.get_absolute_url() + "#changes")
    context = {
        "form": form,
        "record": record,
        "version": version,
        "differences": differences,
        "error": error,
        "kind": history.kind_label(kind),
    }
    status = 400 if error or form.errors else 200
    return render(request, "history/revert.html", context, status=status)


def restore_record(request, kind, history_id):
    """Bring back a deleted record, with what was deleted along with it."""
    permissions.require(request.user, "lacstrategy.restore_records")
    model, version = _version(kind, history_id)
    if model._default_manager.filter(pk=version.id).exists():
        return redirect(model(pk=version.id).get_absolute_url())
    plan = services.restore_plan(version)
    form = ReasonForm(request.POST or None, required=True)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            restored = services.restore_deleted(
                version=version, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as invalid:
            error = "It cannot be restored as it was: " + " ".join(invalid.messages)
        else:
            messages.success(request, f"Restored: {restored[0]}")
            return redirect(restored[0].get_absolute_url())
    context = {
        "form": form,
        "version": version,
        "record_name": history.names_of_deleted([version])[0][1],
        "kind": history.kind_label(kind),
        "comes_back": history.names_of_deleted(plan)[1:],
        "error": error,
    }
    status = 400 if error or form.errors else 200
    return render(request, "history/restore.html", context, status=status)
