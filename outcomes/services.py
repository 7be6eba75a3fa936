from django.utils.text import capfirst

from lacstrategy.selectors import terms
from lacstrategy.services import delete_record, save_record
from outcomes.models import Indicator, Outcome, Strategy


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


def indicator_create(*, outcome, actor, reason="Indicator created", **fields):
    return save_record(Indicator(outcome=outcome), actor=actor, reason=reason, **fields)


def indicator_update(*, indicator, actor, reason="Indicator updated", **fields):
    return save_record(indicator, actor=actor, reason=reason, **fields)


def indicator_delete(*, indicator, actor, reason="Indicator deleted"):
    delete_record(indicator, actor=actor, reason=reason)
