import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from lacstrategy import permissions
from redaction import selectors, services
from redaction.forms import RedactionForm

PERMISSION = "redaction.redact_text"


def _breadcrumbs():
    return [("People and roles", reverse("people_list"))]


def redaction_list(request):
    permissions.require(request.user, PERMISSION)
    page = Paginator(selectors.redaction_list(), 25).get_page(request.GET.get("page"))
    context = {"page_obj": page, "redactions": page.object_list, "breadcrumbs": _breadcrumbs()}
    return render(request, "redaction/redaction_list.html", context)


def redaction_detail(request, pk):
    permissions.require(request.user, PERMISSION)
    redaction = selectors.redaction_detail(pk=pk)
    breadcrumbs = [*_breadcrumbs(), ("Redactions", reverse("redaction:redaction_list"))]
    context = {"redaction": redaction, "breadcrumbs": breadcrumbs}
    return render(request, "redaction/redaction_detail.html", context)


def redaction_new(request):
    """Step one finds the text and shows where it stands; step two, confirmed from that
    preview, removes it."""
    permissions.require(request.user, PERMISSION)
    form = RedactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.is_confirmation:
                redaction, made = services.redact_text(actor=request.user, **data)
                if made:
                    messages.success(request, "The text was removed")
                return redirect(redaction)
            findings = selectors.find_text(text=data["text"])
            services.check_fits(
                findings=findings, text=data["text"], replacement=data["replacement"]
            )
        except services.PreviewOutOfDate as out_of_date:
            return _preview(request, form, out_of_date.preview, changed_since=True)
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages_)
        else:
            return _preview(request, form, findings)
    context = {"form": form, "breadcrumbs": _breadcrumbs()}
    return render(
        request, "redaction/redaction_form.html", context, status=400 if form.errors else 200
    )


def _preview(request, form, findings, *, changed_since=False):
    context = {
        "data": form.cleaned_data,
        "findings": findings,
        "token": uuid.uuid4(),
        "changed_since": changed_since,
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "redaction/redaction_preview.html", context)
