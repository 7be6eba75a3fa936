import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan
from tests.factories import ActionFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_roll_over_carries_forward_what_is_not_complete(client, users, plan_records):
    plan, action = plan_records["plan"], plan_records["action"]
    action.comment = "Waiting for the new fostering contract"
    action.save()
    done = ActionFactory(priority_indicator=plan_records["priority"], status="complete")
    dropped_action = plan_records["other_action"]  # its priority is not kept
    new_indicator = IndicatorFactory(outcome=plan_records["outcome"], title="A new priority")
    client.force_login(users["administrator"])
    data = {
        f"keep-{plan_records['indicator'].pk}": "1",
        f"target-{plan_records['indicator'].pk}": "85%",
        f"keep-{new_indicator.pk}": "1",
        "next_year": "2017",
    }
    response = client.post(reverse("actionplans:annual_review", args=[plan.pk]), data)
    new_plan = ActionPlan.objects.get(financial_year_start=2017)
    assert response["Location"] == new_plan.get_absolute_url()
    assert new_plan.status == "draft" and new_plan.review_periods.count() == 4
    assert sorted(p.indicator.title for p in new_plan.priority_indicators.all()) == sorted(
        [plan_records["indicator"].title, "A new priority"]
    )
    carried = Action.objects.get(priority_indicator__action_plan=new_plan)
    assert carried.carried_from == action and carried.description == action.description
    assert carried.comment == "Waiting for the new fostering contract"
    assert carried.history.latest().history_change_reason == "Carried forward from the 2016-17 plan"
    assert not Action.objects.filter(carried_from__in=[done, dropped_action]).exists()

    summary = client.get(reverse("actionplans:annual_summary", args=[plan.pk])).content.decode()
    assert (
        "1 action completed, 1 carried forward, 1 not complete and not carried forward" in summary
    )


def test_a_year_outside_the_strategy_is_refused_and_nothing_is_made(client, users, plan_records):
    client.force_login(users["administrator"])
    data = {f"keep-{plan_records['indicator'].pk}": "1", "next_year": "2018"}
    response = client.post(
        reverse("actionplans:annual_review", args=[plan_records["plan"].pk]), data
    )
    assert response.status_code == 400
    assert b"must lie within the strategy period" in response.content
    assert ActionPlan.objects.count() == 1


def test_only_administrators_roll_a_plan_over(client, users, plan_records):
    client.force_login(users["strategy_group_member"])
    url = reverse("actionplans:annual_review", args=[plan_records["plan"].pk])
    assert b"Create next year's plan" not in client.get(url).content
    response = client.post(url, {f"keep-{plan_records['indicator'].pk}": "1", "next_year": "2017"})
    assert response.status_code == 403 and ActionPlan.objects.count() == 1


def test_the_service_refuses_a_second_plan_for_the_same_year(users, plan_records):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        plan_services.plan_roll_over(
            plan=plan_records["plan"],
            actor=users["administrator"],
            financial_year_start=2016,
            priorities={plan_records["indicator"]: ""},
        )
