"""Writes: recording what children and young people said, and the council's response."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lacstrategy.selectors import council
from lacstrategy.services import EditConflict, delete_record, save_record
from voices.models import Voice, VoiceResponse

ABOUT = ("outcomes", "indicators", "actions", "framework_items")


def _check_about(*, strategy, period, outcomes, indicators, actions):
    """A view is about records of its own strategy, and heard for one of its plans' quarters."""
    problems = {}
    if period is not None and period.action_plan.strategy_id != strategy.pk:
        problems["period"] = "Choose a quarter of this strategy's plans"
    if any(o.strategy_id != strategy.pk for o in outcomes):
        problems["outcomes"] = "Choose outcomes of this strategy"
    if any(i.outcome.strategy_id != strategy.pk for i in indicators):
        problems["indicators"] = "Choose indicators of this strategy"
    if any(a.priority_indicator.action_plan.strategy_id != strategy.pk for a in actions):
        problems["actions"] = "Choose actions of this strategy's plans"
    if problems:
        raise ValidationError(problems)


def _closed_period_refusal(period):
    if period is not None and not period.is_open:
        raise ValidationError(
            {
                "period": "That quarter's review is closed, so views cannot be added to it or "
                "changed in it. An administrator can reopen it."
            }
        )


@transaction.atomic
def voice_save(
    *,
    voice,
    actor,
    reason="",
    seen_version=None,
    recorded_at=None,
    outcomes=(),
    indicators=(),
    actions=(),
    framework_items=(),
    **fields,
):
    """Record a view (a new `Voice` with its strategy set) or change one, with what it is
    about. A view heard for a closed quarter's review stays as the review saw it."""
    period = fields.get("period", voice.period if voice.period_id else None)
    _closed_period_refusal(voice.period if voice.period_id else None)
    _closed_period_refusal(period)
    _check_about(
        strategy=voice.strategy,
        period=period,
        outcomes=outcomes,
        indicators=indicators,
        actions=actions,
    )
    if not reason:
        reason = "View recorded" if voice._state.adding else "View changed"
        if fields.get("source") == Voice.Source.CHILDREN_COUNCIL:
            reason = f"{reason}: {council().children_council}"
    return save_record(
        voice,
        actor=actor,
        reason=reason,
        seen_version=seen_version,
        recorded_at=recorded_at,
        m2m={
            "outcomes": list(outcomes),
            "indicators": list(indicators),
            "actions": list(actions),
            "framework_items": list(framework_items),
        },
        **fields,
    )


@transaction.atomic
def voice_delete(*, voice, actor, reason):
    _closed_period_refusal(voice.period)
    delete_record(voice, actor=actor, reason=reason)


@transaction.atomic
def response_save(*, voice, actor, reason="", seen_version=None, recorded_at=None, **fields):
    """Give a view its response, or change it (its status as the work goes on)."""
    # Locks the view, so two people answering it at once cannot both make a response.
    voice = Voice.objects.select_for_update().get(pk=voice.pk)
    response = VoiceResponse.objects.filter(voice=voice).first()
    if response is None:
        response = VoiceResponse(voice=voice)
        reason = reason or "Response recorded"
    elif seen_version is None:
        # A form for a new response, but someone gave one first: the same again (a double
        # click) changes nothing; anything else is theirs to see before saving over it.
        if all(getattr(response, name) == value for name, value in fields.items()):
            return response
        raise EditConflict(response, 0)
    else:
        reason = reason or "Response changed"
    return save_record(
        response,
        actor=actor,
        reason=reason,
        seen_version=seen_version,
        recorded_at=recorded_at,
        **fields,
    )
