from django.utils.text import capfirst

from lacstrategy.selectors import terms
from lacstrategy.services import delete_record, save_record
from outcomes.models import (
    Commitment,
    Indicator,
    Outcome,
    OutcomeGroup,
    Strategy,
    StrategySection,
)


def strategy_create(*, actor, reason="Strategy created", **fields):
    return save_record(Strategy(), actor=actor, reason=reason, **fields)


def strategy_update(*, strategy, actor, reason="Strategy updated", **fields):
    return save_record(strategy, actor=actor, reason=reason, **fields)


def strategy_delete(*, strategy, actor, reason="Strategy deleted"):
    delete_record(strategy, actor=actor, reason=reason)


def outcome_create(*, strategy, actor, owners=(), reason="", **fields):
    reason = reason or f"{capfirst(terms().outcome)} created"
    outcome = Outcome(strategy=strategy)
    return save_record(outcome, actor=actor, reason=reason, m2m={"owners": owners}, **fields)


def outcome_update(*, outcome, actor, owners=None, reason="", **fields):
    reason = reason or f"{capfirst(terms().outcome)} updated"
    m2m = {} if owners is None else {"owners": owners}
    return save_record(outcome, actor=actor, reason=reason, m2m=m2m, **fields)


def outcome_delete(*, outcome, actor, reason=""):
    reason = reason or f"{capfirst(terms().outcome)} deleted"
    delete_record(outcome, actor=actor, reason=reason)


def indicator_create(*, outcome, actor, reason="Indicator created", framework_items=(), **fields):
    return save_record(
        Indicator(outcome=outcome),
        actor=actor,
        reason=reason,
        m2m={"framework_items": framework_items} if framework_items else None,
        **fields,
    )


def indicator_update(*, indicator, actor, reason="Indicator updated", **fields):
    return save_record(indicator, actor=actor, reason=reason, **fields)


def indicator_delete(*, indicator, actor, reason="Indicator deleted"):
    delete_record(indicator, actor=actor, reason=reason)


def group_create(*, strategy, actor, reason="", **fields):
    reason = reason or f"{capfirst(terms().group)} created"
    return save_record(OutcomeGroup(strategy=strategy), actor=actor, reason=reason, **fields)


def group_update(*, group, actor, reason="", **fields):
    reason = reason or f"{capfirst(terms().group)} updated"
    return save_record(group, actor=actor, reason=reason, **fields)


def group_delete(*, group, actor, reason=""):
    reason = reason or f"{capfirst(terms().group)} deleted"
    delete_record(group, actor=actor, reason=reason)


def commitment_create(*, outcome, actor, reason="Commitment added", **fields):
    return save_record(Commitment(outcome=outcome), actor=actor, reason=reason, **fields)


def commitment_update(*, commitment, actor, reason="Commitment updated", **fields):
    return save_record(commitment, actor=actor, reason=reason, **fields)


def commitment_delete(*, commitment, actor, reason="Commitment deleted"):
    delete_record(commitment, actor=actor, reason=reason)


def section_create(*, strategy, actor, reason="Strategy section added", **fields):
    return save_record(StrategySection(strategy=strategy), actor=actor, reason=reason, **fields)


def section_update(*, section, actor, reason="Strategy section updated", **fields):
    return save_record(section, actor=actor, reason=reason, **fields)


def section_delete(*, section, actor, reason="Strategy section deleted"):
    delete_record(section, actor=actor, reason=reason)
