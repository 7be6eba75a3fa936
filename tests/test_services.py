import datetime

import pytest
from django.core.exceptions import ValidationError

from actionplans import services as plan_services
from actionplans.models import Action, Rag
from outcomes import services as outcome_services
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    PriorityIndicatorFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_update_records_who_and_why(users):
    action = ActionFactory()
    plan_services.action_update(
        action=action,
        actor=users["strategy_group_member"],
        reason="Quarter 1 progress",
        status=Action.Status.ON_TRACK,
        rag=Rag.GREEN,
    )
    latest = action.history.latest()
    assert latest.history_user == users["strategy_group_member"]
    assert latest.history_change_reason == "Quarter 1 progress"
    assert latest.status == "on_track"
    assert latest.prev_record.status == "not_started"


def test_create_with_many_to_many_records_the_leads(users):
    priority = PriorityIndicatorFactory()
    action = plan_services.action_create(
        priority_indicator=priority,
        actor=users["administrator"],
        lead_users=[users["outcome_owner"]],
        description="Foster carer training on mental health",
    )
    latest = action.history.latest()
    assert [row.user for row in latest.lead_users.all()] == [users["outcome_owner"]]
    assert latest.history_user == users["administrator"]


def test_delete_keeps_a_copy_with_the_reason(users):
    action = ActionFactory()
    action_id = action.pk
    plan_services.action_delete(action=action, actor=users["administrator"], reason="Duplicate")
    assert not Action.objects.filter(pk=action_id).exists()
    deleted = Action.history.filter(id=action_id, history_type="-").get()
    assert deleted.history_change_reason == "Duplicate"
    assert deleted.history_user == users["administrator"]


def test_a_service_refuses_invalid_data_and_saves_nothing(users):
    strategy = StrategyFactory()
    with pytest.raises(ValidationError) as error:
        outcome_services.strategy_update(
            strategy=strategy,
            actor=users["administrator"],
            period_end=datetime.date(2014, 1, 1),
        )
    assert "period_end" in error.value.message_dict
    strategy.refresh_from_db()
    assert strategy.period_end == datetime.date(2018, 3, 31)
    assert strategy.history.count() == 1


def test_a_change_needs_a_reason(users):
    with pytest.raises(ValueError):
        outcome_services.indicator_update(
            indicator=IndicatorFactory(), actor=users["administrator"], reason=""
        )
