"""Writes for the quarterly cycle. Each one records who did it and why in the history."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.text import capfirst

from actionplans import services as plan_services
from figures import services as figure_services
from lacstrategy.selectors import council
from lacstrategy.services import save_record
from outcomes.models import Indicator, Outcome
from reviews.models import (
    ActionUpdate,
    IndicatorUpdate,
    OutcomeUpdate,
    ReminderSent,
    ReviewPeriod,
)
from reviews.selectors import current_periods

# Defaults an administrator can change: updates two weeks after the quarter, meeting two after.
DUE_AFTER_QUARTER = datetime.timedelta(days=14)
MEETING_AFTER_QUARTER = datetime.timedelta(days=28)


@transaction.atomic
def periods_create_for_plan(*, action_plan, actor, reason, recorded_at=None):
    periods = []
    for quarter in range(1, 5):
        period = ReviewPeriod(action_plan=action_plan, quarter=quarter)
        periods.append(
            save_record(
                period,
                actor=actor,
                reason=reason,
                recorded_at=recorded_at,
                updates_due_on=period.ends_on + DUE_AFTER_QUARTER,
                meeting_on=period.ends_on + MEETING_AFTER_QUARTER,
            )
        )
    return periods


def period_update(*, period, actor, reason="Review period dates changed", **fields):
    return save_record(period, actor=actor, reason=reason, **fields)


def period_close(*, period, actor, reason="", **extra):
    reason = reason or f"Reviewed at the {council().terms.review_group} meeting"
    return save_record(
        period, actor=actor, reason=reason, status=ReviewPeriod.Status.CLOSED, **extra
    )


def period_reopen(*, period, actor, reason, **extra):
    if not reason:
        raise ValidationError({"reason": "Enter why the period is being reopened"})
    return save_record(
        period, actor=actor, reason=f"Reopened: {reason}", status=ReviewPeriod.Status.OPEN, **extra
    )


def _require_open(period):
    if not period.is_open:
        raise ValidationError(f"{period} is closed: nothing in it can change")


@transaction.atomic
def update_save(
    *,
    period,
    outcome,
    actor,
    action_entries,
    indicator_entries,
    seen_version=None,
    reason="Update saved as a draft",
    recorded_at=None,
    **fields,
):
    """Create or change an outcome's update for the period, with its action and indicator entries.

    `action_entries` maps each Action to its status, rag and progress_note; `indicator_entries`
    maps each PriorityIndicator to its value, not_available, not_available_reason and comment.
    """
    _require_open(period)
    update = OutcomeUpdate.objects.filter(period=period, outcome=outcome).first()
    if update is None:
        update = OutcomeUpdate(period=period, outcome=outcome)
    elif not update.owners_can_edit:
        raise ValidationError("This update has been submitted and can no longer be changed")
    if update.status == OutcomeUpdate.Status.RETURNED:
        fields["status"] = OutcomeUpdate.Status.RETURNED  # stays returned until resubmitted
    stamp = {"actor": actor, "reason": reason, "recorded_at": recorded_at}
    save_record(update, seen_version=seen_version, **stamp, **fields)
    existing = {entry.action_id: entry for entry in update.action_updates.all()}
    for action, values in action_entries.items():
        entry = existing.get(action.pk) or ActionUpdate(outcome_update=update, action=action)
        if entry.pk is None or any(getattr(entry, k) != v for k, v in values.items()):
            save_record(entry, **stamp, **values)
    existing = {entry.priority_indicator_id: entry for entry in update.indicator_updates.all()}
    for priority_indicator, values in indicator_entries.items():
        entry = existing.get(priority_indicator.pk) or IndicatorUpdate(
            outcome_update=update, priority_indicator=priority_indicator
        )
        if entry.pk is None or any(getattr(entry, k) != v for k, v in values.items()):
            save_record(entry, **stamp, **values)
    return update


@dataclass(frozen=True)
class Problem:
    """What stops an update being submitted, and the id of the form field that answers it."""

    text: str
    field: str

    def __str__(self):
        return self.text


def missing_for_submission(update, *, actions, priority_indicators):
    """What stops an update being submitted, in words an outcome owner can act on."""
    entries = {entry.action_id: entry for entry in update.action_updates.all()}
    figures = {entry.priority_indicator_id: entry for entry in update.indicator_updates.all()}
    outcome = council().terms.outcome
    problems = []
    for number, action in enumerate(actions, start=1):
        entry = entries.get(action.pk)
        if entry is None or not entry.status:
            problems.append(
                Problem(
                    f"Choose a status for action {number}: {action}",
                    f"id_action-{action.pk}-status_1",
                )
            )
    for priority_indicator in priority_indicators:
        entry = figures.get(priority_indicator.pk)
        prefix = f"id_figure-{priority_indicator.pk}"
        if priority_indicator.indicator.unit == Indicator.Unit.QUALITATIVE:
            if entry is None or not entry.comment.strip():
                problems.append(
                    Problem(
                        f"Say what has happened on '{priority_indicator}' this quarter",
                        f"{prefix}-comment",
                    )
                )
        elif entry is None or (entry.value is None and not entry.not_available):
            problems.append(
                Problem(
                    f"Enter the latest figure for '{priority_indicator}', or say it is not "
                    "available",
                    f"{prefix}-value",
                )
            )
    if not update.overall_rag:
        problems.append(
            Problem(f"Choose an overall RAG rating for the {outcome}", "id_outcome-overall_rag_1")
        )
    if not update.summary.strip():
        problems.append(
            Problem(f"Write a summary of progress for the {outcome}", "id_outcome-summary")
        )
    return problems


@transaction.atomic
def update_submit(*, update, actor, actions, priority_indicators, recorded_at=None):
    _require_open(update.period)
    if not update.owners_can_edit:
        raise ValidationError("This update has already been submitted")
    problems = missing_for_submission(
        update, actions=actions, priority_indicators=priority_indicators
    )
    if problems:
        raise ValidationError([problem.text for problem in problems])
    return save_record(
        update,
        actor=actor,
        reason=f"Update submitted to the {council().terms.chair}",
        recorded_at=recorded_at,
        status=OutcomeUpdate.Status.SUBMITTED,
        submitted_by=actor,
        submitted_at=recorded_at or timezone.now(),
    )


def _decide(update, *, actor, status, reason, comment, recorded_at):
    """The chair's decision on a submitted update: accepted or returned."""
    _require_open(update.period)
    if update.status != OutcomeUpdate.Status.SUBMITTED:
        raise ValidationError("Only a submitted update can be accepted or returned")
    return save_record(
        update,
        actor=actor,
        reason=reason,
        recorded_at=recorded_at,
        status=status,
        decided_by=actor,
        decided_at=recorded_at or timezone.now(),
        return_comment=comment,
    )


@transaction.atomic
def update_accept(*, update, actor, recorded_at=None):
    """Accept a submitted update and write each action's status and RAG back to the plan."""
    _decide(
        update,
        actor=actor,
        status=OutcomeUpdate.Status.ACCEPTED,
        reason="Update accepted",
        comment="",
        recorded_at=recorded_at,
    )
    reason = f"From the accepted {update.period} update by {update.submitted_by}"
    period = update.period
    source = f"Outcome update, Q{period.quarter} {period.action_plan.year_label}"
    for figure in update.indicator_updates.select_related("priority_indicator__indicator"):
        indicator = figure.priority_indicator.indicator
        if figure.value is None or indicator.unit == Indicator.Unit.QUALITATIVE:
            # "not available" leaves no figure (it is not a suppressed one); nor does a priority
            # reported in words, whatever figure a draft held before its indicator became one
            continue
        if (
            indicator.figures.filter(period_end=period.ends_on)
            .exclude(source__startswith="Outcome update")
            .exists()
        ):
            continue  # a published or entered figure for that date is kept, not overwritten
        figure_services.figure_save(
            indicator=indicator,
            period_end=period.ends_on,
            actor=actor,
            reason=reason,
            recorded_at=recorded_at,
            period_label=f"Q{period.quarter} {period.action_plan.year_label}",
            value=figure.value,
            note=figure.comment,
            source=source,
        )
    for entry in update.action_updates.select_related("action"):
        action = entry.action
        if entry.status and (entry.status, entry.rag) != (action.status, action.rag):
            plan_services.action_update(
                action=action,
                actor=actor,
                reason=reason,
                recorded_at=recorded_at,
                status=entry.status,
                rag=entry.rag,
            )
    return update


def update_return(*, update, actor, comment, recorded_at=None):
    if not comment.strip():
        raise ValidationError({"return_comment": "Enter what the owner needs to change"})
    return _decide(
        update,
        actor=actor,
        status=OutcomeUpdate.Status.RETURNED,
        reason="Update returned to the owner",
        comment=comment,
        recorded_at=recorded_at,
    )


def _recipients(outcome):
    return sorted(owner.email for owner in outcome.owners.all() if owner.is_active and owner.email)


@transaction.atomic
def send_update_reminders(*, today=None, actor):
    """E-mail owners whose update is not in yet: before it is due, on the day, and once overdue
    (copying the chair). Each reminder is sent once; returns the reminders sent."""
    today = today or timezone.localdate()
    chairs = sorted(
        get_user_model()
        .objects.filter(is_chair=True, is_active=True)
        .values_list("email", flat=True)
    )
    terms = council().terms
    sent = []
    periods = current_periods()
    prefetch_related_objects(
        periods,
        "updates",
        "reminders",
        Prefetch(
            "action_plan__strategy__outcomes",
            queryset=Outcome.objects.prefetch_related("owners"),
        ),
    )
    for period in periods:
        done = {
            update.outcome_id
            for update in period.updates.all()
            if update.status in (OutcomeUpdate.Status.SUBMITTED, OutcomeUpdate.Status.ACCEPTED)
        }
        already = {(r.outcome_id, r.kind) for r in period.reminders.all()}
        for outcome in period.action_plan.strategy.outcomes.all():
            if outcome.pk in done:
                continue
            kind = _reminder_kind(period.updates_due_on, today)
            if kind is None or (outcome.pk, kind) in already:
                continue
            to = _recipients(outcome)
            cc = chairs if kind == ReminderSent.Kind.OVERDUE else []
            if not to:
                continue
            send_mail(
                subject=_subject(kind, period, outcome, terms),
                message=_message(kind, period, outcome, terms),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=to + cc,
            )
            sent.append(
                save_record(
                    ReminderSent(period=period, outcome=outcome, kind=kind),
                    actor=actor,
                    reason="Reminder e-mailed",
                    sent_to=", ".join(to + cc),
                )
            )
    return sent


def _reminder_kind(due, today):
    if today > due:
        return ReminderSent.Kind.OVERDUE
    if today == due:
        return ReminderSent.Kind.DUE_TODAY
    if today >= due - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE):
        return ReminderSent.Kind.BEFORE
    return None


def _subject(kind, period, outcome, terms):
    what = ReminderSent.Kind(kind).label.lower()
    return (
        f"{terms.service}: your Q{period.quarter} update for {terms.outcome} {outcome.number} "
        f"is {what}"
    )


def _message(kind, period, outcome, terms):
    when = f"{period.updates_due_on:%-d %B %Y}"
    lead = {
        "before": f"Your update is due on {when}.",
        "due_today": "Your update is due today.",
        "overdue": f"Your update was due on {when} and has not been submitted yet. "
        f"The {terms.chair} has been copied in.",
    }[kind]
    return (
        f"{lead}\n\n{capfirst(terms.outcome)} {outcome.number}: {outcome.statement}\n"
        f"Review period: {period}\n"
        f"Review meeting: {period.meeting_on:%-d %B %Y}\n\n"
        f"Sign in to {terms.service} and open 'My updates' to fill it in."
    )
