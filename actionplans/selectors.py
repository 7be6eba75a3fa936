"""Reads for action plans, laid out outcome by outcome as the council's plan document is."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, partialmethod

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action, ActionPlan, PlanImport, PriorityIndicator, Rag
from figures.models import IndicatorFigure
from figures.selectors import (
    direction_of_travel,
    figures_prefetch,
    latest_figure,
    rag_for,
    trends_and_latest,
)
from frameworks.selectors import TAGS_WITH_FRAMEWORKS
from lacstrategy.history import m2m_history_fields, states_at
from outcomes.models import Indicator, Outcome
from outcomes.selectors import outcomes_by_heading, strategy_outcomes


@dataclass
class OutcomeSection:
    """One outcome's part of the plan: its priority areas and the actions that serve them."""

    outcome: Outcome
    priority_indicators: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    # The group or kind heading that starts here, where the strategy has them.
    heading: object = ""
    # Actions under other outcomes that also serve this one's priorities.
    shared_actions: list = field(default_factory=list)
    # Whether the viewer may update this outcome's actions: the same for each of them, so the
    # view asks the permissions once an outcome.
    can_edit_actions: bool = False

    @cached_property
    def rag_counts(self):
        """(label, count) for each rating, worst first, so the summary table reads in words."""
        counted = Counter(action.rag for action in self.actions)
        order = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED)
        return [(rating.label, counted[rating.value]) for rating in order]

    @cached_property
    def status_counts(self):
        """(label, count) for each status the outcome's actions have, in the status order."""
        counted = Counter(action.status for action in self.actions)
        return [(label, counted[value]) for value, label in Action.Status.choices if counted[value]]


class PlanAction:
    """An action as the plan page lists it: read as values, not as a record, because making
    500 records costs more than reading their rows. What it says of itself (its name, its
    target, its status and rating in words) is what an Action says."""

    FIELDS = (
        "pk",
        "priority_indicator_id",
        "reference",
        "description",
        "undertaken_by",
        "target_date",
        "target_text",
        "comment",
        "status",
        "rag",
        "order",
    )
    __slots__ = (*FIELDS, "url", "edit_url", "also_serves_names")

    def __init__(self, values):
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)

    __str__ = Action.__str__
    short_description = Action.short_description
    target_display = Action.target_display

    # Made as Django makes a model's get_FOO_display, from the same method and fields.
    get_status_display = partialmethod(
        Action._get_FIELD_display, field=Action._meta.get_field("status")
    )
    get_rag_display = partialmethod(Action._get_FIELD_display, field=Action._meta.get_field("rag"))


def _url_for_each(name):
    """reverse(name, args=[pk]) for any number of pks at the cost of one reverse()."""
    marker = 9876543210
    before, _, after = reverse(name, args=[marker]).partition(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def _count_of(queryset, field):
    """How many rows of `queryset` point to the outer plan, as a subquery: each plan's own rows
    from the index on `field`, not a distinct count over every plan's rows joined. COUNT(*),
    not of the ids, so that PostgreSQL counts from the index alone (half the time at 500)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(counted.annotate(n=Count("*")).values("n")), 0)


def action_plan_list(*, strategy=None):
    plans = ActionPlan.objects.select_related("strategy").annotate(
        priority_count=_count_of(PriorityIndicator.objects.all(), "action_plan"),
        action_count=_count_of(Action.objects.all(), "priority_indicator__action_plan"),
    )
    return plans.filter(strategy=strategy) if strategy else plans


def action_plan_detail(*, pk):
    return ActionPlan.objects.select_related("strategy").get(pk=pk)


def action_filter(*, outcome=None, owner=None, statuses=(), rags=(), mine=None):
    """The actions the plan page's filter asks for, as a condition on Action (None: all).

    `outcome` and `owner` may be records or ids; `rags` may include "" for not rated; `mine`
    is a person: actions on the outcomes they own or that they lead."""
    conditions = Q()
    if outcome:
        conditions &= Q(priority_indicator__indicator__outcome=outcome)
    if owner:
        # A subquery, so an outcome with several owners does not list its actions twice.
        owned = Outcome.objects.filter(owners=owner).values("pk")
        conditions &= Q(priority_indicator__indicator__outcome__in=owned)
    if statuses:
        conditions &= Q(status__in=statuses)
    if rags:
        conditions &= Q(rag__in=rags)
    if mine:
        owned = Outcome.objects.filter(owners=mine).values("pk")
        led = Action.lead_users.through.objects.filter(user=mine).values("action_id")
        conditions &= Q(priority_indicator__indicator__outcome__in=owned) | Q(pk__in=led)
    return conditions or None


def action_plan_sections(*, action_plan, outcomes=None, **filters):
    """Every outcome of the plan's strategy, with this year's priority indicators and actions,
    under the strategy's group or kind headings; headings that are not outcomes come last.

    `outcomes`: the strategy's, as strategy_outcomes reads them, where the caller has them.
    With filters (see action_filter), only the matching actions, and only the outcomes that
    have one. Six queries whatever the size of the plan, the filter or the figures' history;
    the actions keep the plan's order within each outcome. Each priority indicator gets its
    latest figure (`latest`), its figures' values for a sparkline (`trend`) and its link (`url`);
    each action (a PlanAction) its links (`url`, `edit_url`) and the names of its other
    priorities' outcomes (`also_serves_names`), made here once rather than by the template for
    each action.
    """
    chosen = action_filter(**filters)
    if outcomes is None:
        outcomes = strategy_outcomes(strategy=action_plan.strategy)
    sections = {outcome.pk: OutcomeSection(outcome=outcome) for outcome in outcomes}
    priority_indicators = list(
        PriorityIndicator.objects.filter(action_plan=action_plan)
        .select_related("indicator")
        .order_by("indicator__order", "order", "pk")
    )
    # The actions in one query, grouped here, by the priorities just read rather than a join
    # to them; in the plan's order, sorted below.
    priority_pks = [p.pk for p in priority_indicators]
    actions = defaultdict(list)
    for values in (
        Action.objects.filter(priority_indicator__in=priority_pks)
        .filter(chosen or Q())
        .order_by()
        .values_list(*PlanAction.FIELDS)
    ):
        action = PlanAction(values)
        actions[action.priority_indicator_id].append(action)
    trends, latest = trends_and_latest(indicator_ids=[p.indicator_id for p in priority_indicators])
    # The outcomes of each action's other priorities in this plan, as ids, from the link table
    # alone: those priorities are the ones just read.
    priority_of = {p.pk: p for p in priority_indicators}
    links = Action.also_serves.through.objects.filter(priorityindicator__in=priority_pks)
    others = defaultdict(list)
    for action_id, priority_pk in sorted(
        links.values_list("action_id", "priorityindicator_id"),
        key=lambda link: (priority_of[link[1]].order, link[1]),
    ):
        others[action_id].append(priority_of[priority_pk].indicator.outcome_id)
    priority_url = _url_for_each("actionplans:priority_indicator_detail")
    action_url = _url_for_each("actionplans:action_detail")
    edit_url = _url_for_each("actionplans:action_edit")
    for priority_indicator in priority_indicators:
        indicator = priority_indicator.indicator
        section = sections[indicator.outcome_id]
        # Reuse the prefetched outcome so permission checks read its owners without a query.
        indicator.outcome = section.outcome
        priority_indicator.latest = latest_figure(
            indicator, priority_indicator, figures=latest.get(indicator.pk, [])
        )
        priority_indicator.trend = trends[indicator.pk]
        priority_indicator.url = priority_url(priority_indicator.pk)
        section.priority_indicators.append(priority_indicator)
        section.actions.extend(actions[priority_indicator.pk])
    names = {pk: str(sections[pk].outcome) for pk in {pk for pks in others.values() for pk in pks}}
    for section in sections.values():
        section.actions.sort(key=lambda action: (action.order, action.pk))
        for action in section.actions:
            action.url = action_url(action.pk)
            action.edit_url = edit_url(action.pk)
            action.also_serves_names = [names[pk] for pk in others[action.pk]]
            for outcome_id in dict.fromkeys(others[action.pk]):
                sections[outcome_id].shared_actions.append(action)
    ordered = []
    for heading, in_order in outcomes_by_heading(outcomes):
        shown = [
            sections[outcome.pk]
            for outcome in in_order
            if chosen is None or sections[outcome.pk].actions
        ]
        for position, section in enumerate(shown):
            section.heading = heading if position == 0 else ""
            ordered.append(section)
    ordered.extend(
        section
        for section in sections.values()
        if section.outcome.is_heading and (chosen is None or section.actions)
    )
    return ordered


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
        .prefetch_related(
            "lead_users",
            "priority_indicator__indicator__outcome__owners",
            "commitments",
            TAGS_WITH_FRAMEWORKS,
            Prefetch(
                "also_serves",
                queryset=PriorityIndicator.objects.select_related(
                    "indicator__outcome__group", "indicator__outcome__strategy"
                ),
            ),
        )
        .get(pk=pk)
    )


def indicators_for_plan(*, action_plan):
    """Indicators of the plan's strategy, for choosing a priority indicator."""
    return (
        Indicator.objects.filter(outcome__strategy_id=action_plan.strategy_id)
        .select_related("outcome")
        .order_by("outcome__order", "outcome__number", "order", "pk")
    )


_short_description = Action.short_description.fget  # reads only .description


@dataclass
class ActionChange:
    """One action as it was at the start and at the end of a period (None: did not exist)."""

    action_id: int
    outcome_number: int | None
    before: object
    after: object
    exists: bool = True
    outcome_id: int | None = None

    @property
    def name(self):
        """As the action names itself (str), read from the history row without building the
        action from it: sorting a plan's changes by name costs a thousand actions otherwise."""
        state = self.after or self.before
        return f"Action {state.reference}" if state.reference else _short_description(state)

    @property
    def url(self):
        return Action(pk=self.action_id).get_absolute_url() if self.exists else ""


@dataclass
class PlanChanges:
    since: datetime.datetime
    until: datetime.datetime
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    completed: list = field(default_factory=list)
    status_moved: list = field(default_factory=list)
    rag_moved: list = field(default_factory=list)
    target_moved: list = field(default_factory=list)
    owners_changed: list = field(default_factory=list)  # (outcome, owners before, owners after)
    outcomes: dict = field(default_factory=dict)  # the strategy's outcomes by id, in order

    @property
    def anything(self):
        return any(
            [self.added, self.removed, self.status_moved, self.rag_moved, self.target_moved]
            + [self.owners_changed]
        )


def plan_changes_between(*, action_plan, since, until):
    """What changed in a plan from the start of `since` to the end of `until` (dates).

    Read from the history alone, so deleted actions count too. A fixed number of queries
    whatever the size of the plan or the length of its history: each record's state at either
    end is found in SQL (states_at), for the actions saved in the period only.
    """
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(until, datetime.time.max, tzinfo=zone)
    changes = PlanChanges(since=start, until=end)

    priority_rows = PriorityIndicator.history.filter(action_plan_id=action_plan.pk)
    indicator_of = {row.id: row.indicator_id for row in priority_rows.order_by("history_date")}
    outcomes = Outcome.objects.filter(strategy_id=action_plan.strategy_id).select_related(
        "group", "strategy"
    )
    outcome_of = {
        pk: (outcome_id, number)
        for pk, outcome_id, number in Indicator.objects.filter(
            outcome__strategy_id=action_plan.strategy_id
        ).values_list("pk", "outcome_id", "outcome__number")
    }

    on_plan = Action.history.filter(priority_indicator_id__in=list(indicator_of))
    # Only the actions saved in the period can have changed in it: the others' versions are
    # not read (a quiet quarter in a long plan costs little).
    saved_then = on_plan.filter(history_date__gt=start, history_date__lte=end).values("id")
    in_period = on_plan.filter(id__in=saved_then)
    at_start, at_end = states_at(in_period, start), states_at(in_period, end)
    existing = set(
        Action.objects.filter(pk__in=at_start.keys() | at_end.keys()).values_list("pk", flat=True)
    )
    for action_id in sorted(at_start.keys() | at_end.keys()):
        before, after = at_start.get(action_id), at_end.get(action_id)
        outcome_id, number = outcome_of.get(
            indicator_of.get((after or before).priority_indicator_id), (None, None)
        )
        change = ActionChange(
            action_id, number, before, after, exists=action_id in existing, outcome_id=outcome_id
        )
        if before is None:
            changes.added.append(change)
            continue
        if after is None:
            changes.removed.append(change)
            continue
        if before.status != after.status:
            changes.status_moved.append(change)
            if after.status == Action.Status.COMPLETE:
                changes.completed.append(change)
        if before.rag != after.rag:
            changes.rag_moved.append(change)
        if (before.target_date, before.target_text) != (after.target_date, after.target_text):
            changes.target_moved.append(change)

    [(_, owners, user)] = [f for f in m2m_history_fields(Outcome) if f[0].name == "owners"]
    owner_rows = Outcome.history.filter(id__in=outcomes.values("pk")).prefetch_related(
        f"{owners}__{user}"
    )
    owners_at_start, owners_at_end = states_at(owner_rows, start), states_at(owner_rows, end)
    for outcome in outcomes:
        changes.outcomes[outcome.pk] = outcome
        before, after = owners_at_start.get(outcome.pk), owners_at_end.get(outcome.pk)
        if before is None or after is None:
            continue
        names = [
            sorted(str(getattr(link, user)) for link in getattr(state, owners).all())
            for state in (before, after)
        ]
        if names[0] != names[1]:
            changes.owners_changed.append((outcome, names[0], names[1]))
    for group in (changes.added, changes.removed, changes.status_moved, changes.rag_moved):
        group.sort(key=lambda change: (change.outcome_number or 0, change.name))
    return changes


# What makes a change significant to the meeting: a rating that worsened (a first rating of red
# among them), an action that went off track or was completed, a target that moved. Other first
# ratings, and actions started, are summarised a line an outcome.
RAG_SEVERITY = {"green": 1, "amber": 2, "red": 3}
SIGNIFICANT_STATUSES = {Action.Status.OFF_TRACK: 2, Action.Status.COMPLETE: 4}


def _rag_words(state):
    return state.get_rag_display() or "Not rated"


def _summary_lines(first_ratings, started):
    """Moves made in bulk at the first update, one line each: "12 actions rated for the first
    time: 9 Green, 3 Amber"."""
    lines = []
    for counted, words in ((first_ratings, "rated for the first time"), (started, "started")):
        if total := sum(counted.values()):
            each = ", ".join(f"{count} {label}" for label, count in counted.most_common())
            lines.append(f"{total} action{pluralize(total)} {words}: {each}")
    return lines


def changes_by_outcome(changes, *, limit=None):
    """A plan's changes (plan_changes_between) as the dashboard and the committee report show
    them: a table per outcome, the significant changes apart from the rest, and each outcome's
    first ratings and started actions in a line each. Plain data, for an issued report to keep.

    With `limit`, at most that many rows of significant changes and of other changes, the
    first in the tables' order, and under "hidden" how many more of each there are: only the
    rows shown are built."""
    groups = {}

    def group(outcome_id):
        if outcome_id not in groups:
            outcome = changes.outcomes.get(outcome_id)
            groups[outcome_id] = {
                "outcome": outcome.reference if outcome else "",
                "name": outcome.short_name if outcome else "Not linked to an outcome",
                "statement": outcome.statement if outcome else "its indicator has gone",
                "significant": [],
                "other": [],
                "first_ratings": Counter(),
                "started": Counter(),
            }
        return groups[outcome_id]

    def add(outcome_id, rank, order, build):
        kind = "other" if rank is None else "significant"
        group(outcome_id)[kind].append(((rank or 0, order), build))

    def row(change, what, words, rank=None):
        state = change.after or change.before  # a history row: its order, without the action

        def build():
            action = state.instance
            before, after = words()
            return {
                "action": action.reference,
                "name": action.short_description,
                "change": what,
                "before": before,
                "after": after,
                "url": change.url,
            }

        add(change.outcome_id, rank, (state.order, change.action_id), build)

    for change in changes.rag_moved:
        before, after = change.before.rag, change.after.rag
        if not before and after != "red":
            group(change.outcome_id)["first_ratings"][change.after.get_rag_display()] += 1
            continue
        worse = RAG_SEVERITY.get(after, 0) > RAG_SEVERITY.get(before, 0)
        rank = 0 if after == "red" else 1
        words = (_rag_words(change.before), _rag_words(change.after))
        row(change, "RAG", lambda words=words: words, rank if worse else None)
    for change in changes.status_moved:
        after = change.after.status
        words = (change.before.get_status_display(), change.after.get_status_display())
        if change.before.status == Action.Status.NOT_STARTED and after not in SIGNIFICANT_STATUSES:
            group(change.outcome_id)["started"][words[1]] += 1
            continue
        row(change, "Status", lambda words=words: words, SIGNIFICANT_STATUSES.get(after))
    for change in changes.target_moved:
        states = (change.before, change.after)
        row(
            change,
            "Target",
            lambda states=states: [s.instance.target_display or "Not set" for s in states],
            3,
        )
    for change in changes.added:
        words = (
            "Not in the plan",
            f"{change.after.get_status_display()}, {_rag_words(change.after)}",
        )
        row(change, "Added", lambda words=words: words)
    for change in changes.removed:
        words = (change.before.get_status_display(), "Not in the plan")
        row(change, "Removed", lambda words=words: words)
    for outcome, before, after in changes.owners_changed:
        owners = ("; ".join(before) or "No owner", "; ".join(after) or "No owner")
        add(
            outcome.pk,
            None,
            (-1, 0),
            lambda owners=owners: {
                "action": "",
                "name": "",
                "change": "Owners",
                "before": owners[0],
                "after": owners[1],
                "url": "",
            },
        )

    position = {pk: index for index, pk in enumerate(changes.outcomes)}
    significant, other = [], []
    room = {"significant": limit, "other": limit}
    hidden = Counter()
    for outcome_id in sorted(groups, key=lambda pk: position.get(pk, len(position))):
        g = groups[outcome_id]
        heading = {key: g[key] for key in ("outcome", "name", "statement")}
        for kind, into in (("significant", significant), ("other", other)):
            ordered = sorted(g[kind], key=lambda r: r[0])
            if limit is not None:
                hidden[kind] += max(0, len(ordered) - room[kind])
                ordered = ordered[: room[kind]]
                room[kind] -= len(ordered)
            rows = [build() for _, build in ordered]
            lines = _summary_lines(g["first_ratings"], g["started"]) if kind == "other" else []
            if rows or lines:
                into.append({**heading, "rows": rows, "summaries": lines})
    result = {
        "since": changes.since.date().isoformat(),
        "until": changes.until.date().isoformat(),
        "counts": {
            "completed": len(changes.completed),
            "status_moved": len(changes.status_moved),
            "rag_moved": len(changes.rag_moved),
            "added": len(changes.added),
            "removed": len(changes.removed),
            "target_moved": len(changes.target_moved),
        },
        "significant": significant,
        "other": other,
    }
    if limit is not None:
        result["hidden"] = {"significant": hidden["significant"], "other": hidden["other"]}
    return result


@dataclass
class IndicatorYear:
    """One indicator at the end of a plan year, for choosing next year's priorities."""

    indicator: Indicator
    priority: PriorityIndicator | None
    latest: IndicatorFigure | None = None
    first_in_year: IndicatorFigure | None = None
    rag: str = ""
    direction: str = ""


def annual_review(*, action_plan):
    """Every indicator of the strategy with its figures up to the end of the plan year, its RAG
    against this year's target and its direction of travel. Three queries."""
    priorities = {p.indicator_id: p for p in action_plan.priority_indicators.all()}
    indicators = (
        Indicator.objects.filter(outcome__strategy_id=action_plan.strategy_id)
        .select_related("outcome")
        .prefetch_related(figures_prefetch())
        .order_by("outcome__order", "outcome__number", "order", "pk")
    )
    rows = []
    for indicator in indicators:
        figures = [
            f
            for f in indicator.figures.all()
            if f.value is not None and f.period_end <= action_plan.ends_on
        ]
        in_year = [f for f in figures if f.period_end >= action_plan.starts_on]
        row = IndicatorYear(indicator, priorities.get(indicator.pk))
        row.latest = figures[-1] if figures else None
        row.first_in_year = in_year[0] if in_year else None
        if row.latest:
            previous = figures[-2].value if len(figures) > 1 else None
            target = row.priority.target_value if row.priority else None
            tolerance = row.priority.amber_tolerance if row.priority else None
            row.rag = rag_for(
                value=row.latest.value, target=target, better=indicator.better, tolerance=tolerance
            )
            row.direction = direction_of_travel(
                latest=row.latest.value, previous=previous, better=indicator.better
            )
        rows.append(row)
    return rows


def annual_summary(*, action_plan):
    """The year just ended: what was completed, carried forward or left behind."""
    actions = list(
        Action.objects.filter(priority_indicator__action_plan=action_plan)
        .select_related(
            "priority_indicator__indicator__outcome", "carried_to__priority_indicator__action_plan"
        )
        .order_by("priority_indicator__indicator__outcome__number", "order", "pk")
    )
    done = (Action.Status.COMPLETE, Action.Status.WITHDRAWN)
    carried = [a for a in actions if getattr(a, "carried_to", None)]
    return {
        "completed": [a for a in actions if a.status == Action.Status.COMPLETE],
        "withdrawn": [a for a in actions if a.status == Action.Status.WITHDRAWN],
        "carried": carried,
        "left_behind": [a for a in actions if a.status not in done and a not in carried],
        "next_plans": ActionPlan.objects.filter(
            strategy_id=action_plan.strategy_id,
            financial_year_start=action_plan.financial_year_start + 1,
        ),
        "indicators": annual_review(action_plan=action_plan),
    }


# An outcome's kind as the template's "Outcome kind" column writes it; empty for none, which
# the import reads as "leave it as it is".
KIND_CELLS = {
    Outcome.Kind.NONE: "",
    Outcome.Kind.OUTCOME: "Outcome",
    Outcome.Kind.DELIVERY: "Delivery",
    Outcome.Kind.HEADING: "Heading",
}


def plan_template_rows(*, action_plan):
    """The plan in the import template's columns: a row per action, a row for a priority
    indicator without actions and a row for an outcome without priorities, so that importing
    the export changes nothing. Four queries whatever the size of the plan."""
    outcomes = Outcome.objects.filter(strategy_id=action_plan.strategy_id).prefetch_related(
        "owners"
    )
    priorities = {}
    for priority in (
        PriorityIndicator.objects.filter(action_plan=action_plan)
        .select_related("indicator")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.prefetch_related("lead_users"))
        )
        .order_by("indicator__order", "order", "pk")
    ):
        priorities.setdefault(priority.indicator.outcome_id, []).append(priority)
    status_labels = dict(Action.Status.choices)
    rows = []
    for outcome in outcomes:
        outcome_cells = {
            "outcome_number": outcome.number,
            "outcome": outcome.statement,
            "outcome_owners": "; ".join(owner.email for owner in outcome.owners.all()),
            "outcome_kind": KIND_CELLS[outcome.kind],
        }
        if outcome.pk not in priorities:
            rows.append(outcome_cells)
        for priority in priorities.get(outcome.pk, []):
            priority_cells = outcome_cells | {"priority_indicator": priority.indicator.title}
            actions = priority.actions.all()
            if not actions:
                rows.append(priority_cells)
            for action in actions:
                rows.append(
                    priority_cells
                    | {
                        "service_id": action.pk,
                        "action_number": action.reference,
                        "action": action.description,
                        "measure": action.measure,
                        "undertaken_by": action.undertaken_by,
                        "lead_users": "; ".join(lead.email for lead in action.lead_users.all()),
                        "target_date": action.target_date,
                        "target_text": action.target_text,
                        "cyp_views": action.cyp_views,
                        "status": status_labels[action.status],
                        "rag": action.rag.title(),
                        "comment": action.comment,
                    }
                )
    return rows


def plan_imports_waiting(*, action_plan):
    """Uploads into the plan that nobody has confirmed or discarded yet."""
    return (
        PlanImport.objects.filter(action_plan=action_plan)
        .select_related("uploaded_by")
        .defer("content")
    )
