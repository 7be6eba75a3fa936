"""The public page, for anyone, with no sign-in; and the administrator's page that approves
what it may show."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from figures.charts import line_chart_svg
from lacstrategy import permissions
from lacstrategy.downloads import csv_attachment
from lacstrategy.navigation import Item
from lacstrategy.selectors import council
from outcomes.models import Indicator, figure_text
from public import selectors, services
from public.models import PUBLISHABLE

NAVIGATION = [
    ("Our promises", "public:home"),
    ("You said, we did", "public:you_said_we_did"),
    ("How it is going", "public:measures"),
]


def _navigation(request):
    items = []
    for label, url_name in NAVIGATION:
        url = reverse(url_name)
        items.append(Item(label, url, "page" if request.path == url else ""))
    return items


def _public(request):
    """The strategy the page shows, and whether this is an administrator's preview. Nobody
    else sees anything while the council has the public page switched off."""
    settings = council()
    preview = not settings.public_site
    if preview and not permissions.allows(request.user, "public.approve_texts"):
        raise Http404("There is no public page")
    strategy = selectors.public_strategy()
    if strategy is None:
        raise Http404("There is no strategy yet")
    return strategy, {
        "preview": preview,
        "public_navigation": _navigation(request),
        "strategy": strategy,
        "below": settings.small_numbers_below,
    }


@login_not_required
def home(request):
    strategy, context = _public(request)
    plan, promises = selectors.promises(strategy=strategy)
    vision = selectors.approved([strategy], "vision").get(strategy.pk, "")
    pledge = selectors.approved([strategy], "pledge").get(strategy.pk, "")
    context.update(plan=plan, promises=promises, vision=vision, pledge=pledge)
    return render(request, "public/home.html", context)


@login_not_required
def you_said_we_did(request):
    strategy, context = _public(request)
    context["voices"] = selectors.public_voices(strategy=strategy)
    return render(request, "public/you_said_we_did.html", context)


@login_not_required
def measures(request):
    strategy, context = _public(request)
    titles = selectors.public_indicator_titles(strategy=strategy)
    indicators = Indicator.objects.filter(pk__in=titles).select_related("outcome")
    context["measures"] = [(indicator, titles[indicator.pk]) for indicator in indicators]
    return render(request, "public/measures.html", context)


def _measure(request, pk):
    strategy, context = _public(request)
    titles = selectors.public_indicator_titles(strategy=strategy)
    if pk not in titles:
        raise Http404("No such measure on the public page")
    indicator = get_object_or_404(Indicator, pk=pk)
    return context, selectors.public_indicator(indicator=indicator, title=titles[pk])


@login_not_required
def measure(request, pk):
    context, figures = _measure(request, pk)
    chart = (
        line_chart_svg(
            title=figures["title"],
            description=figures["words"],
            periods=figures["periods"],
            series=figures["series"],
            unit=figures["unit"],
        )
        if figures["periods"]
        else ""
    )
    context.update(figures=figures, chart=chart, pk=pk)
    return render(request, "public/measure.html", context)


@login_not_required
def measure_csv(request, pk):
    _, figures = _measure(request, pk)
    note = "Made up to show how the page works: not real" if figures["illustrative"] else ""
    rows = [["Measure", "Period", council().name or "This council", "England", "Note"]]
    for row in figures["rows"]:
        england = figure_text(row["england"], figures["unit"]) or "No figure"
        rows.append([figures["title"], row["period"], row["ours"], england, note])
    return csv_attachment(rows, f"measure-{pk}.csv")


def texts(request):
    """The council's texts the public page can show, each to approve or take off."""
    permissions.require(request.user, "public.approve_texts")
    strategy = selectors.public_strategy()
    plan, groups = selectors.candidates(strategy=strategy) if strategy else (None, [])
    return render(
        request,
        "public/texts.html",
        {"strategy": strategy, "plan": plan, "groups": groups, "settings": council()},
    )


def _record(label, pk):
    if label not in PUBLISHABLE:
        raise Http404("Nothing of that kind can be published")
    model = apps.get_model(label)
    return get_object_or_404(model, pk=pk)


@require_POST
def text_approve(request, label, pk):
    permissions.require(request.user, "public.approve_texts")
    record = _record(label, pk)
    try:
        services.texts_approve(record=record, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Approved for the public page")
    return redirect(f"{_texts_url()}#{label.replace('.', '')}-{pk}")


@require_POST
def text_withdraw(request, label, pk):
    permissions.require(request.user, "public.approve_texts")
    record = _record(label, pk)
    services.texts_withdraw(record=record, actor=request.user)
    messages.success(request, "Taken off the public page")
    return redirect(f"{_texts_url()}#{label.replace('.', '')}-{pk}")


def _texts_url():
    return reverse("public:texts")
