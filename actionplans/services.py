from django.db import transaction

from actionplans.models import Action, ActionPlan, PriorityIndicator
from lacstrategy.services import delete_record, save_record


@transaction.atomic
def action_plan_create(*, strategy, actor, reason="Action plan created", **fields):
    """A new plan, with its four quarterly review periods."""
    from reviews.services import periods_create_for_plan  # reviews builds on this app

    plan = save_record(ActionPlan(strategy=strategy), actor=actor, reason=reason, **fields)
    periods_create_for_plan(
        action_plan=plan, actor=actor, reason=reason, recorded_at=fields.get("recorded_at")
    )
    return plan


def action_plan_update(*, action_plan, actor, reason="Action plan updated", **fields):
    return save_record(action_plan, actor=actor, reason=reason, **fields)


def action_plan_delete(*, action_plan, actor, reason="Action plan deleted"):
    delete_record(action_plan, actor=actor, reason=reason)


def priority_indicator_create(*, action_plan, actor, reason="Priority indicator chosen", **fields):
    return save_record(
        PriorityIndicator(action_plan=action_plan), actor=actor, reason=reason, **fields
    )


def priority_indicator_update(
    *, priority_indicator, actor, reason="Priority indicator updated", **fields
):
    return save_record(priority_indicator, actor=actor, reason=reason, **fields)


def priority_indicator_delete(*, priority_indicator, actor, reason="Priority indicator removed"):
    delete_record(priority_indicator, actor=actor, reason=reason)


def action_create(*, priority_indicator, actor, lead_users=(), reason="Action added", **fields):
    action = Action(priority_indicator=priority_indicator)
    return save_record(action, actor=actor, reason=reason, m2m={"lead_users": lead_users}, **fields)


def action_update(*, action, actor, lead_users=None, reason="Action updated", **fields):
    m2m = {} if lead_users is None else {"lead_users": lead_users}
    return save_record(action, actor=actor, reason=reason, m2m=m2m, **fields)


def action_delete(*, action, actor, reason="Action deleted", recorded_at=None):
    delete_record(action, actor=actor, reason=reason, recorded_at=recorded_at)
