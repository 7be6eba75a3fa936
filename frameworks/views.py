import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst, slugify
from django.views.decorators.http import require_POST

from actionplans.models import ActionPlan
from actionplans.views import ACTION_QUERYSET, plan_crumbs
from frameworks import selectors, services
from frameworks.forms import FrameworkTagsForm
from frameworks.models import Framework, FrameworkUpload
from frameworks.version_file import MAX_BYTES, version_data
from lacstrategy import permissions
from lacstrategy.downloads import attachment
from lacstrategy.forms import UploadForm
from lacstrategy.history import deletion_of
from lacstrategy.record_views import RecordDetailView, RecordFormView
from lacstrategy.selectors import in_council_words
from lacstrategy.services import PreviewOutOfDate, UploadGone
from outcomes.models import Indicator, Outcome


def framework_list(request):
    """The frameworks a council is judged against, each version with its source."""
    permissions.require(request.user, "lacstrategy.view_records")
    return render(
        request, "frameworks/framework_list.html", {"frameworks": selectors.framework_versions()}
    )


class FrameworkDetail(RecordDetailView):
    template_name = "frameworks/framework_detail.html"

    def load(self):
        return selectors.framework_detail(pk=self.kwargs["pk"])

    def breadcrumbs(self):
        return [("National frameworks", reverse("frameworks:framework_list"))]


def version_file(request, pk):
    """A version as the file that would add it: the start of a later version's file."""
    permissions.require(request.user, "lacstrategy.view_records")
    framework = get_object_or_404(Framework.objects.prefetch_related("items"), pk=pk)
    content = json.dumps(version_data(framework), indent=2, ensure_ascii=False)
    return attachment(content, f"{framework.code}-{slugify(framework.edition)}.json")


def version_upload(request, pk):
    permissions.require(request.user, "frameworks.add_version")
    framework = get_object_or_404(Framework, pk=pk, is_current=True)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        label="Upload the later version's file (.json)",
        accept=".json",
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.framework_upload_create(
                framework=framework,
                actor=request.user,
                file_name=upload.name,
                data=upload.read(MAX_BYTES + 1),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(pending)
    context = {
        "object": framework,
        "form": form,
        "waiting": selectors.uploads_waiting(framework=framework),
        "max_megabytes": MAX_BYTES // (1024 * 1024),
        "breadcrumbs": _framework_crumbs(framework),
    }
    status = 400 if form.errors else 200
    return render(request, "frameworks/version_upload.html", context, status=status)


def _upload(request, pk):
    """The upload, or UploadGone if it was added or discarded (a second click); else 404."""
    permissions.require(request.user, "frameworks.add_version")
    upload = (
        FrameworkUpload.objects.select_related("framework", "uploaded_by").filter(pk=pk).first()
    )
    if upload is None:
        if deletion_of(FrameworkUpload, pk):
            raise UploadGone
        raise Http404
    return upload


def _gone(request):
    messages.success(request, "That upload has already been added or discarded")
    return redirect("frameworks:framework_list")


def version_preview(request, pk):
    """What adding an uploaded version would do; confirming it adds it, or nothing."""
    try:
        upload = _upload(request, pk)
    except UploadGone:
        return _gone(request)
    out_of_date, preview = False, None
    if request.method == "POST":
        try:
            newer = services.framework_upload_apply(
                upload=upload, actor=request.user, fingerprint=request.POST.get("fingerprint", "")
            )
        except PreviewOutOfDate as error:
            out_of_date, preview = True, error.preview
        except UploadGone:
            return _gone(request)
        except ValidationError as error:
            if not hasattr(error, "preview"):
                raise  # said by the write errors middleware, as for any refused save
            preview = error.preview
        else:
            messages.success(request, f"{newer} is now the version in use")
            return redirect(newer)
    if preview is None:
        preview = selectors.version_preview(upload=upload)
    context = {
        "upload": upload,
        "preview": preview,
        "out_of_date": out_of_date,
        "breadcrumbs": _framework_crumbs(preview.in_use),
    }
    status = 400 if preview.errors else 409 if out_of_date else 200
    return render(request, "frameworks/version_preview.html", context, status=status)


@require_POST
def version_discard(request, pk):
    try:
        upload = _upload(request, pk)
        services.framework_upload_discard(upload=upload, actor=request.user)
    except UploadGone:
        return _gone(request)
    messages.success(request, f"{upload.file_name} was discarded: nothing from it was saved")
    in_use = Framework.objects.get(code=upload.framework.code, is_current=True)
    return redirect("frameworks:version_upload", pk=in_use.pk)


def _framework_crumbs(framework):
    return [
        ("National frameworks", reverse("frameworks:framework_list")),
        (str(framework), framework.get_absolute_url()),
    ]


def plan_coverage(request, pk):
    """How a year's plan covers each framework in use and the strategy's commitments."""
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    frameworks, commitments = selectors.framework_coverage(
        strategy_id=plan.strategy_id, action_plan=plan
    )
    return render(
        request,
        "frameworks/plan_coverage.html",
        {
            "object": plan,
            "frameworks": frameworks,
            "commitments": commitments,
            "breadcrumbs": plan_crumbs(plan),
        },
    )


class FrameworkTagsEdit(RecordFormView):
    """Which frameworks an outcome, indicator or action serves: one view for the three, each
    asking the permission to edit that record."""

    title = "National frameworks it serves"

    def get_form(self, data=None):
        form_class = modelform_factory(type(self.object), form=FrameworkTagsForm, fields=[])
        return form_class(data, instance=self.object, frameworks=selectors.frameworks_in_use())

    @property
    def caption(self):
        return f"{capfirst(in_council_words(self.object._meta.verbose_name))}: {self.object}"

    def breadcrumbs(self):
        return [(self.caption, self.object.get_absolute_url())]

    def save(self, form):
        return services.framework_tags_save(
            record=self.object, actor=self.request.user, **form.service_kwargs()
        )


TAGGED = {
    "outcome": (Outcome.objects.select_related("strategy"), "outcomes.change_outcome"),
    "indicator": (
        Indicator.objects.select_related("outcome__strategy"),
        "outcomes.change_indicator",
    ),
    "action": (ACTION_QUERYSET, "actionplans.change_action"),
}
tags_views = {
    kind: FrameworkTagsEdit.as_view(queryset=queryset, permission=permission)
    for kind, (queryset, permission) in TAGGED.items()
}
