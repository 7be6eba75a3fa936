from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from figures import charts, library, selectors, services
from figures.forms import (
    CouncilProfileForm,
    FigureEntryForm,
    FigurePeriodForm,
    ImportProfileForm,
)
from figures.models import CouncilProfile, ImportProfile, PendingImport
from lacstrategy import permissions
from lacstrategy.forms import UploadForm
from lacstrategy.record_views import RecordFormView
from outcomes.models import Indicator, Outcome, Strategy
from outcomes.selectors import current_priority
from outcomes.views import outcome_crumbs, strategy_crumbs

SVG = "image/svg+xml"


def _indicator(pk):
    return get_object_or_404(
        Indicator.objects.select_related("outcome__strategy").prefetch_related(
            "priority_indicators__action_plan"
        ),
        pk=pk,
    )


def indicator_chart(request, pk):
    indicator = _indicator(pk)
    permissions.require(request.user, "lacstrategy.view_records", indicator)
    picture = selectors.indicator_picture(
        indicator=indicator, priority_indicator=current_priority(indicator)
    )
    if not picture.rows:
        raise Http404("This indicator has no figures to chart yet")
    svg = charts.cached_line_chart_svg(**selectors.chart_data(picture))
    return HttpResponse(svg, content_type=SVG)


def figure_entry(request, pk):
    """Quarterly data entry: one period, a figure for each numeric indicator of the strategy."""
    strategy = get_object_or_404(Strategy, pk=pk)
    permissions.require(request.user, "figures.enter_figures", strategy)
    indicators = list(
        Indicator.objects.filter(outcome__strategy=strategy)
        .exclude(unit=Indicator.Unit.QUALITATIVE)
        .select_related("outcome")
        .order_by("outcome__order", "outcome__number", "order", "pk")
    )
    data = request.POST or None
    period_form = FigurePeriodForm(data, prefix="period")
    entry_forms = [
        (indicator, FigureEntryForm(data, prefix=f"indicator-{indicator.pk}", indicator=indicator))
        for indicator in indicators
    ]
    forms = [period_form] + [form for _, form in entry_forms]
    status = 200
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            period = period_form.cleaned_data
            entered = [(i, f.cleaned_data) for i, f in entry_forms if f.has_entry]
            try:
                services.figures_enter(
                    entries=entered,
                    actor=request.user,
                    period_label=period["period_label"],
                    period_end=period["period_end"],
                )
            except ValidationError as error:
                period_form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request, f"{len(entered)} figures saved for {period['period_label']}"
                )
                return redirect(strategy)
        else:
            status = 400
    context = {
        "strategy": strategy,
        "period_form": period_form,
        "entry_forms": entry_forms,
        "forms": forms,
        "breadcrumbs": strategy_crumbs(strategy),
    }
    return render(request, "figures/figure_entry.html", context, status=status)


def import_upload(request, pk):
    indicator = _indicator(pk)
    permissions.require(request.user, "figures.import_figures", indicator)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        label="Upload a CSV file from explore-education-statistics",
        accept=".csv,text/csv",
    )
    status = 200
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.pending_import_create(
                indicator=indicator,
                actor=request.user,
                file_name=upload.name,
                data=upload.read(services.MAX_UPLOAD_BYTES + 1),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("figures:import_preview", pk=pending.pk)
    if form.errors:
        status = 400
    context = {
        "indicator": indicator,
        "form": form,
        "profile": getattr(indicator, "import_profile", None),
        "breadcrumbs": outcome_crumbs(indicator.outcome),
    }
    return render(request, "figures/import_upload.html", context, status=status)


def import_preview(request, pk):
    pending = get_object_or_404(
        PendingImport.objects.select_related("indicator__outcome__strategy"), pk=pk
    )
    permissions.require(request.user, "figures.import_figures", pending.indicator)
    preview = services.import_preview(
        indicator=pending.indicator, text=pending.content, source=pending.file_name
    )
    if request.method == "POST" and not preview.errors:
        return redirect(services.import_apply_start(pending=pending, actor=request.user))
    context = {
        "pending": pending,
        "indicator": pending.indicator,
        "preview": preview,
        "breadcrumbs": outcome_crumbs(pending.indicator.outcome),
    }
    return render(
        request, "figures/import_preview.html", context, status=400 if preview.errors else 200
    )


class ImportProfileEdit(RecordFormView):
    permission = "figures.manage_profiles"
    queryset = Indicator.objects.select_related("outcome__strategy")
    form_class = ImportProfileForm
    title = "Which rows of the DfE file hold this indicator"

    def form_kwargs(self):
        profile = ImportProfile.objects.filter(indicator=self.object).first()
        return {"instance": profile or ImportProfile(indicator=self.object)}

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)

    def save(self, form):
        services.import_profile_save(
            indicator=self.object, actor=self.request.user, **form.service_kwargs()
        )
        return self.object


class CouncilProfileEdit(RecordFormView):
    permission = "figures.manage_profiles"
    form_class = CouncilProfileForm
    title = "The council's codes and statistical neighbours"

    def new_instance(self):
        return selectors.council_profile() or CouncilProfile()

    def cancel_url(self):
        return reverse("figures:library")

    def save(self, form):
        services.council_profile_save(actor=self.request.user, **form.service_kwargs())
        return reverse("figures:library")


def standard_library(request):
    permissions.require(request.user, "lacstrategy.view_records")
    outcomes = Outcome.objects.exclude(strategy__status=Strategy.Status.ARCHIVED).select_related(
        "strategy"
    )
    adopted = set(
        Indicator.objects.exclude(standard_code="").values_list("standard_code", flat=True)
    )
    context = {
        "entries": library.standard_indicators(),
        "outcomes": outcomes,
        "adopted": adopted,
        "profile": selectors.council_profile(),
    }
    return render(request, "figures/library.html", context)


@require_POST
def adopt_standard(request):
    permissions.require(request.user, "outcomes.add_indicator")
    chosen = request.POST.get("outcome", "")
    valid = chosen.isdigit() and len(chosen) <= 18  # an id, not a number past the column's range
    outcome = Outcome.objects.filter(pk=int(chosen)).first() if valid else None
    if outcome is None:
        messages.error(request, "Choose the outcome to add the measure to")
        return redirect("figures:library")
    try:
        indicator = services.adopt_standard_indicator(
            outcome=outcome, code=request.POST.get("code", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("figures:library")
    messages.success(request, f"Added to outcome {outcome.number}: {indicator}")
    return redirect(indicator)
