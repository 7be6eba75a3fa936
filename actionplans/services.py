from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst

from actionplans.models import Action, ActionPlan, PlanImport, PriorityIndicator
from actionplans.plan_import import (
    Planned,
    council_headings,
    kept_upload_preview,
    plan_import_preview,
)
from actionplans.plan_template import MAX_UPLOAD_BYTES, read_upload
from lacstrategy.selectors import terms
from lacstrategy.services import (
    PreviewOutOfDate,
    UploadGone,
    delete_record,
    preview_refused,
    save_record,
)
from outcomes.models import Indicator, Outcome
from outcomes.services import indicator_create


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


def priority_indicator_create(*, action_plan, actor, reason="", **fields):
    reason = reason or f"{capfirst(terms().priority)} chosen"
    return save_record(
        PriorityIndicator(action_plan=action_plan), actor=actor, reason=reason, **fields
    )


@transaction.atomic
def outcome_priority(*, action_plan, outcome, actor):
    """The plan's priority for an outcome as a whole, where the plan names no measure for it:
    a statement (qualitative) indicator worded as the outcome, chosen for this year, so its
    actions are planned and updated in words. Made once: a second call finds it."""
    Outcome.objects.select_for_update().get(pk=outcome.pk)  # one at a time per outcome
    priority = PriorityIndicator.objects.filter(
        action_plan=action_plan,
        indicator__outcome=outcome,
        indicator__unit=Indicator.Unit.QUALITATIVE,
        indicator__title=outcome.statement,
    ).first()
    if priority:
        return priority
    indicator = Indicator.objects.filter(
        outcome=outcome, unit=Indicator.Unit.QUALITATIVE, title=outcome.statement
    ).first() or indicator_create(
        outcome=outcome,
        actor=actor,
        reason=f"The {terms().outcome} as a whole, for a plan that names no measure for it",
        title=outcome.statement,
        unit=Indicator.Unit.QUALITATIVE,
        better=Indicator.Better.NEITHER,
    )
    return priority_indicator_create(
        action_plan=action_plan,
        actor=actor,
        reason=f"Actions planned for the {terms().outcome} as a whole",
        indicator=indicator,
    )


def priority_indicator_update(*, priority_indicator, actor, reason="", **fields):
    reason = reason or f"{capfirst(terms().priority)} updated"
    return save_record(priority_indicator, actor=actor, reason=reason, **fields)


def priority_indicator_delete(*, priority_indicator, actor, reason=""):
    reason = reason or f"{capfirst(terms().priority)} removed"
    delete_record(priority_indicator, actor=actor, reason=reason)


# The action's links to people, other priorities and the strategy's commitments.
ACTION_LINKS = ("lead_users", "also_serves", "commitments", "framework_items")


def _links(fields):
    """Pop the links out of `fields`; a link given as None is left as it is."""
    links = {name: fields.pop(name) for name in ACTION_LINKS if name in fields}
    return {name: chosen for name, chosen in links.items() if chosen is not None}


def action_create(*, priority_indicator, actor, reason="Action added", **fields):
    action = Action(priority_indicator=priority_indicator)
    m2m = _links(fields)
    return save_record(action, actor=actor, reason=reason, m2m=m2m, **fields)


def action_update(*, action, actor, reason="Action updated", **fields):
    m2m = _links(fields)
    return save_record(action, actor=actor, reason=reason, m2m=m2m, **fields)


def action_delete(*, action, actor, reason="Action deleted", recorded_at=None):
    delete_record(action, actor=actor, reason=reason, recorded_at=recorded_at)


@transaction.atomic
def plan_roll_over(*, plan, actor, financial_year_start, priorities):
    """Next year's plan from this one, after the annual review.

    `priorities` maps each indicator chosen for next year to its target words. Priority
    indicators kept from this year bring their actions that are not complete or withdrawn,
    each linked to the action it came from; complete ones stay behind. The new plan gets its
    four review periods and starts as a draft.
    """
    reason = f"Rolled over from the {plan.year_label} plan"
    new_plan = action_plan_create(
        strategy=plan.strategy,
        actor=actor,
        reason=reason,
        financial_year_start=financial_year_start,
        status=ActionPlan.Status.DRAFT,
    )
    this_year = {
        p.indicator_id: p
        for p in plan.priority_indicators.prefetch_related(
            "actions__lead_users", "actions__framework_items"
        )
    }
    for order, (indicator, target) in enumerate(priorities.items(), start=1):
        kept = this_year.get(indicator.pk)
        priority = priority_indicator_create(
            action_plan=new_plan,
            actor=actor,
            reason=reason,
            indicator=indicator,
            target=target,
            rationale=kept.rationale if kept else "",
            order=order,
        )
        if kept is None:
            continue
        for action in kept.actions.all():
            if action.status in (Action.Status.COMPLETE, Action.Status.WITHDRAWN):
                continue
            action_create(
                priority_indicator=priority,
                actor=actor,
                reason=f"Carried forward from the {plan.year_label} plan",
                lead_users=list(action.lead_users.all()),
                framework_items=list(action.framework_items.all()),
                carried_from=action,
                description=action.description,
                measure=action.measure,
                undertaken_by=action.undertaken_by,
                target_date=action.target_date,
                target_text=action.target_text,
                cyp_views=action.cyp_views,
                comment=action.comment,
                status=action.status,
                rag=action.rag,
                order=action.order,
            )
    return new_plan


# Importing a plan from the spreadsheet template


def plan_import_create(*, action_plan, actor, file_name, data):
    """Keep an upload, read once, until its preview is confirmed. Only its size is refused
    here: the preview reports everything else."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: an action plan "
            "is far smaller. Check that it is the right file"
        )
    upload = PlanImport(
        action_plan=action_plan,
        file_name=file_name[:200],
        content=data,
        parsed=read_upload(file_name, data, council_headings()),
        uploaded_by=actor,
    )
    return save_record(upload, actor=actor, reason=f"Uploaded {file_name} for preview")


@transaction.atomic
def plan_import_discard(*, plan_import, actor):
    # Waits for a confirmation under way: an imported upload is not said to be discarded.
    if not PlanImport.objects.select_for_update().filter(pk=plan_import.pk).exists():
        raise UploadGone(plan_import.action_plan)
    delete_record(plan_import, actor=actor, reason="Upload discarded")


@transaction.atomic
def plan_import_apply(*, plan_import, actor, fingerprint, check_permissions=True):
    """Save what the preview showed, in one transaction, or nothing.

    `fingerprint` is the preview's, as the person saw it; if the plan has changed since, so
    that the import would now do something else, PreviewOutOfDate is raised and nothing is saved.
    """
    # Two confirmations at once (a double click) must not both save: the second waits here,
    # then finds the upload gone.
    if not PlanImport.objects.select_for_update().filter(pk=plan_import.pk).exists():
        raise UploadGone
    preview = kept_upload_preview(
        plan=plan_import.action_plan,
        parsed=plan_import.parsed,
        actor=actor,
        check_permissions=check_permissions,
    )
    if preview.errors:
        raise preview_refused(preview)
    if preview.fingerprint != fingerprint:
        raise PreviewOutOfDate(preview)
    _save_planned(preview, actor=actor, reason=f"Imported from {plan_import.file_name}")
    delete_record(plan_import, actor=actor, reason="Imported")
    return preview


@transaction.atomic
def plan_import_file(*, action_plan, actor, file_name, data, check_permissions=True):
    """Compare and import in one go, for scripted loads: every change or none."""
    preview = plan_import_preview(
        plan=action_plan,
        file_name=file_name,
        data=data,
        actor=actor,
        check_permissions=check_permissions,
    )
    if preview.errors:
        raise preview_refused(preview)
    _save_planned(preview, actor=actor, reason=f"Imported from {file_name}")
    return preview


def _save_planned(preview, *, actor, reason):
    def saved(value):
        return value.saved if isinstance(value, Planned) else value

    for planned in preview.writes:  # parents come before their children
        fields = {name: saved(value) for name, value in planned.fields.items()}
        m2m = {name: [saved(value) for value in values] for name, values in planned.m2m.items()}
        planned.saved = save_record(
            planned.record or planned.model(), actor=actor, reason=reason, m2m=m2m, **fields
        )
