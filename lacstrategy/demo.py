"""The demo: Nottinghamshire's LAC and Care Leavers Strategy 2015-18 and its 2016-17 action plan.

The content is transcribed from the council's published documents into demo_data/. Loading is
safe to repeat: what already exists is left as it is, so nobody's edits are overwritten.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan, PriorityIndicator
from lacstrategy import roles
from lacstrategy.services import user_create
from outcomes import services as outcome_services
from outcomes.models import Indicator, Outcome, Strategy

DATA_FILE = Path(__file__).parent / "demo_data" / "nottinghamshire.json"
DEMO_PASSWORD = "corporate-parent-demo"
REASON = "Demo data loaded from the Nottinghamshire 2016-17 action plan"
SYSTEM_USERNAME = "system"

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


def system_user():
    """The account that management commands and imports act as in the history."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "full_name": "LAC Strategy system",
            "email": "system@lacstrategy.invalid",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _user(*, actor, username, role_names, **fields):
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        user.groups.add(*roles.role_groups(role_names))
    else:
        fields.setdefault("email", f"{username}@example.org")
        user = user_create(
            actor=actor,
            reason=REASON,
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
    actor = system_user()
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
            )
        for order, indicator_data in enumerate(outcome_data["indicators"], start=1):
            fields = {k: v for k, v in indicator_data.items() if k != "key"}
            indicator = Indicator.objects.filter(outcome=outcome, title=fields["title"]).first()
            if indicator is None:
                indicator = outcome_services.indicator_create(
                    outcome=outcome, actor=actor, reason=REASON, order=order, **fields
                )
            indicators[indicator_data["key"]] = indicator

    plan_data = data["action_plan"]
    plan = ActionPlan.objects.filter(
        strategy=strategy, financial_year_start=plan_data["financial_year_start"]
    ).first()
    if plan is None:
        plan = plan_services.action_plan_create(
            strategy=strategy,
            actor=actor,
            reason=REASON,
            financial_year_start=plan_data["financial_year_start"],
            status=plan_data["status"],
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
            )
    return accounts
