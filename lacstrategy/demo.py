"""The demo: Nottinghamshire's LAC and Care Leavers Strategy 2015-18 and its 2016-17 action plan.

The content is transcribed from the council's published documents into demo_data/. Loading is
safe to repeat: what already exists is left as it is, so nobody's edits are overwritten.
"""

import datetime
import json
import random
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan, PriorityIndicator
from figures import services as figure_services
from figures.models import BenchmarkFigure
from lacstrategy import roles
from lacstrategy.models import Council
from lacstrategy.services import (
    council_save,
    save_record,
    system_account,
    user_create,
    user_update,
)
from outcomes import services as outcome_services
from outcomes.models import Indicator, Outcome, Strategy
from reports import services as report_services
from reviews import selectors as review_selectors
from reviews import services as review_services

DATA_FILE = Path(__file__).parent / "demo_data" / "nottinghamshire.json"
LONDON = zoneinfo.ZoneInfo("Europe/London")
STRATEGY_AGREED = datetime.datetime(2015, 6, 17, 10, 0, tzinfo=LONDON)
PLAN_AGREED = datetime.datetime(2016, 3, 22, 10, 0, tzinfo=LONDON)  # agreed before the year
EDIT_NOTE = " (illustrative demo edit)"

# A few plausible quarterly edits by the outcome owners, so that the history has a story.
# The statuses and RAG ratings are illustrative: the seed documents do not give them.
DEMO_EDITS = [
    (
        "2016-06-24 14:10",
        "katie.warner",
        2,
        1,
        {"status": "on_track", "rag": "green"},
        "Q1 update: visits now record whether the child was seen alone",
    ),
    (
        "2016-06-24 14:18",
        "katie.warner",
        2,
        5,
        {"status": "at_risk", "rag": "amber"},
        "Q1 update: return interviews not always within 72 hours",
    ),
    (
        "2016-06-28 09:30",
        "kathryn.higgins",
        1,
        8,
        {"status": "off_track", "rag": "red"},
        "Q1 update: consent paperwork still missing at handover",
    ),
    (
        "2016-06-29 11:05",
        "nicole.chavaudra",
        1,
        4,
        {"status": "on_track", "rag": "green"},
        "Q1 update: Public Health Registrar started the needs assessment",
    ),
    (
        "2016-06-30 16:40",
        "sue.denholm",
        3,
        1,
        {"status": "on_track", "rag": "green"},
        "Q1 update: termly tracking data in from in- and out-of-county schools",
    ),
    (
        "2016-07-01 10:15",
        "pom.bhogal",
        5,
        4,
        {"status": "on_track", "rag": "green"},
        "Q1 update: two No Labels meetings held",
    ),
    (
        "2016-09-22 15:00",
        "katie.warner",
        2,
        5,
        {"status": "on_track", "rag": "green"},
        "Q2 update: missing protocol refreshed with team managers",
    ),
    (
        "2016-09-27 10:20",
        "kathryn.higgins",
        1,
        8,
        {"status": "at_risk", "rag": "amber"},
        "Q2 update: same-day notification to Through Care now in place",
    ),
    (
        "2016-09-29 12:45",
        "michelle.lee",
        4,
        6,
        {"status": "on_track", "rag": "green"},
        "Q2 update: GRAL materials issued to all 16 and 17 year olds",
    ),
]
DEMO_PASSWORD = "corporate-parent-demo"
DEMO_COUNCIL_NAME = "Nottinghamshire County Council (demo)"
# Nottinghamshire's plan calls a year's chosen indicators "priority areas"; the other words are
# the defaults, which are its own.
DEMO_WORDS = {"priority_singular": "priority area", "priority_plural": "priority areas"}
REASON = "Demo data loaded from the Nottinghamshire 2016-17 action plan"

# One sign-in for each role. These people are fictional; the outcome owners come from the seed.
DEMO_ACCOUNTS = [
    {
        "username": "admin",
        "full_name": "Alex Morgan",
        "job_title": "Performance and Business Support Officer",
        "organisation": "Children's Services",
        "roles": [roles.ADMINISTRATOR],
    },
    {
        "username": "member",
        "full_name": "Jordan Lee",
        "job_title": "Detective Inspector, Public Protection",
        "organisation": "Police",
        "roles": [roles.STRATEGY_GROUP_MEMBER],
    },
    {
        "username": "chair",
        "full_name": "Chris Hall",
        "job_title": "Chair of the LAC Strategy Group, Service Director",
        "organisation": "Children's Social Care",
        "roles": [roles.STRATEGY_GROUP_MEMBER],
        "is_chair": True,
    },
    {
        "username": "committee",
        "full_name": "Priya Shah",
        "job_title": "Democratic Services Officer",
        "organisation": "Democratic Services",
        "roles": [roles.COMMITTEE_OFFICER],
    },
    {
        "username": "participation",
        "full_name": "Sam Carter",
        "job_title": "Participation Worker, Children in Care Council",
        "organisation": "Youth Service",
        "roles": [roles.PARTICIPATION_WORKER],
    },
    {
        "username": "viewer",
        "full_name": "Morgan Ellis",
        "job_title": "Head of Virtual School partnerships",
        "organisation": "Education",
        "roles": [roles.VIEWER],
    },
]


def _user(*, actor, username, role_names, **fields):
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        missing = set(role_names) - roles.user_roles(user)
        if missing:
            user_update(
                user=user,
                actor=actor,
                reason=REASON,
                role_names=sorted(roles.user_roles(user) | missing),
            )
    else:
        fields.setdefault("email", f"{username}@example.org")
        user = user_create(
            actor=actor,
            reason=REASON,
            recorded_at=STRATEGY_AGREED,
            password=DEMO_PASSWORD,
            role_names=role_names,
            username=username,
            **fields,
        )
    return user


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_demo():
    """Load the demo; returns the sign-ins as (username, name, roles) rows."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    actor = system_account()
    if not Council.objects.exists():
        council_save(actor=actor, reason=REASON, name=DEMO_COUNCIL_NAME, **DEMO_WORDS)
    accounts = []
    for account in DEMO_ACCOUNTS:
        _user(
            actor=actor,
            role_names=account["roles"],
            **{k: v for k, v in account.items() if k != "roles"},
        )
        accounts.append((account["username"], account["full_name"], ", ".join(account["roles"])))
    people = {}
    for person in data["people"]:
        people[person["username"]] = _user(actor=actor, role_names=[roles.OUTCOME_OWNER], **person)
        accounts.append((person["username"], person["full_name"], roles.OUTCOME_OWNER))

    strategy_data = dict(data["strategy"])
    strategy = Strategy.objects.filter(title=strategy_data["title"]).first()
    if strategy is None:
        strategy = outcome_services.strategy_create(
            actor=actor,
            reason=REASON,
            title=strategy_data["title"],
            period_start=_date(strategy_data["period_start"]),
            period_end=_date(strategy_data["period_end"]),
            vision=strategy_data["vision"],
            principles="\n".join(strategy_data["principles"]),
            pledge=strategy_data["pledge"],
            status=strategy_data["status"],
            approved_by=strategy_data["approved_by"],
            approved_on=_date(strategy_data["approved_on"]),
            recorded_at=STRATEGY_AGREED,
        )

    indicators = {}
    for outcome_data in data["outcomes"]:
        outcome = Outcome.objects.filter(strategy=strategy, number=outcome_data["number"]).first()
        if outcome is None:
            outcome = outcome_services.outcome_create(
                strategy=strategy,
                actor=actor,
                reason=REASON,
                owners=[people[username] for username in outcome_data["owners"]],
                number=outcome_data["number"],
                statement=outcome_data["statement"],
                kind=outcome_data["kind"],
                commitment=outcome_data["commitment"],
                order=outcome_data["number"],
                recorded_at=STRATEGY_AGREED,
            )
        for order, indicator_data in enumerate(outcome_data["indicators"], start=1):
            fields = {k: v for k, v in indicator_data.items() if k != "key"}
            indicator = Indicator.objects.filter(outcome=outcome, title=fields["title"]).first()
            if indicator is None:
                indicator = outcome_services.indicator_create(
                    outcome=outcome,
                    actor=actor,
                    reason=REASON,
                    order=order,
                    recorded_at=STRATEGY_AGREED,
                    **fields,
                )
            indicators[indicator_data["key"]] = indicator

    plan_data = data["action_plan"]
    plan = ActionPlan.objects.filter(
        strategy=strategy, financial_year_start=plan_data["financial_year_start"]
    ).first()
    new_plan = plan is None
    if new_plan:
        plan = plan_services.action_plan_create(
            strategy=strategy,
            actor=actor,
            reason=REASON,
            financial_year_start=plan_data["financial_year_start"],
            status=plan_data["status"],
            recorded_at=PLAN_AGREED,
        )
    for order, priority_data in enumerate(plan_data["priority_indicators"], start=1):
        indicator = indicators[priority_data["indicator"]]
        priority = PriorityIndicator.objects.filter(action_plan=plan, indicator=indicator).first()
        if priority is None:
            priority = plan_services.priority_indicator_create(
                action_plan=plan,
                actor=actor,
                reason=REASON,
                indicator=indicator,
                target=priority_data["target"],
                rationale=priority_data["rationale"],
                order=order,
                recorded_at=PLAN_AGREED,
            )
        for action_data in priority_data["actions"]:
            if Action.objects.filter(
                priority_indicator=priority, description=action_data["description"]
            ).exists():
                continue
            plan_services.action_create(
                priority_indicator=priority,
                actor=actor,
                reason=REASON,
                lead_users=[people[username] for username in action_data["lead_users"]],
                description=action_data["description"],
                measure=action_data["measure"],
                undertaken_by=action_data["undertaken_by"],
                target_text=action_data["target_text"],
                target_date=_date(action_data["target_date"]),
                cyp_views=action_data["cyp_views"],
                order=action_data["order"],
                recorded_at=PLAN_AGREED,
            )
    if new_plan:
        _record_demo_edits(plan, people)
        _record_demo_reviews(plan, people, chair=get_user_model().objects.get(username="chair"))
        _record_demo_figures(plan, actor)
        _record_demo_reports(plan, get_user_model().objects.get(username="committee"))
    return accounts


def _record_demo_edits(plan, people):
    for when, username, outcome_number, order, fields, reason in DEMO_EDITS:
        action = Action.objects.get(
            priority_indicator__action_plan=plan,
            priority_indicator__indicator__outcome__number=outcome_number,
            order=order,
        )
        plan_services.action_update(
            action=action,
            actor=people[username],
            reason=reason + EDIT_NOTE,
            recorded_at=datetime.datetime.fromisoformat(when).replace(tzinfo=LONDON),
            **fields,
        )
    # An action added twice by mistake and deleted, so that "Deleted records" has an example.
    original = Action.objects.get(
        priority_indicator__action_plan=plan,
        priority_indicator__indicator__outcome__number=5,
        order=1,
    )
    duplicate = plan_services.action_create(
        priority_indicator=original.priority_indicator,
        actor=people["pom.bhogal"],
        reason="Added" + EDIT_NOTE,
        description=original.description,
        undertaken_by=original.undertaken_by,
        target_text=original.target_text,
        order=99,
        recorded_at=datetime.datetime(2016, 7, 4, 9, 0, tzinfo=LONDON),
    )
    plan_services.action_delete(
        action=duplicate,
        actor=people["pom.bhogal"],
        reason="Added twice by mistake" + EDIT_NOTE,
        recorded_at=datetime.datetime(2016, 7, 4, 9, 5, tzinfo=LONDON),
    )


def _at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LONDON)


# The 2016-17 quarterly cycle so far (illustrative): Q1 reviewed and closed; in Q2 three
# updates accepted, one returned with a comment, one submitted and one not started (overdue).
Q1_SUBMITTED = "2016-07-12 16:00"
Q1_DECIDED = "2016-07-26 11:00"
Q2_PLAN = {
    1: "accepted",
    2: "accepted",
    3: "returned",
    4: "accepted",
    5: "submitted",
    6: "not started",
}
Q2_RETURN_COMMENT = (
    "Please add the latest termly tracking figures and say which schools the Virtual School "
    "has challenged on pupil premium plus."
)


def _record_demo_reviews(plan, people, *, chair):
    """Q1 and Q2 updates that reflect the demo edits: statuses as the owners reported them."""
    periods = {period.quarter: period for period in plan.review_periods.all()}
    for outcome in plan.strategy.outcomes.prefetch_related("owners"):
        owner = outcome.owners.order_by("full_name").first()
        _demo_update(periods[1], outcome, owner, chair, "accepted", Q1_SUBMITTED, Q1_DECIDED)
        state = Q2_PLAN[outcome.number]
        if state != "not started":
            _demo_update(
                periods[2], outcome, owner, chair, state, "2016-10-12 15:30", "2016-10-25 11:00"
            )
    review_services.period_close(
        period=periods[1],
        actor=chair,
        reason="Reviewed at the Strategy Group meeting of 28 July 2016" + EDIT_NOTE,
        recorded_at=_at("2016-07-28 12:00"),
    )
    review_services.council_comment_create(
        period=periods[2],
        actor=get_user_model().objects.get(username="participation"),
        reason="Comments from No Labels" + EDIT_NOTE,
        recorded_at=_at("2016-09-08 18:00"),
        met_on=datetime.date(2016, 9, 6),
        comments=(
            "Illustrative demo comments: members said they want to see their social worker on "
            "their own more often, and that pathway plan meetings should be at times that fit "
            "around college."
        ),
    )


def _demo_update(period, outcome, owner, chair, state, submitted, decided):
    sheet = review_selectors.update_sheet(period=period, outcome=outcome)
    entries = {
        action: {
            "status": action.status if action.status != "not_started" else "on_track",
            "rag": action.rag or "green",
            "progress_note": "Illustrative progress note for the demo.",
        }
        for action in sheet.actions
    }
    figures = {
        priority: {
            "value": None,
            "not_available": True,
            "not_available_reason": "Illustrative: figures come from the indicator data",
            "comment": "",
        }
        if priority.indicator.unit != Indicator.Unit.QUALITATIVE
        # A priority with no figure is reported in words.
        else {"comment": "Illustrative: what happened on this priority this quarter."}
        for priority in sheet.priority_indicators
    }
    update = review_services.update_save(
        period=period,
        outcome=outcome,
        actor=owner,
        reason="Update saved as a draft" + EDIT_NOTE,
        recorded_at=_at(submitted) - datetime.timedelta(days=3),
        action_entries=entries,
        indicator_entries=figures,
        overall_rag="amber" if outcome.number in (1, 2) else "green",
        summary=f"Illustrative Q{period.quarter} summary for outcome {outcome.number}: "
        "progress against the priority areas is described here by the outcome owner.",
        cyp_views="Illustrative: views gathered at the Children in Care Council this quarter.",
        cyp_views_source="cicc",
    )
    review_services.update_submit(
        update=update,
        actor=owner,
        actions=sheet.actions,
        priority_indicators=sheet.priority_indicators,
        recorded_at=_at(submitted),
    )
    if state == "accepted":
        review_services.update_accept(update=update, actor=chair, recorded_at=_at(decided))
    elif state == "returned":
        review_services.update_return(
            update=update, actor=chair, comment=Q2_RETURN_COMMENT, recorded_at=_at(decided)
        )


# Illustrative figures, so that the charts show something real-looking. Every one is flagged
# as illustrative and shown as such: none of them is Nottinghamshire's or the DfE's.
DEMO_COUNCIL = {
    "name": "Nottinghamshire (demo)",
    "la_code": "E10000024",
    "old_la_code": "891",
    "region_code": "E12000004",
    "region_name": "East Midlands",
    # An illustrative list of ten county councils, not the DfE/NFER model's.
    "statistical_neighbours": "E10000007, E10000017, E10000028, E10000034, E10000031, "
    "E10000018, E10000019, E10000021, E10000016, E10000012",
}
OTHER_AUTHORITIES = ["E10000002", "E10000003", "E10000006", "E10000008", "E10000009"]
DEMO_YEARS = [2013, 2014, 2015, 2016]


def _record_demo_figures(plan, actor):
    council = figure_services.council_profile_save(
        actor=actor, reason="Demo council codes" + EDIT_NOTE, **DEMO_COUNCIL
    )
    randomness = random.Random(2016)  # the same illustrative figures on every machine
    priorities = plan.priority_indicators.select_related("indicator__outcome").order_by("order")
    first_of_each_outcome = {}
    for priority in priorities:
        if priority.indicator.unit == "percentage":
            first_of_each_outcome.setdefault(priority.indicator.outcome_id, priority)
    for priority in first_of_each_outcome.values():
        indicator = priority.indicator
        higher = indicator.better == "higher"
        england = Decimal(randomness.randint(55, 80))
        own = england - (4 if higher else -4)
        for year in DEMO_YEARS:
            drift = Decimal(randomness.choice([-2, -1, 0, 1, 2, 3]))
            england += drift / 2
            own += drift if higher else -drift
            period_end = datetime.date(year, 3, 31)
            published = datetime.datetime(year, 9, 30, 9, 0, tzinfo=LONDON)  # as DfE would
            figure_services.figure_save(
                indicator=indicator,
                period_end=period_end,
                actor=actor,
                reason="Illustrative demo figure",
                recorded_at=published,
                period_label=str(year),
                value=own,
                denominator=Decimal(randomness.randint(60, 90)) if year < 2016 else Decimal(9),
                is_illustrative=True,
                source="Illustrative demo data",
                note="Illustrative: a comment on the latest figure would go here."
                if year == DEMO_YEARS[-1]
                else "",
            )
            areas = [
                ("national", "E92000001", "England", england),
                ("regional", council.region_code, council.region_name, england - 1),
            ] + [
                ("local_authority", code, code, england + randomness.randint(-9, 9))
                for code in council.neighbour_codes + OTHER_AUTHORITIES
            ]
            for level, code, name, value in areas:
                save_record(
                    BenchmarkFigure(indicator=indicator),
                    actor=actor,
                    reason="Illustrative demo comparator",
                    recorded_at=published,
                    level=level,
                    area_code=code,
                    area_name=name,
                    period_label=str(year),
                    period_end=period_end,
                    value=max(Decimal(0), min(Decimal(100), value)),
                    source="Illustrative demo data",
                    is_illustrative=True,
                )
        plan_services.priority_indicator_update(
            priority_indicator=priority,
            actor=actor,
            reason="Illustrative demo target",
            recorded_at=PLAN_AGREED,
            target_value=england.quantize(Decimal("1")),
            amber_tolerance=Decimal(5),
        )


# Committee reports in the shape of the council's own (seed 001): Q1 issued, Q2 a draft.
REPORT_TEXT = {
    "body": "Corporate Parenting Sub-Committee",
    "sponsor": "Corporate Director, Children, Families and Cultural Services",
    "author": "Priya Shah, Democratic Services Officer",
    "contact_details": "T: 01234 567890 (illustrative)\nE: committee@example.org",
    "purpose": "The purpose of this report is to update the Sub-Committee on progress against "
    "the Looked After Children and Care Leavers Annual Action Plan 2016-17.",
    "information": "The LAC Strategy Group reviewed the outcome owners' updates for the quarter. "
    "The progress below is drawn from the records; the statuses and figures in this demo are "
    "illustrative.",
    "other_options": "No other options have been considered.",
    "reasons": "To ensure the effective delivery of services which will drive the improvement of "
    "outcomes for looked after children and care leavers.",
    "statutory": "This report has been compiled after consideration of implications in respect "
    "of crime and disorder, finance, human resources, human rights, the public sector equality "
    "duty, safeguarding of children and vulnerable adults, service users, sustainability and the "
    "environment. Where such implications are material they are described below.",
    "safeguarding": "The action plan seeks to strengthen support and practice which will ensure "
    "looked after children and care leavers continue to be safeguarded.",
    "service_users": "Looked after children and care leavers will benefit from improved services "
    "and multi-agency working aimed at improving outcomes.",
    "recommendations": "That the progress against the Annual Action Plan 2016-17 is noted.",
}


def _record_demo_reports(plan, officer):
    periods = {period.quarter: period for period in plan.review_periods.all()}
    q1 = report_services.report_create(
        period=periods[1],
        actor=officer,
        reason="Report drafted" + EDIT_NOTE,
        recorded_at=_at("2016-08-15 10:00"),
        meeting_on=datetime.date(2016, 9, 12),
        agenda_item="6",
        title="Looked After Children and Care Leavers Strategy: progress in Q1 2016-17",
        **REPORT_TEXT,
    )
    report_services.report_issue(report=q1, actor=officer, recorded_at=_at("2016-09-01 09:00"))
    report_services.report_create(
        period=periods[2],
        actor=officer,
        reason="Report drafted" + EDIT_NOTE,
        recorded_at=_at("2016-11-07 10:00"),
        meeting_on=datetime.date(2016, 12, 12),
        agenda_item="7",
        title="Looked After Children and Care Leavers Strategy: progress in Q2 2016-17",
        **REPORT_TEXT,
    )
