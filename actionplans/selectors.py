"""Reads for action plans, laid out outcome by outcome as the council's plan document is."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from actionplans.models import Action, ActionPlan, PriorityIndicator
from outcomes.models import Outcome


@dataclass
class OutcomeSection:
    """One outcome's part of the plan: its priority areas and the actions that serve them."""

    outcome: Outcome
    priority_indicators: list = field(default_factory=list)
    actions: list = field(default_factory=list)


def action_plan_list(*, strategy=None):
    plans = ActionPlan.objects.select_related("strategy").annotate(
        priority_count=Count("priority_indicators", distinct=True),
        action_count=Count("priority_indicators__actions", distinct=True),
    )
    return plans.filter(strategy=strategy) if strategy else plans


def action_plan_detail(*, pk):
    return ActionPlan.objects.select_related("strategy").get(pk=pk)


def action_plan_sections(*, action_plan):
    """Every outcome of the plan's strategy, with this year's priority indicators and actions.

    Four queries whatever the size of the plan; the actions keep the plan's order within
    each outcome.
    """
    outcomes = Outcome.objects.filter(strategy_id=action_plan.strategy_id).prefetch_related(
        "owners"
    )
    sections = {outcome.pk: OutcomeSection(outcome=outcome) for outcome in outcomes}
    priority_indicators = (
        PriorityIndicator.objects.filter(action_plan=action_plan)
        .select_related("indicator")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.prefetch_related("lead_users"))
        )
        .order_by("indicator__order", "order", "pk")
    )
    for priority_indicator in priority_indicators:
        section = sections[priority_indicator.indicator.outcome_id]
        # Reuse the prefetched outcome so permission checks read its owners without a query.
        priority_indicator.indicator.outcome = section.outcome
        section.priority_indicators.append(priority_indicator)
        section.actions.extend(priority_indicator.actions.all())
    for section in sections.values():
        section.actions.sort(key=lambda action: (action.order, action.pk))
    return list(sections.values())


def priority_indicator_detail(*, pk):
    return (
        PriorityIndicator.objects.select_related(
            "action_plan__strategy", "indicator__outcome__strategy"
        )
        .prefetch_related(
            "indicator__outcome__owners",
            Prefetch("actions", queryset=Action.objects.prefetch_related("lead_users")),
        )
        .get(pk=pk)
    )


def action_detail(*, pk):
    return (
        Action.objects.select_related(
            "priority_indicator__action_plan__strategy",
            "priority_indicator__indicator__outcome",
        )
        .prefetch_related("lead_users", "priority_indicator__indicator__outcome__owners")
        .get(pk=pk)
    )


def indicators_for_plan(*, action_plan):
    """Indicators of the plan's strategy, for choosing a priority indicator."""
    from outcomes.models import Indicator

    return (
        Indicator.objects.filter(outcome__strategy_id=action_plan.strategy_id)
        .select_related("outcome")
        .order_by("outcome__order", "outcome__number", "order", "pk")
    )
