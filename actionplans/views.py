import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from actionplans import selectors, services
from actionplans.forms import (
    ActionForm,
    ActionPlanForm,
    PeriodForm,
    PlanAsAtForm,
    PlanFilterForm,
    PriorityIndicatorForm,
)
from actionplans.models import Action, ActionPlan, PlanImport, PriorityIndicator
from actionplans.plan_import import kept_upload_preview
from actionplans.plan_template import MAX_ROWS, MAX_UPLOAD_BYTES, template_xlsx
from lacstrategy import page_cache, permissions
from lacstrategy.downloads import attachment
from lacstrategy.forms import UploadForm
from lacstrategy.history import deletion_of
from lacstrategy.record_views import RecordDeleteView, RecordDetailView, RecordFormView
from lacstrategy.selectors import terms
from lacstrategy.services import EditConflict
from outcomes.models import Outcome, Strategy
from outcomes.selectors import commitments_without_action, strategy_outcomes
from outcomes.views import strategy_crumbs


def plan_crumbs(action_plan):
    return [
        *strategy_crumbs(action_plan.strategy),
        (f"Action plan {action_plan.year_label}", action_plan.get_absolute_url()),
    ]


def priority_crumbs(priority_indicator):
    return [
        *plan_crumbs(priority_indicator.action_plan),
        (
            f"{capfirst(terms().outcome)} {priority_indicator.outcome.number}",
            priority_indicator.outcome.get_absolute_url(),
        ),
        (capfirst(terms().priority), priority_indicator.get_absolute_url()),
    ]


# Action plans


class ActionPlanDetail(RecordDetailView):
    """The plan laid out as the council's document: outcome by outcome, with its actions."""

    template_name = "actionplans/plan_detail.html"

    def load(self):
        return selectors.action_plan_detail(pk=self.kwargs["pk"])

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)

    def extra_context(self):
        plan, request = self.object, self.request
        # The strategy's outcomes and owners, read once for the filter and the sections.
        outcomes = functools.cache(lambda: strategy_outcomes(strategy=plan.strategy))
        self.filter_form = form = PlanFilterForm(
            request.GET or None, action_plan=plan, outcomes=outcomes
        )
        filters = {}
        if form.is_bound:
            form.is_valid()  # filters that cannot be used are left off, and the page says so
            filters = form.filters
            if form.cleaned_data.get("mine"):
                filters["mine"] = request.user
        filtered = any(filters.values())

        # What follows is read only when the page's cached part is missing (page_cache).
        @functools.cache
        def sections():
            found = selectors.action_plan_sections(action_plan=plan, outcomes=outcomes(), **filters)
            for section in found:
                # Who may update an action depends on its outcome alone: ask once an outcome.
                section.can_edit_actions = permissions.allows(
                    request.user, "actionplans.change_action", section.outcome
                )
            return found

        return {
            "sections": sections,
            "filter_form": form,
            "filtered": filtered,
            "matches": functools.cache(lambda: sum(len(section.actions) for section in sections())),
            # By quarter alone: the model's order joins the plan and strategy to sort by them.
            "periods": plan.review_periods.order_by("quarter"),
            "commitments_without_action": (
                (lambda: None)
                if filtered
                else functools.cache(
                    lambda: commitments_without_action(action_plan=plan, outcomes=outcomes())
                )
            ),
            **page_cache.context(request, parameters=form.fields),
        }

    def status(self):
        return 400 if self.filter_form.errors else 200


class ActionPlanCreate(RecordFormView):
    permission = "actionplans.add_actionplan"
    queryset = Strategy.objects.all()
    pk_kwarg = "strategy_pk"
    form_class = ActionPlanForm
    title = "Add an action plan"

    def new_instance(self):
        return ActionPlan(strategy=self.object)

    def breadcrumbs(self):
        return strategy_crumbs(self.object)

    def save(self, form):
        return services.action_plan_create(
            strategy=self.object, actor=self.request.user, **form.service_kwargs()
        )


class ActionPlanEdit(RecordFormView):
    permission = "actionplans.change_actionplan"
    queryset = ActionPlan.objects.select_related("strategy")
    form_class = ActionPlanForm
    title = "Edit the action plan"

    def breadcrumbs(self):
        return plan_crumbs(self.object)

    def save(self, form):
        return services.action_plan_update(
            action_plan=self.object, actor=self.request.user, **form.service_kwargs()
        )


class ActionPlanDelete(RecordDeleteView):
    permission = "actionplans.delete_actionplan"
    queryset = ActionPlan.objects.select_related("strategy")

    def breadcrumbs(self):
        return plan_crumbs(self.object)

    def after_delete_url(self):
        return self.object.strategy.get_absolute_url()

    def delete(self, reason):
        services.action_plan_delete(action_plan=self.object, actor=self.request.user, reason=reason)


def plan_changes(request, pk):
    """What changed in the plan between two dates, read from the history."""
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    if "since_0" in request.GET:
        form = PeriodForm(request.GET)
    else:
        until = min(timezone.localdate(), plan.ends_on)
        form = PeriodForm(PeriodForm.data_for(since=plan.starts_on, until=until))
    changes = None
    if form.is_valid():
        changes = selectors.plan_changes_between(action_plan=plan, **form.cleaned_data)
    context = {"object": plan, "form": form, "changes": changes, "breadcrumbs": plan_crumbs(plan)}
    return render(request, "actionplans/plan_changes.html", context, status=200 if changes else 400)


def plan_as_at(request, pk):
    """Ask for a past date (GOV.UK date input), then show the plan's print view as it stood."""
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    form = PlanAsAtForm(request.GET if "as_at_0" in request.GET else None)
    if form.is_valid():
        url = reverse("reports:plan_document", args=[plan.pk])
        return redirect(f"{url}?as_at={form.cleaned_data['as_at'].isoformat()}")
    context = {"object": plan, "form": form, "breadcrumbs": plan_crumbs(plan)}
    return render(
        request, "actionplans/plan_as_at.html", context, status=400 if form.is_bound else 200
    )


def annual_review(request, pk):
    """The end of a plan year: every indicator's figures, to choose next year's priorities and
    roll the plan over."""
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    rows = selectors.annual_review(action_plan=plan)
    errors, status = [], 200
    if request.method == "POST":
        permissions.require(request.user, "actionplans.add_actionplan", plan)
        chosen = {
            row.indicator: request.POST.get(f"target-{row.indicator.pk}", "").strip()[:300]
            for row in rows
            if request.POST.get(f"keep-{row.indicator.pk}")
        }
        year = request.POST.get("next_year", "").strip()
        if not year.isdigit():
            errors.append("Enter next year's plan as the year it starts, for example 2017")
        if not chosen:
            errors.append(f"Choose at least one {terms().priority} for next year")
        if not errors:
            try:
                new_plan = services.plan_roll_over(
                    plan=plan, actor=request.user, financial_year_start=int(year), priorities=chosen
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(
                    request, f"The {new_plan.year_label} plan has been created as a draft"
                )
                return redirect(new_plan)
        status = 400
    context = {
        "object": plan,
        "rows": rows,
        "errors": errors,
        "next_year": request.POST.get("next_year", plan.financial_year_start + 1),
        "breadcrumbs": plan_crumbs(plan),
    }
    return render(request, "actionplans/annual_review.html", context, status=status)


def annual_summary(request, pk):
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    context = {
        "object": plan,
        **selectors.annual_summary(action_plan=plan),
        "breadcrumbs": plan_crumbs(plan),
    }
    return render(request, "actionplans/annual_summary.html", context)


# Priority indicators


class PriorityIndicatorDetail(RecordDetailView):
    template_name = "actionplans/priority_indicator_detail.html"

    def load(self):
        return selectors.priority_indicator_detail(pk=self.kwargs["pk"])

    def breadcrumbs(self):
        return plan_crumbs(self.object.action_plan)


class PriorityIndicatorCreate(RecordFormView):
    permission = "actionplans.add_priorityindicator"
    queryset = ActionPlan.objects.select_related("strategy")
    pk_kwarg = "plan_pk"
    form_class = PriorityIndicatorForm

    @property
    def title(self):
        return f"Choose {terms().a_priority}"

    def new_instance(self):
        return PriorityIndicator(action_plan=self.object)

    def form_kwargs(self):
        indicators = selectors.indicators_for_plan(action_plan=self.object)
        return {**super().form_kwargs(), "indicators": indicators}

    def breadcrumbs(self):
        return plan_crumbs(self.object)

    def save(self, form):
        return services.priority_indicator_create(
            action_plan=self.object, actor=self.request.user, **form.service_kwargs()
        )


class PriorityIndicatorEdit(RecordFormView):
    permission = "actionplans.change_priorityindicator"
    queryset = PriorityIndicator.objects.select_related(
        "action_plan__strategy", "indicator__outcome"
    )
    form_class = PriorityIndicatorForm

    @property
    def title(self):
        return f"Edit the {terms().priority}"

    def form_kwargs(self):
        indicators = selectors.indicators_for_plan(action_plan=self.object.action_plan)
        return {**super().form_kwargs(), "indicators": indicators}

    def breadcrumbs(self):
        return priority_crumbs(self.object)

    def save(self, form):
        return services.priority_indicator_update(
            priority_indicator=self.object, actor=self.request.user, **form.service_kwargs()
        )


class PriorityIndicatorDelete(RecordDeleteView):
    permission = "actionplans.delete_priorityindicator"
    queryset = PriorityIndicator.objects.select_related(
        "action_plan__strategy", "indicator__outcome"
    )

    def breadcrumbs(self):
        return priority_crumbs(self.object)

    def after_delete_url(self):
        return self.object.action_plan.get_absolute_url()

    def delete(self, reason):
        services.priority_indicator_delete(
            priority_indicator=self.object, actor=self.request.user, reason=reason
        )


# Actions

ACTION_QUERYSET = Action.objects.select_related(
    "priority_indicator__action_plan__strategy", "priority_indicator__indicator__outcome"
).prefetch_related("priority_indicator__indicator__outcome__owners")


class ActionDetail(RecordDetailView):
    template_name = "actionplans/action_detail.html"

    def load(self):
        return selectors.action_detail(pk=self.kwargs["pk"])

    def breadcrumbs(self):
        return priority_crumbs(self.object.priority_indicator)


class ActionCreate(RecordFormView):
    permission = "actionplans.add_action"
    queryset = PriorityIndicator.objects.select_related(
        "action_plan__strategy", "indicator__outcome"
    ).prefetch_related("indicator__outcome__owners")
    pk_kwarg = "priority_pk"
    form_class = ActionForm
    title = "Add an action"

    def new_instance(self):
        return Action(priority_indicator=self.object)

    def breadcrumbs(self):
        return priority_crumbs(self.object)

    def save(self, form):
        return services.action_create(
            priority_indicator=self.object, actor=self.request.user, **form.service_kwargs()
        )


class ActionEdit(RecordFormView):
    permission = "actionplans.change_action"
    queryset = ACTION_QUERYSET
    form_class = ActionForm
    title = "Edit the action"

    def breadcrumbs(self):
        return [
            *priority_crumbs(self.object.priority_indicator),
            ("Action", self.object.get_absolute_url()),
        ]

    def save(self, form):
        return services.action_update(
            action=self.object, actor=self.request.user, **form.service_kwargs()
        )


class ActionDelete(RecordDeleteView):
    permission = "actionplans.delete_action"
    queryset = ACTION_QUERYSET

    def breadcrumbs(self):
        return [
            *priority_crumbs(self.object.priority_indicator),
            ("Action", self.object.get_absolute_url()),
        ]

    def after_delete_url(self):
        return self.object.priority_indicator.action_plan.get_absolute_url()

    def delete(self, reason):
        services.action_delete(action=self.object, actor=self.request.user, reason=reason)


# The plan as a spreadsheet: export, blank template and import


def _spreadsheet(rows, *, title, file_name):
    statuses = [label for _, label in Action.Status.choices]
    return attachment(template_xlsx(rows, title=title, statuses=statuses), file_name)


def plan_spreadsheet(request, pk):
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    return _spreadsheet(
        selectors.plan_template_rows(action_plan=plan),
        title=f"Action plan {plan.year_label}",
        file_name=f"action-plan-{plan.year_label}.xlsx",
    )


def plan_spreadsheet_template(request):
    permissions.require(request.user, "lacstrategy.view_records")
    return _spreadsheet([], title="Action plan template", file_name="action-plan-template.xlsx")


def plan_import_upload(request, pk):
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "actionplans.import_plan", plan)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        label="Upload the plan as an Excel workbook (.xlsx) or a CSV file",
        accept=".xlsx,.csv",
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.plan_import_create(
                action_plan=plan,
                actor=request.user,
                file_name=upload.name,
                data=upload.read(MAX_UPLOAD_BYTES + 1),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("actionplans:plan_import_preview", pk=pending.pk)
    context = {
        "plan": plan,
        "form": form,
        "waiting": selectors.plan_imports_waiting(action_plan=plan),
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_rows": f"{MAX_ROWS:,}",
        "breadcrumbs": plan_crumbs(plan),
    }
    return render(
        request, "actionplans/plan_import_upload.html", context, status=400 if form.errors else 200
    )


def _plan_import(request, pk):
    """The upload, or UploadGone if it was imported or discarded (a second click); else 404."""
    pending = (
        PlanImport.objects.select_related("action_plan__strategy", "uploaded_by")
        .filter(pk=pk)
        .first()
    )
    if pending is None:
        gone = deletion_of(PlanImport, pk)
        if gone is None:
            raise Http404
        plan = get_object_or_404(ActionPlan, pk=gone.action_plan_id)
        permissions.require(request.user, "actionplans.import_plan", plan)
        raise services.UploadGone(plan)
    permissions.require(request.user, "actionplans.import_plan", pending.action_plan)
    return pending


def _import_gone(request, gone):
    """`gone` names the plan the upload was for."""
    messages.success(request, "That upload has already been imported or discarded")
    return redirect(gone.args[0])


def plan_import_confirm(request, pk):
    """The dry run of an upload; confirming it saves everything it shows, or nothing."""
    try:
        pending = _plan_import(request, pk)
    except services.UploadGone as gone:
        return _import_gone(request, gone)
    plan = pending.action_plan
    out_of_date, preview = False, None
    if request.method == "POST":
        try:
            preview = services.plan_import_apply(
                plan_import=pending,
                actor=request.user,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except services.PreviewOutOfDate as error:
            out_of_date, preview = True, error.preview
        except EditConflict:
            out_of_date = True
        except services.UploadGone:
            messages.success(request, f"{pending.file_name} has already been imported or discarded")
            return redirect(plan)
        except ValidationError as error:
            preview = getattr(error, "preview", None)  # shown below
        else:
            messages.success(
                request,
                f"Imported {pending.file_name}: {preview.created_count} added, "
                f"{preview.updated_count} changed, {preview.unchanged_count} left as they were",
            )
            return redirect(plan)
    if preview is None:  # a first look, or a save refused part way (the records have moved on)
        preview = kept_upload_preview(plan=plan, parsed=pending.parsed, actor=request.user)
    context = {
        "pending": pending,
        "plan": plan,
        "preview": preview,
        "out_of_date": out_of_date,
        "breadcrumbs": plan_crumbs(plan),
    }
    status = 400 if preview.errors else 409 if out_of_date else 200
    return render(request, "actionplans/plan_import_preview.html", context, status=status)


@require_POST
def outcome_priority(request, plan_pk, outcome_pk):
    """Plan actions for an outcome as a whole: its statement priority, then a new action."""
    plan = get_object_or_404(ActionPlan, pk=plan_pk)
    outcome = get_object_or_404(Outcome, pk=outcome_pk, strategy_id=plan.strategy_id)
    permissions.require(request.user, "actionplans.plan_outcome_as_a_whole", plan)
    priority = services.outcome_priority(action_plan=plan, outcome=outcome, actor=request.user)
    return redirect("actionplans:action_create", priority_pk=priority.pk)


@require_POST
def plan_import_discard(request, pk):
    try:
        pending = _plan_import(request, pk)
        services.plan_import_discard(plan_import=pending, actor=request.user)
    except services.UploadGone as gone:
        return _import_gone(request, gone)
    messages.success(request, f"{pending.file_name} was discarded: nothing from it was saved")
    return redirect("actionplans:plan_import_upload", pk=pending.action_plan_id)
