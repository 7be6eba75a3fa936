"""Strategies shaped as other councils write them (issue 13, items 2 to 4): groups of outcomes
and how they are numbered, kinds, plan headings that are not outcomes, commitments, named
sections, action numbers and actions that serve more than one priority."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans.models import Action
from outcomes.models import Outcome, OutcomeGroup, StrategySection
from outcomes.selectors import commitments_without_action, outcomes_by_heading, strategy_outcomes
from outcomes.services import outcome_create, strategy_update
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    OutcomeFactory,
    OutcomeGroupFactory,
    PriorityIndicatorFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_numbers_start_again_in_each_group_where_the_strategy_says_so(users):
    strategy = StrategyFactory(outcome_numbering="group")
    first, second = (
        OutcomeGroupFactory(strategy=strategy, number=1),
        OutcomeGroupFactory(strategy=strategy, number=2),
    )
    admin = users["administrator"]
    outcome_create(strategy=strategy, actor=admin, group=first, number=1, statement="Safe")
    again = outcome_create(strategy=strategy, actor=admin, group=second, number=1, statement="Well")
    assert again.reference == "2.1"
    assert str(again) == "Outcome 2.1: Well"
    with pytest.raises(ValidationError) as error:
        outcome_create(strategy=strategy, actor=admin, group=second, number=1, statement="Again")
    assert error.value.message_dict == {"number": ["This group already has an outcome 1"]}


def test_numbers_running_across_the_strategy_are_unique_across_its_groups(users):
    strategy = StrategyFactory()
    admin = users["administrator"]
    first, second = OutcomeGroupFactory(strategy=strategy), OutcomeGroupFactory(strategy=strategy)
    outcome_create(strategy=strategy, actor=admin, group=first, number=7, statement="Safe")
    with pytest.raises(ValidationError) as error:
        outcome_create(strategy=strategy, actor=admin, group=second, number=7, statement="Well")
    assert error.value.message_dict == {"number": ["This strategy already has an outcome 7"]}
    assert outcome_create(
        strategy=strategy, actor=admin, group=second, number=8, statement="Well"
    ).reference == ("8")


def test_outcomes_come_under_their_group_or_kind_headings():
    strategy = StrategyFactory()
    OutcomeFactory(strategy=strategy, number=1, kind="outcome", statement="Healthy")
    OutcomeFactory(strategy=strategy, number=2, kind="delivery", statement="Fewer in care")
    OutcomeFactory(strategy=strategy, number=3, kind="heading", statement="Corporate parenting")
    by_kind = outcomes_by_heading(strategy.outcomes.all())
    assert [(heading, [o.number for o in outcomes]) for heading, outcomes in by_kind] == [
        ("Delivery outcomes", [2]),
        ("Outcome outcomes", [1]),
    ]

    grouped = StrategyFactory()
    statement = OutcomeGroupFactory(strategy=grouped, number=1, title="Safe and settled")
    OutcomeFactory(strategy=grouped, number=2, group=statement)
    OutcomeFactory(strategy=grouped, number=1)
    by_group = outcomes_by_heading(grouped.outcomes.all())
    assert [(heading, [o.number for o in outcomes]) for heading, outcomes in by_group] == [
        (str(statement), [2]),
        ("Other outcomes", [1]),
    ]

    plain = StrategyFactory()
    OutcomeFactory(strategy=plain, number=1)
    assert [heading for heading, _ in outcomes_by_heading(plain.outcomes.all())] == [""]


def test_the_commitments_with_no_action_this_year():
    strategy = StrategyFactory()
    plan = ActionPlanFactory(strategy=strategy)
    outcome = OutcomeFactory(strategy=strategy)
    assert commitments_without_action(action_plan=plan) is None  # none to speak of
    kept, forgotten = CommitmentFactory(outcome=outcome), CommitmentFactory(outcome=outcome)
    priority = PriorityIndicatorFactory(
        action_plan=plan, indicator=IndicatorFactory(outcome=outcome)
    )
    ActionFactory(priority_indicator=priority).commitments.set([kept])
    # An action in another year's plan does not count for this one.
    other_year = ActionPlanFactory(strategy=strategy, financial_year_start=2017)
    other_priority = PriorityIndicatorFactory(action_plan=other_year, indicator=priority.indicator)
    ActionFactory(priority_indicator=other_priority).commitments.set([forgotten])
    assert commitments_without_action(action_plan=plan) == [forgotten]


def test_the_commitments_with_no_action_are_in_the_strategy_s_order_however_they_are_read():
    strategy = StrategyFactory()
    plan = ActionPlanFactory(strategy=strategy)
    second = OutcomeFactory(strategy=strategy, number=2)
    first = OutcomeFactory(strategy=strategy, number=1)
    later = CommitmentFactory(outcome=second)
    first_b = CommitmentFactory(outcome=first, order=2)
    first_a = CommitmentFactory(outcome=first, order=1)
    in_order = [first_a, first_b, later]
    assert commitments_without_action(action_plan=plan) == in_order
    outcomes = strategy_outcomes(strategy=strategy)
    assert commitments_without_action(action_plan=plan, outcomes=outcomes) == in_order

    # Numbered again in each group: outcomes 1.1 and 2.1 tie on their order and number, and
    # their commitments then come by their own order, whichever way they are read.
    grouped = StrategyFactory(outcome_numbering="group")
    plan = ActionPlanFactory(strategy=grouped)
    one_one = OutcomeFactory(
        strategy=grouped, number=1, group=OutcomeGroupFactory(strategy=grouped)
    )
    two_one = OutcomeFactory(
        strategy=grouped, number=1, group=OutcomeGroupFactory(strategy=grouped)
    )
    second = CommitmentFactory(outcome=two_one, order=2)
    first, third = (
        CommitmentFactory(outcome=one_one, order=1),
        CommitmentFactory(outcome=one_one, order=3),
    )
    in_order = [first, second, third]
    assert commitments_without_action(action_plan=plan) == in_order
    for outcomes in (
        strategy_outcomes(strategy=grouped),
        strategy_outcomes(strategy=grouped)[::-1],
    ):
        assert commitments_without_action(action_plan=plan, outcomes=outcomes) == in_order


def test_the_plan_page_names_actions_by_number_and_says_what_else_they_serve(client, users):
    strategy = StrategyFactory()
    plan = ActionPlanFactory(strategy=strategy)
    priorities = []
    for number in (1, 2, 3):
        outcome = OutcomeFactory(strategy=strategy, number=number, kind="outcome")
        priorities.append(
            PriorityIndicatorFactory(action_plan=plan, indicator=IndicatorFactory(outcome=outcome))
        )
    heading = OutcomeFactory(
        strategy=strategy, number=4, kind="heading", statement="Corporate parenting"
    )
    heading_priority = PriorityIndicatorFactory(
        action_plan=plan, indicator=IndicatorFactory(outcome=heading)
    )
    shared = ActionFactory(priority_indicator=priorities[0], reference="7")
    shared.also_serves.set(priorities[1:])
    ActionFactory(priority_indicator=heading_priority, reference="12")
    commitment = CommitmentFactory(outcome=priorities[0].outcome, text="We will listen first")

    client.force_login(users["viewer"])
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Action 7" in page and "Action 12" in page
    assert "Also serves: Outcome 2: " in page
    assert page.count(f'href="{shared.get_absolute_url()}">Action 7</a>') == 2  # under 2 and 3
    assert "A heading in the plan, not an outcome" in page
    assert "Outcome outcome 1" in page  # the kind in the council's word
    assert "Commitments with no action in this plan" in page and commitment.text in page


def test_an_action_number_is_used_once_in_a_plan(client, users, plan_records):
    ActionFactory(priority_indicator=plan_records["priority"], reference="7")
    action = plan_records["other_action"]
    client.force_login(users["administrator"])
    response = client.post(
        reverse("actionplans:action_edit", args=[action.pk]),
        {
            "priority_indicator": action.priority_indicator_id,
            "reference": "7",
            "description": action.description,
            "status": "on_track",
            "order": "1",
        },
    )
    assert response.status_code == 400
    assert "This plan already has an action 7" in response.content.decode()
    action.refresh_from_db()
    assert action.reference == ""


def test_an_action_also_serves_other_priorities_of_its_plan_only(client, users, plan_records):
    action = plan_records["action"]
    other = plan_records["other_action"].priority_indicator
    client.force_login(users["administrator"])
    url = reverse("actionplans:action_edit", args=[action.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["also_serves"].queryset) == [other]
    response = client.post(
        url,
        {
            "priority_indicator": action.priority_indicator_id,
            "description": action.description,
            "status": "on_track",
            "order": "1",
            "also_serves": [other.pk],
            "change_reason": "It serves both",
        },
    )
    assert response.status_code == 302
    assert list(Action.objects.get(pk=action.pk).also_serves.all()) == [other]
    page = client.get(action.get_absolute_url()).content.decode()
    assert "It serves both" in page


def test_a_survey_rating_needs_a_survey(client, users, plan_records):
    priority = plan_records["priority"]
    client.force_login(users["administrator"])
    response = client.post(
        reverse("actionplans:priority_indicator_edit", args=[priority.pk]),
        {
            "indicator": priority.indicator_id,
            "origin": "jsna",
            "survey_rating": "red",
            "order": "0",
        },
    )
    assert "Give a survey&#x27;s rating only where it came from a survey" in (
        response.content.decode()
    )


def test_an_administrator_adds_a_group_a_section_and_a_commitment(client, users, plan_records):
    strategy, outcome = plan_records["strategy"], plan_records["outcome"]
    client.force_login(users["administrator"])
    response = client.post(
        reverse("outcomes:group_create", args=[strategy.pk]),
        {"number": "2", "title": "Children in care are heard"},
    )
    group = OutcomeGroup.objects.get(strategy=strategy, number=2)
    assert response["Location"] == group.get_absolute_url()
    assert group.history.latest().history_change_reason == "Theme created"  # the council's word

    client.post(
        reverse("outcomes:section_create", args=[strategy.pk]),
        {"heading": "Governance", "body": "The board meets.\n\nIt reports yearly.", "order": "2"},
    )
    section = StrategySection.objects.get(heading="Governance")
    assert section.paragraphs == ["The board meets.", "It reports yearly."]

    client.post(
        reverse("outcomes:commitment_create", args=[outcome.pk]),
        {"text": "We will ask every child", "order": "1"},
    )
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert "We will ask every child" in page
    strategy_page = client.get(strategy.get_absolute_url()).content.decode()
    assert "Governance" in strategy_page and "Children in care are heard" in strategy_page

    client.force_login(users["strategy_group_member"])
    refused = client.post(
        reverse("outcomes:group_create", args=[strategy.pk]), {"number": "3", "title": "No"}
    )
    assert refused.status_code == 403
    assert not Outcome.objects.filter(statement="No").exists()


def test_a_group_with_outcomes_is_not_deleted_from_under_them(client, users):
    strategy = StrategyFactory()
    group = OutcomeGroupFactory(strategy=strategy)
    OutcomeFactory(strategy=strategy, group=group, statement="Children are safe")
    client.force_login(users["administrator"])
    url = reverse("outcomes:group_delete", args=[group.pk])
    page = client.get(url).content.decode()
    assert "You cannot delete this theme yet" in page  # the council's word, not the model's
    response = client.post(url, {"reason": "Tidying up"})
    assert response.status_code == 409
    assert OutcomeGroup.objects.filter(pk=group.pk).exists()


def test_deleting_a_commitment_says_the_actions_lose_their_link(client, users, plan_records):
    commitment = plan_records["commitment"]
    plan_records["action"].commitments.set([commitment])
    client.force_login(users["administrator"])
    page = client.get(reverse("outcomes:commitment_delete", args=[commitment.pk])).content.decode()
    assert "the link from 1 action" in page
    strategy_page = client.get(
        reverse("outcomes:strategy_delete", args=[plan_records["strategy"].pk])
    ).content.decode()
    assert "the link from" not in strategy_page  # the actions go too, and come back with it


def test_numbering_runs_across_the_strategy_only_where_the_numbers_do_not_repeat(users):
    strategy = StrategyFactory(outcome_numbering="group")
    for number in (1, 2):
        group = OutcomeGroupFactory(strategy=strategy, number=number)
        OutcomeFactory(strategy=strategy, group=group, number=1)
    with pytest.raises(ValidationError) as error:
        strategy_update(
            strategy=strategy, actor=users["administrator"], outcome_numbering="strategy"
        )
    assert error.value.message_dict == {
        "outcome_numbering": ["Numbers repeat across the groups (1): renumber them first"]
    }


def test_actions_are_planned_for_an_outcome_as_a_whole_once(client, users):
    strategy = StrategyFactory()
    plan = ActionPlanFactory(strategy=strategy)
    outcome = OutcomeFactory(strategy=strategy, statement="Corporate parenting", kind="heading")
    client.force_login(users["administrator"])
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Plan actions for the heading as a whole" in page
    url = reverse("actionplans:outcome_priority", args=[plan.pk, outcome.pk])
    first, second = client.post(url), client.post(url)  # a double-click
    priority = plan.priority_indicators.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("actionplans:action_create", args=[priority.pk])
    )
    assert (priority.indicator.title, priority.indicator.unit) == (
        "Corporate parenting",
        "qualitative",
    )
    assert outcome.indicators.count() == 1
    client.force_login(users["strategy_group_member"])
    assert client.post(url).status_code == 403
