from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from actionplans import selectors, services
from actionplans.forms import ActionForm, ActionPlanForm, PeriodForm, PriorityIndicatorForm
from actionplans.models import Action, ActionPlan, PriorityIndicator
from lacstrategy import permissions
from lacstrategy.record_views import RecordDeleteView, RecordDetailView, RecordFormView
from outcomes.models import Strategy
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
            f"Outcome {priority_indicator.outcome.number}",
            priority_indicator.outcome.get_absolute_url(),
        ),
        ("Priority indicator", priority_indicator.get_absolute_url()),
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
        return {
            "sections": selectors.action_plan_sections(action_plan=self.object),
            "periods": self.object.review_periods.all(),
        }


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
            errors.append("Choose at least one priority indicator for next year")
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
    title = "Choose a priority indicator"

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
    title = "Edit the priority indicator"

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
