"""Reads for strategies, outcomes and indicators, with the joins each page needs up front."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils.text import capfirst

from actionplans.models import Action, ActionPlan
from figures.selectors import figures_prefetch, latest_figure
from frameworks.selectors import TAGS_WITH_FRAMEWORKS
from lacstrategy.selectors import terms
from outcomes.models import Commitment, Indicator, Outcome, Strategy


def strategy_list():
    """The newest first. (A query with counts ignores the model's default order: it is given.)"""
    return Strategy.objects.annotate(
        outcome_count=Count("outcomes", distinct=True),
        plan_count=Count("action_plans", distinct=True),
    ).order_by(*Strategy._meta.ordering)


def strategy_detail(*, pk):
    """A strategy with its groups, outcomes (their owners, indicators and commitments), its
    sections and its plans."""
    return Strategy.objects.prefetch_related(
        "groups",
        "sections",
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.select_related("group").prefetch_related(
                "owners", "indicators", "commitments"
            ),
        ),
        Prefetch("action_plans", queryset=ActionPlan.objects.order_by("financial_year_start")),
    ).get(pk=pk)


def strategy_outcomes(*, strategy):
    """A strategy's outcomes with their group and owners, in the strategy's order. Each holds
    `strategy` (a record), which is not read again with every outcome."""
    outcomes = list(
        Outcome.objects.filter(strategy=strategy).select_related("group").prefetch_related("owners")
    )
    for outcome in outcomes:
        outcome.strategy = strategy
    return outcomes


def outcomes_by_heading(outcomes, *, plan_headings=False):
    """A strategy's outcomes (with their groups; as they are now, or as a plan's were at a
    date) under the headings the council gives them: [(heading, [outcome...])]. The heading is
    the group's name where the strategy has groups, else the kind's where it sorts its outcomes
    into kinds, else '' for one list; outcomes outside every group or kind come last, as
    "Other ...". Plan headings that are not outcomes are left out, or with `plan_headings`
    come after the outcomes, each the heading of its own list."""
    every = list(outcomes)
    outcomes = [o for o in every if not o.is_heading]
    headings = [o for o in every if o.is_heading] if plan_headings else []
    kinds = [Outcome.Kind.DELIVERY, Outcome.Kind.OUTCOME, Outcome.Kind.NONE]
    words = terms()
    other = f"Other {words.outcomes}"

    if any(o.group_id for o in outcomes):

        def place(o):
            return (o.group.number, str(o.group)) if o.group else (10_000, other)

    elif any(o.kind for o in outcomes):

        def place(o):
            name = capfirst(f"{words.kinds[o.kind]} {words.outcomes}") if o.kind else other
            return (kinds.index(o.kind), name)

    else:

        def place(o):
            return (0, "")

    sections = []
    for outcome in sorted(outcomes, key=lambda o: (place(o), o.order, o.number)) + sorted(
        headings, key=lambda o: (o.order, o.number)
    ):
        heading = outcome.statement if outcome.is_heading else place(outcome)[1]
        if not sections or sections[-1][0] != heading or outcome.is_heading:
            sections.append((heading, []))
        sections[-1][1].append(outcome)
    return sections


def commitments_without_action(*, action_plan, outcomes=None):
    """The strategy's commitments that no action in this plan says it delivers; None where
    the strategy lists no commitments (so there is nothing to say).

    `outcomes`: the strategy's, as strategy_outcomes reads them, where the caller has them
    (each commitment's outcome is then one of those, not read again with it)."""
    # Whether an action of this plan delivers each: from the link table's index, not a count
    # over every year's actions.
    delivered = Action.commitments.through.objects.filter(
        commitment=OuterRef("pk"), action__priority_indicator__action_plan=action_plan
    )
    # Without a join only to sort: sorted below, by the outcomes read with them or given.
    commitments = (
        Commitment.objects.filter(outcome__strategy_id=action_plan.strategy_id)
        .annotate(delivered=Exists(delivered))
        .order_by()
    )
    if outcomes is None:
        commitments = commitments.select_related("outcome__group", "outcome__strategy")
    commitments = list(commitments)
    outcome_of = {outcome.pk: outcome for outcome in outcomes or ()}
    missing = []
    for commitment in commitments:
        if not commitment.delivered:
            if commitment.outcome_id in outcome_of:  # else read with it, or one added since
                commitment.outcome = outcome_of[commitment.outcome_id]
            missing.append(commitment)
    missing.sort(key=lambda c: (c.outcome.order, c.outcome.number, c.order, c.pk))
    return missing if commitments else None


def outcome_detail(*, pk):
    return (
        Outcome.objects.select_related("strategy", "group")
        .prefetch_related(
            "owners",
            TAGS_WITH_FRAMEWORKS,
            "commitments__actions",
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


def outcome_indicator_rows(*, outcome):
    """For each indicator of an outcome from outcome_detail: the indicator, its latest figure
    against its current target, and its figures' values oldest first, for its sparkline (the
    figures are prefetched oldest first)."""
    return [
        (
            indicator,
            latest_figure(indicator, current_priority(indicator)),
            [figure.value for figure in indicator.figures.all()],
        )
        for indicator in outcome.indicators.all()
    ]


def indicator_detail(*, pk):
    return (
        Indicator.objects.select_related("outcome__strategy")
        .prefetch_related(
            "priority_indicators__action_plan", "outcome__owners", "framework_items__framework"
        )
        .get(pk=pk)
    )


def outcomes_owned_by(*, user):
    return (
        Outcome.objects.filter(owners=user)
        .exclude(strategy__status=Strategy.Status.ARCHIVED)
        .select_related("strategy", "group")
    )


def actions_delivering(*, commitment):
    """The plan actions that say they deliver this commitment, latest plan first."""
    return (
        Action.objects.filter(commitments=commitment)
        .select_related("priority_indicator__action_plan")
        .order_by("-priority_indicator__action_plan__financial_year_start", "order", "pk")
    )
