"""Ten councils' worth of data in one installation, for scripts/bench.py.

An installation serves one council (one Council record), so "ten councils' worth" is the demo
council plus ten more strategies, each with people, outcomes, indicators and two yearly plans
(one of them of about 500 actions), quarterly updates reviewed by the chair, committee reports,
and years of indicator figures with their comparators. At --scale 1: 11 strategies, about
5,000 actions, 20,000 figures and 65,000 history rows.

Everything is written through the product's services, with who and why in the history, except
the indicator figures and their comparators: figure_save costs a few milliseconds each, and
twenty thousand of them would take minutes. Those are written with django-simple-history's
bulk_create_with_history, which writes each record's "created" history row as the services do
(the same user, reason and date). The same seed gives the same data on every machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_10x \\
        .venv/bin/python scripts/generate_councils.py [--scale 1] [--seed 16] [--without-demo]

The database must be migrated; the demo is loaded first (lacstrategy.demo) unless it is there.
"""

import argparse
import datetime
import os
import random
import sys
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LONDON = zoneinfo.ZoneInfo("Europe/London")
REASON = "Generated for the benchmark (scripts/generate_councils.py)"
STRATEGIES = 10
OUTCOMES = 8  # per strategy
INDICATORS = 4  # per outcome: three with figures, one reported in words
PEOPLE = 6  # outcome owners per strategy
BIG_PLAN_ACTIONS = 500
PLAN_ACTIONS = 235
QUARTERS = 68  # of a quarterly indicator's figures: 17 years
YEARS = 10  # of a yearly indicator's figures
COMPARATORS = 8  # areas compared with each yearly figure: England, the region, 6 neighbours
LAST_FIGURE_YEAR = 2016
RAGS = {"on_track": "green", "at_risk": "amber", "off_track": "red", "complete": "green"}

WORDS = [
    "review",
    "support",
    "placement",
    "stability",
    "health",
    "education",
    "training",
    "plan",
    "carers",
    "advice",
    "transition",
    "housing",
    "pathway",
    "visits",
    "assessment",
    "outcomes",
    "partnership",
    "training",
    "mentoring",
    "employment",
    "wellbeing",
    "participation",
    "advocacy",
    "leaving",
    "records",
    "quality",
    "audit",
    "team",
    "schools",
    "tutoring",
    "attendance",
    "dental",
    "checks",
    "independent",
    "living",
    "budget",
    "panel",
    "forum",
]


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=LONDON)


def on(date, hour):
    return datetime.datetime.combine(date, datetime.time(hour), tzinfo=LONDON)


def quarter_ends(last_year, count):
    """The last `count` quarter ends up to 31 December of `last_year`, oldest first."""
    ends, year, month = [], last_year, 12
    for _ in range(count):
        day = 31 if month in (3, 12) else 30
        ends.append(datetime.date(year, month, day))
        month -= 3
        if month <= 0:
            month, year = month + 12, year - 1
    return ends[::-1]


class Generator:
    def __init__(self, *, scale, seed):
        from lacstrategy.services import system_account

        self.random = random.Random(seed)
        self.actor = system_account()
        self.strategies = max(1, round(STRATEGIES * scale))
        self.big_plan_actions = max(4, round(BIG_PLAN_ACTIONS * scale))
        self.plan_actions = max(2, round(PLAN_ACTIONS * scale))
        self.quarters = max(2, round(QUARTERS * scale))
        self.years = max(2, round(YEARS * scale))
        # Below a tenth, fewer outcomes and comparators too, for a quick test.
        self.outcomes_each = max(2, round(OUTCOMES * min(1, scale * 10)))
        self.comparators = max(1, round(COMPARATORS * min(1, scale * 10)))
        self.timings = {}
        self.statuses = {}  # each action's status as last reported

    def sentence(self, words=8):
        return " ".join(self.random.choice(WORDS) for _ in range(words)).capitalize()

    def phase(self, name, function, *args, **kwargs):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        self.timings[name] = self.timings.get(name, 0) + time.perf_counter() - started
        return result

    def run(self, *, with_demo=True):
        from lacstrategy.models import Council

        if with_demo:
            self.phase("demo", self.load_demo)
        elif not Council.objects.exists():
            from lacstrategy.services import council_save

            council_save(actor=self.actor, reason=REASON, name="Generated council")
        self.chair = self.phase("people", self.chair_account)
        for number in range(1, self.strategies + 1):
            self.strategy(number)

    def load_demo(self):
        from lacstrategy.demo import load_demo
        from outcomes.models import Strategy

        if not Strategy.objects.exists():
            load_demo()

    def chair_account(self):
        """The demo's chair decides every update; a chair of our own without the demo."""
        from django.contrib.auth import get_user_model

        from lacstrategy import roles
        from lacstrategy.services import user_create

        chair = get_user_model().objects.filter(is_chair=True).order_by("pk").first()
        return chair or user_create(
            actor=self.actor,
            reason=REASON,
            role_names=[roles.STRATEGY_GROUP_MEMBER],
            username="generated.chair",
            full_name="Generated Chair",
            email="generated.chair@example.org",
            is_chair=True,
        )

    # One council's worth: a strategy with its people, outcomes, indicators and plans.

    def strategy(self, number):
        from outcomes import services as outcome_services

        started = at(2015, 5, 1)
        strategy = self.phase(
            "strategies",
            lambda: outcome_services.strategy_create(
                actor=self.actor,
                reason=REASON,
                recorded_at=started,
                title=f"Generated strategy {number:02d}: {self.sentence(5).lower()}",
                period_start=datetime.date(2015, 4, 1),
                period_end=datetime.date(2019, 3, 31),
                vision=self.sentence(30),
                principles="\n".join(self.sentence(10) for _ in range(4)),
                pledge=self.sentence(25),
                status="approved",
                approved_by="Generated committee",
                approved_on=datetime.date(2015, 4, 20),
            ),
        )
        people = self.phase("people", self.people, number)
        indicators = self.phase("outcomes", self.outcomes, strategy, people)
        self.phase("figures (bulk)", self.figures, indicators)
        for year in (2015, 2016):
            actions = self.big_plan_actions if (number, year) == (1, 2016) else self.plan_actions
            plan = self.plan(strategy, indicators, people, year=year, actions=actions)
            self.phase("quarterly updates", self.reviews, plan, past_year=year == 2015)
            self.phase("committee reports", self.reports, plan)

    def people(self, number):
        from lacstrategy import roles
        from lacstrategy.services import user_create

        made = []
        for n in range(1, PEOPLE + 3):
            role = (
                roles.OUTCOME_OWNER
                if n <= PEOPLE
                else [roles.STRATEGY_GROUP_MEMBER, roles.VIEWER][n - PEOPLE - 1]
            )
            made.append(
                user_create(
                    actor=self.actor,
                    reason=REASON,
                    recorded_at=at(2015, 5, 1),
                    role_names=[role],
                    username=f"gen{number:02d}.person{n}",
                    full_name=f"Person {n} of strategy {number}",
                    email=f"gen{number:02d}.person{n}@example.org",
                    job_title=self.sentence(3),
                    organisation=f"Organisation {n % 4 + 1}",
                )
            )
        return made[:PEOPLE]

    def outcomes(self, strategy, people):
        """The outcomes in two groups, each with owners, commitments and indicators: returns
        [(outcome, [indicators], [commitments])]."""
        from outcomes import services as outcome_services
        from outcomes.models import Indicator

        when = at(2015, 5, 1)
        stamp = {"actor": self.actor, "reason": REASON, "recorded_at": when}
        groups = [
            outcome_services.group_create(
                strategy=strategy, number=n, title=self.sentence(6), **stamp
            )
            for n in (1, 2)
        ]
        units = [Indicator.Unit.PERCENTAGE, Indicator.Unit.RATE, Indicator.Unit.SCORE]
        made = []
        for number in range(1, self.outcomes_each + 1):
            outcome = outcome_services.outcome_create(
                strategy=strategy,
                owners=self.random.sample(people, 2),
                number=number,
                group=groups[(number - 1) * 2 // self.outcomes_each],
                statement=self.sentence(8),
                kind="outcome",
                commitment=self.sentence(20),
                order=number,
                **stamp,
            )
            commitments = [
                outcome_services.commitment_create(
                    outcome=outcome, text=self.sentence(12), order=order, **stamp
                )
                for order in (1, 2)
            ]
            indicators = []
            for order in range(1, INDICATORS + 1):
                words = order == INDICATORS
                indicators.append(
                    outcome_services.indicator_create(
                        outcome=outcome,
                        title=f"Indicator {number}.{order}: {self.sentence(6).lower()}",
                        definition=self.sentence(20),
                        unit=Indicator.Unit.QUALITATIVE if words else units[order - 1],
                        better=Indicator.Better.NEITHER
                        if words
                        else self.random.choice([Indicator.Better.HIGHER, Indicator.Better.LOWER]),
                        frequency="quarterly" if order == 1 else "annual",
                        data_source="Generated data",
                        order=order,
                        **stamp,
                    )
                )
            made.append((outcome, indicators, commitments))
        return made

    def figures(self, outcomes):
        """Years of figures for each indicator with numbers: quarterly ones with the national
        figure each year, yearly ones with their comparators. In bulk, with history."""
        from simple_history.utils import bulk_create_with_history

        from figures.models import BenchmarkFigure, IndicatorFigure
        from outcomes.models import Indicator

        own, comparators = [], []
        areas = [("national", "E92000001", "England"), ("regional", "E12000004", "Region")] + [
            ("local_authority", f"E1000{n:04d}", f"Neighbour {n}") for n in range(1, 20)
        ]
        for _, indicators, _ in outcomes:
            for indicator in indicators:
                if indicator.unit == Indicator.Unit.QUALITATIVE:
                    continue
                level = Decimal(self.random.randint(20, 80))
                if indicator.frequency == "quarterly":
                    ends = quarter_ends(LAST_FIGURE_YEAR, self.quarters)
                    labels = [f"Q{(end.month - 1) // 3 + 1} {end.year}" for end in ends]
                    compared = [("national", "E92000001", "England")]
                    yearly = {end.year for end in ends}
                    compared_ends = [datetime.date(year, 12, 31) for year in sorted(yearly)]
                else:
                    first = LAST_FIGURE_YEAR - self.years + 1
                    ends = [datetime.date(year, 3, 31) for year in range(first, first + self.years)]
                    labels = [str(end.year) for end in ends]
                    compared = areas[: self.comparators]
                    compared_ends = ends
                for end, label in zip(ends, labels, strict=True):
                    level += Decimal(self.random.choice([-2, -1, 0, 1, 2]))
                    own.append(
                        IndicatorFigure(
                            indicator=indicator,
                            period_end=end,
                            period_label=label,
                            value=max(Decimal(0), level),
                            denominator=Decimal(self.random.randint(40, 90)),
                            source="Generated data",
                            entered_by=self.actor,
                            is_illustrative=True,
                        )
                    )
                for kind, code, name in compared:
                    for end in compared_ends:
                        comparators.append(
                            BenchmarkFigure(
                                indicator=indicator,
                                level=kind,
                                area_code=code,
                                area_name=name,
                                period_label=str(end.year),
                                period_end=end,
                                value=max(Decimal(0), level + self.random.randint(-9, 9)),
                                source="Generated data",
                                is_illustrative=True,
                            )
                        )
        history = {
            "default_user": self.actor,
            "default_change_reason": f"{REASON}: figures in bulk",
            "default_date": at(LAST_FIGURE_YEAR + 1, 1, 20),
            "batch_size": 2000,
        }
        bulk_create_with_history(own, IndicatorFigure, **history)
        bulk_create_with_history(comparators, BenchmarkFigure, **history)

    # A yearly plan, its quarterly cycle and its committee reports.

    def plan(self, strategy, outcomes, people, *, year, actions):
        from actionplans import services as plan_services

        agreed = at(year, 3, 20)
        stamp = {"actor": self.actor, "reason": REASON, "recorded_at": agreed}
        plan = self.phase(
            "plans",
            lambda: plan_services.action_plan_create(
                strategy=strategy, financial_year_start=year, status="approved", **stamp
            ),
        )
        priorities = []
        for _, indicators, commitments in outcomes:
            for order, indicator in enumerate(indicators, start=1):
                priority = self.phase(
                    "plans",
                    lambda indicator=indicator, order=order: (
                        plan_services.priority_indicator_create(
                            action_plan=plan,
                            indicator=indicator,
                            target=self.sentence(6),
                            rationale=self.sentence(15),
                            order=order,
                            **stamp,
                        )
                    ),
                )
                priorities.append((priority, commitments))
        self.phase("actions", self.actions, plan, priorities, people, actions, agreed)
        return plan

    def actions(self, plan, priorities, people, count, agreed):
        from actionplans import services as plan_services

        made = []
        for n in range(count):
            priority, commitments = priorities[n % len(priorities)]
            also = priorities[(n + 5) % len(priorities)][0]
            made.append(
                plan_services.action_create(
                    priority_indicator=priority,
                    actor=self.actor,
                    reason=REASON,
                    recorded_at=agreed,
                    reference=f"{n + 1}",
                    description=self.sentence(self.random.randint(10, 40)),
                    measure=self.sentence(12),
                    undertaken_by=self.sentence(4),
                    target_date=datetime.date(plan.financial_year_start + 1, 3, 31),
                    target_text=f"March {plan.financial_year_start + 1}",
                    order=n // len(priorities) + 1,
                    # Most carry on from last year's work; the first update moves the rest on.
                    status="on_track" if n % 5 else "not_started",
                    rag="green" if n % 5 else "",
                    lead_users=[people[n % len(people)]],
                    commitments=[commitments[n % 2]] if n % 3 else [],
                    also_serves=[also] if n % 4 == 0 and also != priority else [],
                )
            )
        # Owners add notes through the year: one edit for every fourth action.
        for n, action in enumerate(made[::4]):
            plan_services.action_update(
                action=action,
                actor=people[n % len(people)],
                reason="Note added (generated)",
                recorded_at=agreed + datetime.timedelta(days=30 + n % 60),
                comment=self.sentence(15),
            )

    def reviews(self, plan, *, past_year):
        """Every outcome's update, submitted and accepted, in each quarter of a past year; in
        the current year Q1 accepted and closed, and Q2 a mix like the demo's. A past year's
        action entries are written in bulk (one service call each would take minutes), with
        their history as update_save writes it: created with the draft, changed at submission."""
        from lacstrategy.demo import submit_and_decide
        from reviews import selectors as review_selectors
        from reviews import services as review_services

        periods = list(plan.review_periods.order_by("quarter"))
        quarters = periods if past_year else periods[:2]
        outcomes = list(plan.strategy.outcomes.prefetch_related("owners").order_by("number"))
        for period in quarters:
            submitted = on(period.updates_due_on, 9)
            drafted = submitted - datetime.timedelta(days=3)
            for outcome in outcomes:
                state = "accepted"
                if not past_year and period.quarter == 2:
                    state = ["accepted", "submitted", "returned", "draft"][outcome.number % 4]
                owner = outcome.owners.all()[0]
                sheet = review_selectors.update_sheet(period=period, outcome=outcome)
                entries = {action: self.entry(action) for action in sheet.actions}
                figures = {
                    priority: {"comment": self.sentence(12)}
                    if priority.indicator.unit == "qualitative"
                    else {
                        "value": Decimal(self.random.randint(10, 90)),
                        "not_available": False,
                        "not_available_reason": "",
                        "comment": self.sentence(6),
                    }
                    for priority in sheet.priority_indicators
                }
                update = review_services.update_save(
                    period=period,
                    outcome=outcome,
                    actor=owner,
                    reason="Update saved as a draft",
                    recorded_at=drafted,
                    action_entries={} if past_year else entries,
                    indicator_entries=figures,
                    overall_rag=self.random.choice(["green", "amber", "red"]),
                    summary=self.sentence(40),
                    cyp_views=self.sentence(20),
                    cyp_views_source="survey",
                )
                if past_year:
                    self.phase(
                        "action entries (bulk)", self.bulk_entries, update, entries, owner, drafted
                    )
                if state == "draft":
                    continue
                submit_and_decide(
                    update,
                    sheet,
                    owner=owner,
                    chair=self.chair,
                    state=state,
                    submitted=submitted,
                    decided=submitted + datetime.timedelta(days=7),
                    return_comment=self.sentence(10) if state == "returned" else "",
                )
            if past_year or period.quarter == 1:
                review_services.period_close(
                    period=period,
                    actor=self.chair,
                    reason="Reviewed at the meeting (generated)",
                    recorded_at=on(period.meeting_on, 17),
                )

    def entry(self, action):
        """An action's answer this quarter: mostly as last quarter, sometimes moved on."""
        status = self.statuses.get(action.pk, action.status)
        if status == "not_started" or self.random.random() < 0.2:
            status = self.random.choice(["on_track", "at_risk", "off_track", "complete"])
        self.statuses[action.pk] = status
        return {
            "status": status,
            "rag": RAGS[status],
            "progress_note": self.sentence(self.random.randint(8, 30)),
        }

    def bulk_entries(self, update, entries, owner, drafted):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        from reviews.models import ActionUpdate

        # The draft had the statuses; the notes were finished before submitting.
        drafts = [
            ActionUpdate(
                outcome_update=update,
                action=action,
                status=values["status"],
                rag=values["rag"],
                progress_note="",
            )
            for action, values in entries.items()
        ]
        saved = {"default_user": owner, "default_change_reason": "Update saved as a draft"}
        made = bulk_create_with_history(drafts, ActionUpdate, default_date=drafted, **saved)
        for entry, values in zip(made, entries.values(), strict=True):
            entry.progress_note = values["progress_note"]
            entry.version = 2
        bulk_update_with_history(
            made,
            ActionUpdate,
            ["progress_note", "version"],
            default_date=drafted + datetime.timedelta(days=2),
            **saved,
        )

    def reports(self, plan):
        """A draft committee report on Q1 and Q2, as the demo's (the issued ones would each
        need a PDF drawn: see docs/performance.md)."""
        from reports import services as report_services

        for period in plan.review_periods.filter(quarter__in=(1, 2)).order_by("quarter"):
            report_services.report_create(
                period=period,
                actor=self.actor,
                reason="Report drafted",
                recorded_at=on(period.updates_due_on, 12),
                meeting_on=period.meeting_on,
                describes="meeting",
                agenda_item="6",
                title=f"Progress in Q{period.quarter} {plan.year_label} (generated)",
                body="Generated committee",
                sponsor=self.sentence(4),
                author=self.sentence(3),
                purpose=self.sentence(25),
                information=self.sentence(40),
            )


def counts():
    """How many of each kind of record, and of history rows, the database holds."""
    from django.apps import apps

    found = {}
    for model in apps.get_models():
        label = model._meta.label
        if label.startswith(("actionplans.", "figures.", "reviews.", "reports.", "outcomes.")) or (
            label == "lacstrategy.User"
        ):
            found[label] = model._default_manager.count()
    history = sum(n for label, n in found.items() if ".Historical" in label)
    return found, history


def summary_lines(found, history):
    def total(*labels):
        return sum(found.get(label, 0) for label in labels)

    return [
        f"strategies:          {total('outcomes.Strategy')}",
        f"plans:               {total('actionplans.ActionPlan')}",
        f"actions:             {total('actionplans.Action')}",
        f"indicators:          {total('outcomes.Indicator')}",
        f"figures:             {total('figures.IndicatorFigure', 'figures.BenchmarkFigure')} "
        f"({total('figures.IndicatorFigure')} own, {total('figures.BenchmarkFigure')} compared)",
        f"people:              {total('lacstrategy.User')}",
        f"review periods:      {total('reviews.ReviewPeriod')}",
        f"quarterly updates:   {total('reviews.OutcomeUpdate')} "
        f"({total('reviews.ActionUpdate')} action entries)",
        f"committee reports:   {total('reports.CommitteeReport')}",
        f"history rows:        {history} (of these apps' records and people)",
    ]


def generate(*, scale=1.0, seed=16, with_demo=True):
    """Fill the database; returns (counts by model label, history rows, seconds by phase)."""
    from django.db import transaction

    with transaction.atomic():
        generator = Generator(scale=scale, seed=seed)
        generator.run(with_demo=with_demo)
    found, history = counts()
    return found, history, generator.timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 is ten councils' worth")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--without-demo", action="store_true", help="do not load the demo first")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")
    import django

    django.setup()
    from outcomes.models import Strategy

    if Strategy.objects.filter(title__startswith="Generated strategy").exists():
        sys.exit("This database holds generated strategies already: use a fresh one")
    started = time.perf_counter()
    found, history, timings = generate(
        scale=args.scale, seed=args.seed, with_demo=not args.without_demo
    )
    print(f"Made in {time.perf_counter() - started:.0f} s (scale {args.scale}, seed {args.seed}):")
    for line in summary_lines(found, history):
        print("  " + line)
    print("  time by phase: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))


if __name__ == "__main__":
    main()
