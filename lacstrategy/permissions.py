"""The one place that answers "may this user do this to this object".

Views call `require()`; templates use `{% load rules %}{% has_perm ... %}`. Both read the rules
registered here, so a screen never shows a button that its view would refuse.
"""

import rules
from django.core.exceptions import PermissionDenied

from lacstrategy import roles


def _has_role(name):
    @rules.predicate(name=f"has role {name}")
    def predicate(user):
        return user.is_superuser or name in roles.user_roles(user)

    return predicate


is_administrator = _has_role(roles.ADMINISTRATOR)
is_strategy_group_member = _has_role(roles.STRATEGY_GROUP_MEMBER)


@rules.predicate
def has_any_role(user):
    return user.is_superuser or bool(roles.user_roles(user))


def outcome_of(obj):
    """The outcome a record belongs to: itself, or an update's, a priority indicator's or an
    action's outcome (None for anything else)."""
    if obj is None:
        return None
    if obj._meta.label == "outcomes.Outcome":
        return obj
    if hasattr(obj, "outcome"):
        return obj.outcome
    if hasattr(obj, "priority_indicator"):
        obj = obj.priority_indicator
    if hasattr(obj, "indicator"):
        return obj.indicator.outcome
    return None


@rules.predicate
def owns_the_outcome(user, obj):
    outcome = outcome_of(obj)
    # owners.all() is prefetched by the selectors, so this costs no query on list pages.
    return outcome is not None and any(owner.pk == user.pk for owner in outcome.owners.all())


@rules.predicate
def is_chair(user):
    return user.is_authenticated and user.is_chair


@rules.predicate
def period_is_open(user, obj):
    period = getattr(obj, "period", obj)
    return period is not None and period.is_open


@rules.predicate
def owners_can_edit_update(user, update):
    return update is not None and update.owners_can_edit


@rules.predicate
def update_is_submitted(user, update):
    return update is not None and update.status == "submitted"


is_participation_worker = _has_role(roles.PARTICIPATION_WORKER)


@rules.predicate
def voice_period_is_open(user, obj):
    """A view (or, to record one, its strategy) not tied to a closed quarter's review."""
    period = getattr(obj, "period", None) if getattr(obj, "period_id", None) else None
    return period is None or period.is_open


@rules.predicate
def asked_for_the_job(user, job):
    return job is not None and job.requested_by_id == user.pk


# Starting a job again needs what starting it needed, in case the person has lost that role.
JOB_STARTERS = {
    "issue_report": "reports.write_reports",
    "dfe_import": "figures.import_figures",
    "document": "lacstrategy.view_records",
}


@rules.predicate
def may_start_the_job(user, job):
    return job is not None and user.has_perm(JOB_STARTERS[job.kind])


can_read = has_any_role
can_manage_structure = is_administrator
can_plan = is_administrator | is_strategy_group_member
# Being named as an outcome's owner is what lets someone keep its actions current.
can_edit_action = can_plan | (has_any_role & owns_the_outcome)

RULES = {
    "lacstrategy.view_records": can_read,
    "lacstrategy.manage_people": is_administrator,
    "lacstrategy.manage_council": is_administrator,
    "lacstrategy.restore_records": is_administrator,
    # Anyone who can sign in looks after their own two-step sign-in, with or without a role.
    "lacstrategy.own_two_step": rules.is_authenticated,
    "lacstrategy.remove_two_step": is_administrator,
    "redaction.redact_text": is_administrator,
    "outcomes.add_strategy": can_manage_structure,
    "outcomes.change_strategy": can_manage_structure,
    "outcomes.delete_strategy": can_manage_structure,
    "outcomes.add_outcome": can_manage_structure,
    "outcomes.change_outcome": can_manage_structure,
    "outcomes.delete_outcome": can_manage_structure,
    # A strategy's groups of outcomes, its named sections and its outcomes' commitments.
    "outcomes.manage_groups": can_manage_structure,
    "outcomes.manage_sections": can_manage_structure,
    "outcomes.manage_commitments": can_manage_structure,
    "outcomes.add_indicator": can_manage_structure,
    "outcomes.change_indicator": can_manage_structure,
    "outcomes.delete_indicator": can_manage_structure,
    "actionplans.add_actionplan": can_manage_structure,
    "actionplans.change_actionplan": can_manage_structure,
    "actionplans.delete_actionplan": can_manage_structure,
    "actionplans.add_priorityindicator": can_plan,
    "actionplans.change_priorityindicator": can_plan,
    "actionplans.delete_priorityindicator": can_manage_structure,
    "actionplans.add_action": can_edit_action,
    "actionplans.change_action": can_edit_action,
    "actionplans.delete_action": can_manage_structure,
    "actionplans.import_plan": can_plan,
    # Makes an indicator (the outcome as a whole) as well as a priority: the strategy's
    # structure.
    "actionplans.plan_outcome_as_a_whole": can_manage_structure,
    # The quarterly cycle. An update object may be unsaved (not started yet).
    "reviews.edit_update": (is_administrator | (has_any_role & owns_the_outcome))
    & period_is_open
    & owners_can_edit_update,
    "reviews.decide_update": (is_administrator | is_chair) & period_is_open & update_is_submitted,
    "reviews.manage_periods": is_administrator,
    "figures.enter_figures": can_plan,
    "reports.write_reports": is_administrator | _has_role(roles.COMMITTEE_OFFICER),
    "figures.import_figures": can_plan,
    "figures.manage_profiles": is_administrator,
    # A job's page and file hold what one person asked for (a report, a PDF).
    "jobs.view_job": has_any_role & (asked_for_the_job | is_administrator),
    "jobs.start_again": has_any_role & (asked_for_the_job | is_administrator) & may_start_the_job,
    # Children and young people's views, and the council's responses: a view heard for a
    # quarter's review changes no more once the review is closed.
    "voices.record_views": (is_administrator | is_participation_worker) & voice_period_is_open,
    "voices.respond": is_administrator | is_participation_worker,
    # A framework's later version (the old one and its tags stay).
    "frameworks.add_version": is_administrator,
    # What the public page may show of the council's own words.
    "public.approve_texts": is_administrator,
}

for _name, _predicate in RULES.items():
    rules.add_perm(_name, _predicate)


def allows(user, perm, obj=None):
    if perm not in RULES:
        raise ValueError(f"Unknown permission {perm!r}: add it to lacstrategy.permissions.RULES")
    return user.has_perm(perm, obj)


# When someone's role allows a thing but the record's state no longer does (a co-owner submitted
# a moment ago, the period was closed), say that, rather than blaming their role.
STATE_REFUSALS = {
    "reviews.edit_update": (
        is_administrator | (has_any_role & owns_the_outcome),
        [
            (
                period_is_open,
                "This quarter's review is closed, so its updates cannot change. "
                "An administrator can reopen it.",
            ),
            (
                owners_can_edit_update,
                "This update has been submitted (perhaps by a co-owner a "
                "moment ago), so it cannot be changed now. The chair can return it to you.",
            ),
        ],
    ),
    "reviews.decide_update": (
        is_administrator | is_chair,
        [
            (
                period_is_open,
                "This quarter's review is closed, so its updates cannot change. "
                "An administrator can reopen it.",
            ),
            (
                update_is_submitted,
                "This update is not waiting for a decision: it has been "
                "accepted or returned already, or its owner has not submitted it yet.",
            ),
        ],
    ),
    "voices.record_views": (
        is_administrator | is_participation_worker,
        [
            (
                voice_period_is_open,
                "This view was heard for a quarter's review that is now closed, so it cannot "
                "change. An administrator can reopen the review.",
            )
        ],
    ),
}


def require(user, perm, obj=None):
    if allows(user, perm, obj):
        return
    role_allows, states = STATE_REFUSALS.get(perm, (None, []))
    if role_allows is not None and role_allows.test(user, obj):
        for state_allows, reason in states:
            if not state_allows.test(user, obj):
                raise PermissionDenied(reason)
    raise PermissionDenied
