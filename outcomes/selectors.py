"""Reads for strategies, outcomes and indicators, with the joins each page needs up front."""

from django.db.models import Count, Prefetch

from actionplans.models import ActionPlan
from figures.selectors import figures_prefetch
from outcomes.models import Indicator, Outcome, Strategy


def strategy_list():
    return Strategy.objects.annotate(
        outcome_count=Count("outcomes", distinct=True),
        plan_count=Count("action_plans", distinct=True),
    )


def strategy_detail(*, pk):
    """A strategy with its outcomes, their owners and indicators, and its plans."""
    return Strategy.objects.prefetch_related(
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.prefetch_related("owners", "indicators"),
        ),
        Prefetch("action_plans", queryset=ActionPlan.objects.order_by("financial_year_start")),
    ).get(pk=pk)


def outcome_detail(*, pk):
    return (
        Outcome.objects.select_related("strategy")
        .prefetch_related(
            "owners",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    "priority_indicators__action_plan", figures_prefetch()
                ),
            ),
        )
        .get(pk=pk)
    )


def current_priority(indicator):
    """The indicator's priority in the latest plan (prefetched), for its target."""
    priorities = indicator.priority_indicators.all()
    return max(priorities, key=lambda p: p.action_plan.financial_year_start, default=None)


def indicator_detail(*, pk):
    return (
        Indicator.objects.select_related("outcome__strategy")
        .prefetch_related("priority_indicators__action_plan", "outcome__owners")
        .get(pk=pk)
    )


def outcomes_owned_by(*, user):
    return (
        Outcome.objects.filter(owners=user)
        .exclude(strategy__status=Strategy.Status.ARCHIVED)
        .select_related("strategy")
    )
