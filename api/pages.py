"""The service's pages about the feed: its guide, and an administrator's pages that issue,
show and revoke a person's API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from api import services
from api.models import ApiToken
from api.urls import urlpatterns as feed_urls
from lacstrategy import permissions
from lacstrategy.forms import plain_errors


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, the Power BI performance dashboard. It helps when you look "
        "back at what used it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_errors(self.fields["name"])


def feed_guide(request):
    """How a council's reporting tools read the records: the addresses, tokens, CSV."""
    permissions.require(request.user, "lacstrategy.view_records")
    lists = [p.name for p in feed_urls if p.name != "schema"]
    return render(request, "api/guide.html", {"lists": lists})


def token_create(request, pk):
    permissions.require(request.user, "lacstrategy.manage_people")
    person = get_object_or_404(get_user_model(), pk=pk)
    form = TokenForm(request.POST or None)
    crumbs = [
        ("People and roles", reverse("people_list")),
        (str(person), person.get_absolute_url()),
    ]
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_issue(
                user=person, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("name" if hasattr(error, "error_dict") else None, error.messages)
        else:
            # The key is shown on this answer only: it is not kept.
            response = render(
                request,
                "api/token_issued.html",
                {"token": token, "key": key, "person": person, "breadcrumbs": crumbs},
            )
            response["Cache-Control"] = "no-store"
            return response
    status = 400 if form.errors else 200
    context = {"form": form, "person": person, "breadcrumbs": crumbs}
    return render(request, "api/token_form.html", context, status=status)


def token_detail(request, pk):
    permissions.require(request.user, "lacstrategy.manage_people")
    token = get_object_or_404(ApiToken.objects.select_related("user", "issued_by"), pk=pk)
    page = Paginator(token.calls.all(), 50).get_page(request.GET.get("page"))
    crumbs = [
        ("People and roles", reverse("people_list")),
        (str(token.user), token.user.get_absolute_url()),
    ]
    context = {"object": token, "page_obj": page, "calls": page.object_list, "breadcrumbs": crumbs}
    return render(request, "api/token_detail.html", context)


@require_POST
def token_revoke(request, pk):
    permissions.require(request.user, "lacstrategy.manage_people")
    token = get_object_or_404(ApiToken, pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, f"{token.name}: revoked. It can no longer read the records.")
    return redirect(token)
