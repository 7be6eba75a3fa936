import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actionplans.models import ActionPlan
from actionplans.views import plan_crumbs
from figures import charts
from lacstrategy import permissions
from lacstrategy.downloads import attachment
from lacstrategy.record_views import RecordDetailView, RecordFormView
from lacstrategy.selectors import council
from outcomes.models import Strategy
from reports import excel, selectors, services, word
from reports.forms import STRATEGY_TYPES, ReportForm
from reports.models import CommitteeReport
from reviews.models import ReviewPeriod

# What an issued report froze: large, and read only by its print view, PDF and Word.
ISSUED = ("issued_data", "issued_html", "issued_pdf")


REPORT_RELATED = ("period__action_plan__strategy", "strategy", "action_plan")


def _report(pk):
    return get_object_or_404(
        CommitteeReport.objects.select_related(*REPORT_RELATED, "issued_by"), pk=pk
    )


def report_list(request):
    permissions.require(request.user, "lacstrategy.view_records")
    reports = CommitteeReport.objects.defer(*ISSUED)
    periods = ReviewPeriod.objects.order_by("-quarter").prefetch_related(
        Prefetch("reports", queryset=reports)
    )
    plans = ActionPlan.objects.order_by("-financial_year_start").prefetch_related(
        Prefetch("review_periods", queryset=periods),
        Prefetch("reports", queryset=reports.filter(report_type=CommitteeReport.Type.ANNUAL)),
    )
    on_strategy = reports.filter(report_type__in=STRATEGY_TYPES).select_related("action_plan")
    strategies = Strategy.objects.order_by("-period_start", "pk").prefetch_related(
        Prefetch("action_plans", queryset=plans), Prefetch("reports", queryset=on_strategy)
    )
    return render(request, "reports/report_list.html", {"strategies": strategies})


class ReportDetail(RecordDetailView):
    template_name = "reports/report_detail.html"

    def load(self):
        return _report(self.kwargs["pk"])

    def breadcrumbs(self):
        return [("Reports", reverse("reports:report_list"))]

    def extra_context(self):
        report = self.object
        same = {"period": report.period}
        if not report.is_quarterly:
            same.update(
                report_type=report.report_type,
                strategy=report.strategy,
                action_plan=report.action_plan,
            )
        versions = CommitteeReport.objects.filter(**same).defer(*ISSUED).order_by("number")
        context = {
            "seen_at": timezone.now().isoformat(),
            "versions": versions,
            "unwritten": selectors.unwritten_sections_message(report),
        }
        if report.is_quarterly and not report.is_issued:
            moment = selectors.report_moment(report)
            context["describes"] = report.get_describes_display()
            if report.describes != CommitteeReport.Describes.NOW:
                context["describes"] = selectors.moment_words(report, moment)
                context["entered_after"] = selectors.entered_after(
                    period=report.period, moment=moment
                )
        return context


class ReportCreate(RecordFormView):
    permission = "reports.write_reports"
    queryset = ReviewPeriod.objects.select_related("action_plan__strategy")
    pk_kwarg = "period_pk"
    form_class = ReportForm
    title = "Write a quarterly progress report"

    def new_instance(self):
        period = self.object
        return CommitteeReport(
            period=period,
            body=council().committee,
            meeting_on=period.meeting_on,
            title=f"{period.action_plan.strategy}: progress in Q{period.quarter} "
            f"{period.action_plan.year_label}",
        )

    def breadcrumbs(self):
        return [("Reports", reverse("reports:report_list"))]

    def cancel_url(self):
        return reverse("reports:report_list")

    def save(self, form):
        return services.report_create(
            period=self.object, actor=self.request.user, **form.service_kwargs()
        )


class AnnualReportCreate(ReportCreate):
    """An annual report on a plan year, started from the reports list."""

    queryset = ActionPlan.objects.select_related("strategy")
    pk_kwarg = "plan_pk"
    title = "Write an annual report"

    def new_instance(self):
        plan = self.object
        return CommitteeReport(
            report_type=CommitteeReport.Type.ANNUAL,
            strategy=plan.strategy,
            action_plan=plan,
            body=council().committee,
            title=f"{plan.strategy}: annual report {plan.year_label}",
        )

    def save(self, form):
        plan = self.object
        return services.report_create(
            report_type=CommitteeReport.Type.ANNUAL,
            strategy=plan.strategy,
            action_plan=plan,
            actor=self.request.user,
            **form.service_kwargs(),
        )


class StrategyReportCreate(ReportCreate):
    """A report on a strategy that is not on a quarter: its approval, or anything else."""

    queryset = Strategy.objects.all()
    pk_kwarg = "strategy_pk"
    title = "Write a report on the strategy"

    def new_instance(self):
        return CommitteeReport(
            report_type=CommitteeReport.Type.STRATEGY_APPROVAL,
            strategy=self.object,
            action_plan=self.object.action_plans.order_by("financial_year_start").first(),
            body=council().committee,
            title=str(self.object),
        )

    def save(self, form):
        return services.report_create(
            strategy=self.object, actor=self.request.user, **form.service_kwargs()
        )


class ReportEdit(RecordFormView):
    permission = "reports.write_reports"
    queryset = CommitteeReport.objects.select_related(*REPORT_RELATED)
    form_class = ReportForm
    title = "Write the report's narrative"

    def breadcrumbs(self):
        return [
            ("Reports", reverse("reports:report_list")),
            (self.object.title, self.object.get_absolute_url()),
        ]

    def save(self, form):
        return services.report_update(
            report=self.object, actor=self.request.user, **form.service_kwargs()
        )


def _report_context(request, report, *, charts=True):
    if report.is_issued:
        return {"data": selectors.with_terms(report.issued_data), "report": report}
    return {"data": selectors.report_data(report=report, charts=charts), "report": report}


def report_print(request, pk):
    report = _report(pk)
    permissions.require(request.user, "lacstrategy.view_records", report)
    if report.is_issued:
        return HttpResponse(report.issued_html)
    return render(request, "reports/report_document.html", _report_context(request, report))


def report_pdf(request, pk):
    """An issued report's PDF, as issued. A draft's is made on request (report_draft_pdf)."""
    report = _report(pk)
    permissions.require(request.user, "lacstrategy.view_records", report)
    if not report.is_issued:
        raise Http404("A draft has no stored PDF: make one with the button on its page")
    return attachment(bytes(report.issued_pdf), f"report-v{report.number}.pdf")


@require_POST
def report_draft_pdf(request, pk):
    report = _report(pk)
    permissions.require(request.user, "lacstrategy.view_records", report)
    return redirect(
        services.document_pdf_start(document="report", record=report, actor=request.user)
    )


def report_docx(request, pk):
    report = _report(pk)
    permissions.require(request.user, "lacstrategy.view_records", report)
    # Word draws its charts as pictures from their series: no SVG needed.
    data = _report_context(request, report, charts=False)["data"]
    return attachment(
        word.report_docx(data, chart_png=charts.cached_line_chart_png),
        f"report-v{report.number}.docx",
    )


def _seen_at(text):
    """When the page with the Issue button was drawn, as it sent it back; None if unreadable."""
    try:
        moment = datetime.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


@require_POST
def report_issue(request, pk):
    report = _report(pk)
    permissions.require(request.user, "reports.write_reports", report)
    try:
        job = services.report_issue_start(
            report=report, actor=request.user, seen_at=_seen_at(request.POST.get("seen_at"))
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    return redirect(job)


@require_POST
def report_new_version(request, pk):
    report = _report(pk)
    permissions.require(request.user, "reports.write_reports", report)
    try:
        draft = services.report_new_version(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, f"Version {draft.number} is a new draft")
    return redirect("reports:report_edit", pk=draft.pk)


# The plan and strategy documents


def _plan(request, pk):
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    as_at = selectors.parse_as_at(request.GET.get("as_at"))
    return plan, selectors.plan_document(action_plan=plan, as_at=as_at)


def plan_document(request, pk, fmt="html"):
    plan, data = _plan(request, pk)
    name = f"action-plan-{plan.year_label}"
    context = {"data": data, "plan": plan, "breadcrumbs": plan_crumbs(plan)}
    if fmt == "docx":
        return attachment(word.plan_docx(data), f"{name}.docx")
    if fmt == "xlsx":
        return attachment(excel.plan_xlsx(data), f"{name}.xlsx")
    return render(request, "reports/plan_document.html", context)


@require_POST
def plan_pdf(request, pk):
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    as_at = selectors.parse_as_at(request.GET.get("as_at"))
    return redirect(
        services.document_pdf_start(document="plan", record=plan, actor=request.user, as_at=as_at)
    )


@require_POST
def strategy_pdf(request, pk):
    strategy = get_object_or_404(Strategy, pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", strategy)
    return redirect(
        services.document_pdf_start(document="strategy", record=strategy, actor=request.user)
    )


def strategy_document(request, pk, fmt="html"):
    strategy = get_object_or_404(Strategy, pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", strategy)
    data = selectors.strategy_document(strategy=strategy)
    context = {"data": data, "strategy": strategy}
    if fmt == "docx":
        return attachment(word.strategy_docx(data), "strategy.docx")
    if fmt == "xlsx":
        return attachment(excel.strategy_xlsx(data), "strategy.xlsx")
    return render(request, "reports/strategy_document.html", context)
