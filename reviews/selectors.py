"""Reads for the quarterly cycle: each page's records fetched up front, in a fixed number of
queries whatever the number of outcomes, actions or updates."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, When
from django.utils import timezone

from actionplans.models import Action, PriorityIndicator, Rag
from actionplans.selectors import changes_by_outcome, plan_changes_between
from figures.selectors import figures_prefetch, latest_figure
from lacstrategy.tag_colours import UPDATE_COLOURS
from outcomes.models import Outcome, Strategy
from reviews.models import ActionUpdate, IndicatorUpdate, OutcomeUpdate, ReviewPeriod
from voices.selectors import voices_heard_for

UPDATE_ENTRIES = (
    Prefetch("action_updates", queryset=ActionUpdate.objects.all()),
    Prefetch(
        "indicator_updates",
        queryset=IndicatorUpdate.objects.select_related("priority_indicator__indicator"),
    ),
)


def current_periods():
    """For each plan in use, the earliest period still open: the quarter being worked on. Only
    those are read (a plan has up to four open), in the plans' order."""
    open_periods = ReviewPeriod.objects.filter(status=ReviewPeriod.Status.OPEN)
    earliest = open_periods.filter(action_plan=OuterRef("action_plan")).order_by("quarter")
    return list(
        open_periods.filter(pk=Subquery(earliest.values("pk")[:1]))
        .exclude(action_plan__strategy__status=Strategy.Status.ARCHIVED)
        .select_related("action_plan__strategy")
        .order_by("action_plan")
    )


def update_is_late(update, period, today):
    """An update is late once its due date has passed while it is missing, a draft or returned
    to its owner. `update` may be a record or its state from the history."""
    waiting = update is None or update.status in (
        OutcomeUpdate.Status.DRAFT,
        OutcomeUpdate.Status.RETURNED,
    )
    return waiting and today > period.updates_due_on


def update_state(update, period, today=None):
    """The word and tag colour for an update on the task list and dashboard. Once the period is
    closed nobody is chased, so nothing shows as overdue."""
    today = today or timezone.localdate()
    overdue = update_is_late(update, period, today) and period.is_open
    if update is None:
        return "Not started", "grey", overdue
    return update.get_status_display(), UPDATE_COLOURS[update.status], overdue


@dataclass
class Task:
    period: ReviewPeriod
    outcome: Outcome
    update: OutcomeUpdate | None
    state: str = ""
    colour: str = ""
    overdue: bool = False


def my_tasks(*, user, periods=None, today=None):
    """The outcomes this person owns, for each plan's current period."""
    tasks = []
    periods = current_periods() if periods is None else periods
    updates = {
        (u.period_id, u.outcome_id): u
        # Unordered: the model's order joins four tables that only a list would need.
        for u in OutcomeUpdate.objects.filter(period__in=periods, outcome__owners=user)
        .select_related("decided_by")
        .order_by()
    }
    # This person's outcomes alone, not every outcome of every plan in use.
    mine = defaultdict(list)
    for outcome in Outcome.objects.filter(
        owners=user, strategy__in=[p.action_plan.strategy_id for p in periods]
    ).select_related("group", "strategy"):
        mine[outcome.strategy_id].append(outcome)
    for period in periods:
        for outcome in mine[period.action_plan.strategy_id]:
            update = updates.get((period.pk, outcome.pk))
            task = Task(period=period, outcome=outcome, update=update)
            task.state, task.colour, task.overdue = update_state(update, period, today)
            tasks.append(task)
    return tasks


@dataclass
class HomeTasks:
    """What needs one person now, for the home page's task lists."""

    due: list  # Task: my updates still to send, not late yet
    overdue: list  # Task: not sent and past their due date
    returned: list  # Task: sent back by the chair, with the comment
    sent: list  # Task: submitted or accepted, nothing to do
    to_decide: list  # Task: the oldest submitted updates for this person to accept or return
    to_decide_count: int  # how many wait for this person's decision in all
    actions: list  # Action: on my outcomes or led by me, at risk or off track
    periods: list  # ReviewPeriod: each plan's current quarter
    today: datetime.date

    @property
    def my_updates(self):
        """My updates in the order they need me: late, sent back, due, then sent."""
        return self.overdue + self.returned + self.due + self.sent

    @property
    def first_to_do(self):
        """The update the notification banner names."""
        return next(iter(self.overdue + self.returned + self.due), None)

    @property
    def next_meeting(self):
        """The current quarter whose review meeting comes next (or, all past, the latest)."""
        coming = [p for p in self.periods if p.meeting_on >= self.today]
        if coming:
            return min(coming, key=lambda p: p.meeting_on)
        return max(self.periods, key=lambda p: p.meeting_on, default=None)

    @property
    def most_urgent(self):
        """The list the notification banner speaks of: late first, then what waits on me."""
        for name in ("overdue", "returned", "to_decide", "due"):
            if getattr(self, name):
                return name
        return ""


HOME_DECISIONS = 5  # the oldest few listed on home; the decisions page lists them all


def updates_to_decide(*, user):
    """Submitted updates in open periods that wait on this person, oldest first: the chair's
    decisions, or an administrator's when nobody chairs (administrators may decide, but it is
    the chair's job)."""
    return _decision_tasks(user, _waiting_for(user))


def _decision_tasks(user, waiting):
    from lacstrategy.permissions import allows  # permissions is read by the views' modules

    tasks = []
    for update in waiting:
        # The outcome's strategy is the plan's: not joined a second time (_waiting_for).
        strategy = update.period.action_plan.strategy
        if update.outcome.strategy_id == strategy.pk:
            update.outcome.strategy = strategy
        if allows(user, "reviews.decide_update", update):
            task = Task(period=update.period, outcome=update.outcome, update=update)
            task.state, task.colour, task.overdue = update_state(update, update.period)
            tasks.append(task)
    return tasks


def _waiting_for(user):
    from django.contrib.auth import get_user_model

    if not user.is_chair and (
        get_user_model().objects.filter(is_chair=True, is_active=True).exists()
    ):
        return OutcomeUpdate.objects.none()
    return (
        OutcomeUpdate.objects.filter(
            status=OutcomeUpdate.Status.SUBMITTED, period__status=ReviewPeriod.Status.OPEN
        )
        .exclude(period__action_plan__strategy__status=Strategy.Status.ARCHIVED)
        # Planning a join costs more than running it here (3.7 ms against 0.5 ms with the
        # strategy joined twice): the outcome's strategy is set from the plan's.
        .select_related("period__action_plan__strategy", "outcome__group", "submitted_by")
        .order_by("submitted_at", "period__action_plan_id", "period__quarter", "outcome__number")
    )


AT_RISK = Q(rag__in=[Rag.RED, Rag.AMBER]) | Q(
    status__in=[Action.Status.AT_RISK, Action.Status.OFF_TRACK]
)


def my_actions_at_risk(*, user, periods):
    """Actions in the plans in use (those with a current quarter) on outcomes this person owns
    or that they lead, rated red or amber or at risk or off track: red first."""
    # From this person's links to outcomes and actions, not from every action of the plans: as
    # one condition on the actions (owned OR led), the database read every action at risk.
    if not periods:
        return []
    mine = list(
        Action.objects.filter(priority_indicator__indicator__outcome__owners=user)
        .order_by()
        .values_list("pk", flat=True)
        .union(
            Action.lead_users.through.objects.filter(user=user).order_by().values_list("action_id")
        )
    )
    if not mine:
        return []
    return list(
        Action.objects.filter(
            AT_RISK,
            pk__in=mine,
            priority_indicator__action_plan__in=[p.action_plan_id for p in periods],
        )
        .exclude(status__in=[Action.Status.COMPLETE, Action.Status.WITHDRAWN])
        .annotate(
            i_lead=Exists(
                Action.lead_users.through.objects.filter(action=OuterRef("pk"), user=user)
            ),
            severity=Case(When(rag=Rag.RED, then=0), When(rag=Rag.AMBER, then=1), default=2),
        )
        .select_related(
            "priority_indicator__indicator__outcome__strategy",
            "priority_indicator__indicator__outcome__group",
        )
        .order_by("severity", "priority_indicator__indicator__outcome__number", "order", "pk")
    )


def home_tasks(*, user, today=None):
    """Everything the home page asks of this person, in a fixed number of queries."""
    today = today or timezone.localdate()
    periods = current_periods()
    tasks = my_tasks(user=user, periods=periods, today=today)
    waiting = _waiting_for(user)
    to_decide = _decision_tasks(user, waiting[:HOME_DECISIONS])
    to_send = [
        t for t in tasks if t.update is None or t.update.status == OutcomeUpdate.Status.DRAFT
    ]
    return HomeTasks(
        due=[t for t in to_send if not t.overdue],
        overdue=[t for t in to_send if t.overdue],
        returned=[
            t for t in tasks if t.update and t.update.status == OutcomeUpdate.Status.RETURNED
        ],
        sent=[t for t in tasks if t.update and not t.update.owners_can_edit],
        to_decide=to_decide,
        to_decide_count=waiting.count() if to_decide else 0,
        actions=my_actions_at_risk(user=user, periods=periods),
        periods=periods,
        today=today,
    )


def previous_period(period):
    return (
        ReviewPeriod.objects.filter(
            action_plan_id=period.action_plan_id, quarter__lt=period.quarter
        )
        .order_by("-quarter")
        .first()
    )


@dataclass
class UpdateSheet:
    """Everything the update form, check page and read-only view of one outcome show."""

    period: ReviewPeriod
    outcome: Outcome
    update: OutcomeUpdate | None
    actions: list
    priority_indicators: list
    entries: dict = field(default_factory=dict)  # action pk -> ActionUpdate
    figures: dict = field(default_factory=dict)  # priority indicator pk -> IndicatorUpdate
    previous: OutcomeUpdate | None = None
    previous_entries: dict = field(default_factory=dict)
    previous_figures: dict = field(default_factory=dict)

    def rows(self):
        return [
            (number, action, self.entries.get(action.pk), self.previous_entries.get(action.pk))
            for number, action in enumerate(self.actions, start=1)
        ]

    def answer_rows(self):
        """The actions as check-your-answers shows them: whether each repeats last quarter."""
        return [
            (number, action, entry, previous, bool(entry and entry.repeats(previous)))
            for number, action, entry, previous in self.rows()
        ]

    def figure_answer_rows(self):
        return [
            (pi, entry, previous, bool(entry and entry.repeats(previous)))
            for pi, entry, previous in self.figure_rows()
        ]

    def figure_rows(self):
        return [
            (pi, self.figures.get(pi.pk), self.previous_figures.get(pi.pk))
            for pi in self.priority_indicators
        ]


def update_sheet(*, period, outcome):
    priority_indicators = list(
        PriorityIndicator.objects.filter(
            action_plan_id=period.action_plan_id, indicator__outcome=outcome
        )
        .select_related("indicator")
        .order_by("order", "pk")
    )
    actions = list(
        Action.objects.filter(priority_indicator__in=priority_indicators)
        .select_related("priority_indicator__indicator")
        .order_by("order", "pk")
    )
    before = previous_period(period)
    updates = {
        u.period_id: u
        for u in OutcomeUpdate.objects.filter(
            outcome=outcome, period__in=[p for p in (period, before) if p]
        ).prefetch_related(*UPDATE_ENTRIES)
    }
    update = updates.get(period.pk)
    previous = updates.get(before.pk) if before else None
    if previous is not None and previous.status != OutcomeUpdate.Status.ACCEPTED:
        previous = None  # a draft, returned or undecided update is not last quarter's answer
    return UpdateSheet(
        period=period,
        outcome=outcome,
        update=update,
        actions=actions,
        priority_indicators=priority_indicators,
        entries={e.action_id: e for e in update.action_updates.all()} if update else {},
        figures={e.priority_indicator_id: e for e in update.indicator_updates.all()}
        if update
        else {},
        previous=previous,
        previous_entries={e.action_id: e for e in previous.action_updates.all()}
        if previous
        else {},
        previous_figures={e.priority_indicator_id: e for e in previous.indicator_updates.all()}
        if previous
        else {},
    )


@dataclass
class PriorityRow:
    """A priority indicator on the dashboard: its latest figure from the indicator's figures
    (those entered through accepted updates among them) and this quarter's entry, if any."""

    priority: PriorityIndicator
    latest: object  # figures.selectors.LatestFigure
    entry: IndicatorUpdate | None


@dataclass
class OutcomeRow:
    """One outcome on the review dashboard."""

    outcome: Outcome
    update: OutcomeUpdate | None
    state: str
    colour: str
    overdue: bool
    rag_counts: list  # (label, count, rag)
    status_counts: Counter
    figures: list  # PriorityRow


RAG_ORDER = [("red", "Red"), ("amber", "Amber"), ("green", "Green"), ("", "Not rated")]
UPDATE_STATES = ["Not started", "Draft", "Submitted", "Returned", "Accepted"]
# A priority's latest figure against its target, as the overview counts them.
FIGURE_RAGS = [
    ("red", "Red: off target"),
    ("amber", "Amber: close to target"),
    ("green", "Green: on target"),
    ("", "No figure or no numeric target"),
]


def _bars(counted):
    """(label, count, share of the largest as a percentage, key) for a small bar chart."""
    largest = max((count for _, count, _ in counted), default=0) or 1
    return [(label, count, round(100 * count / largest), key) for label, count, key in counted]


def _overview(rows):
    """The counts the meeting starts from: updates by state, overall RAG of the outcomes,
    actions by RAG and by status, and priorities against their targets."""
    states = Counter(row.state for row in rows)
    overall = Counter(row.update.overall_rag if row.update else "" for row in rows)
    action_rags = Counter()
    for row in rows:
        action_rags.update({rag: count for _, count, rag in row.rag_counts})
    statuses = sum((row.status_counts for row in rows), Counter())
    figure_rags = Counter(f.latest.rag for row in rows for f in row.figures)
    return {
        "updates": [(state, states[state]) for state in UPDATE_STATES],
        "overdue": sum(row.overdue for row in rows),
        "overall_rag": [(label, overall[rag], rag) for rag, label in RAG_ORDER],
        "actions_by_rag": _bars([(label, action_rags[rag], rag) for rag, label in RAG_ORDER]),
        "actions_by_status": _bars(
            [(label, statuses[status], status) for status, label in Action.Status.choices]
        ),
        "actions": sum(action_rags.values()),
        "priorities": _bars([(label, figure_rags[rag], rag) for rag, label in FIGURE_RAGS]),
    }


# Rows of significant changes, and of other changes, the dashboard shows; the rest are counted
# and linked to the plan's changes page (a plan of 500 actions can have a thousand a quarter).
DASHBOARD_CHANGES = 40


def dashboard(*, period, today=None):
    """The review group meeting's view of a period, in a fixed number of queries."""
    plan = period.action_plan
    outcomes = (
        Outcome.objects.filter(strategy_id=plan.strategy_id)
        .select_related("group", "strategy")
        .prefetch_related("owners")
    )
    updates = {
        u.outcome_id: u
        for u in OutcomeUpdate.objects.filter(period=period)
        .select_related("submitted_by", "decided_by")
        .prefetch_related(*UPDATE_ENTRIES)
    }
    priority_indicators = list(
        PriorityIndicator.objects.filter(action_plan=plan)
        .select_related("indicator")
        .prefetch_related(figures_prefetch("indicator__figures", until=period.ends_on))
        .order_by("order", "pk")
    )
    actions = Action.objects.filter(priority_indicator__action_plan=plan).values_list(
        "pk", "priority_indicator__indicator__outcome_id", "rag", "status"
    )
    on_plan = {pk: (outcome_id, rag, status) for pk, outcome_id, rag, status in actions}
    rows = []
    for outcome in outcomes:
        update = updates.get(outcome.pk)
        if update is not None and update.action_updates.all():
            entries = [(e.rag, e.status) for e in update.action_updates.all()]
        else:
            entries = [(rag, status) for o, rag, status in on_plan.values() if o == outcome.pk]
        counts = Counter(rag for rag, _ in entries)
        figures_by_pi = (
            {e.priority_indicator_id: e for e in update.indicator_updates.all()} if update else {}
        )
        state, colour, _ = update_state(update, period, today)
        # Late as the exceptions count it (quarter_exceptions), after the period closed too.
        overdue = update_is_late(update, period, today or timezone.localdate())
        overdue = overdue and not outcome.is_heading
        rows.append(
            OutcomeRow(
                outcome=outcome,
                update=update,
                state=state,
                colour=colour,
                overdue=overdue,
                rag_counts=[(label, counts.get(rag, 0), rag) for rag, label in RAG_ORDER],
                status_counts=Counter(status for _, status in entries if status),
                figures=[
                    PriorityRow(pi, latest_figure(pi.indicator, pi), figures_by_pi.get(pi.pk))
                    for pi in priority_indicators
                    if pi.indicator.outcome_id == outcome.pk
                ],
            )
        )
    today = today or timezone.localdate()
    periods = list(ReviewPeriod.objects.filter(action_plan=plan).order_by("quarter"))
    # Since the last review meeting (the first quarter: since the plan year began), so that
    # what one meeting saw is not shown again at the next.
    before = [p for p in periods if p.quarter < period.quarter]
    since = before[-1].meeting_on + datetime.timedelta(days=1) if before else period.starts_on
    until = max(since, min(today, period.meeting_on))
    changes = plan_changes_between(action_plan=plan, since=since, until=until)
    return {
        "rows": rows,
        "overview": _overview(rows),
        "changes": changes_by_outcome(changes, limit=DASHBOARD_CHANGES),
        "changes_since": since,
        "changes_until": until,
        "voices": list(voices_heard_for(period=period)),
        "since_last_meeting": bool(before),
        "periods": periods,
    }


def outcome_review(*, period, outcome):
    """This quarter beside the last for one outcome: actions that moved to red or amber first."""
    sheet = update_sheet(period=period, outcome=outcome)
    severity = {"red": 0, "amber": 1}

    def moved_to_worse(row):
        _, action, entry, previous = row
        now = entry.rag if entry else action.rag
        before = previous.rag if previous else ""
        worse = now in severity and now != before
        return (0 if worse else 1, severity.get(now, 2), action.order, action.pk)

    return sheet, sorted(sheet.rows(), key=moved_to_worse)
