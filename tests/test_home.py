"""The home page as each person's task list: what is due, overdue, returned, waiting for a
decision, actions at risk, the next meeting, and for administrators what is not set up."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from lacstrategy import roles
from lacstrategy.models import User as Person
from lacstrategy.selectors import setup_gaps
from lacstrategy.services import council_save
from outcomes.models import Strategy
from reviews.models import OutcomeUpdate
from reviews.selectors import home_tasks
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    OutcomeFactory,
    OutcomeUpdateFactory,
    PriorityIndicatorFactory,
    ReviewPeriodFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2016, 7, 14)  # Q1 2016-17's updates, as the factory dates them
BEFORE = DUE - datetime.timedelta(days=3)
AFTER = DUE + datetime.timedelta(days=1)


@pytest.fixture
def cycle(users):
    """Q1 open: `outcome_owner` owns outcomes 1 (nothing yet), 2 (returned) and 3 (submitted);
    `other_outcome_owner` owns 4 (submitted too)."""
    owner, other = users["outcome_owner"], users["other_outcome_owner"]
    strategy = StrategyFactory()
    plan = ActionPlanFactory(strategy=strategy)
    period = ReviewPeriodFactory(action_plan=plan, quarter=1)
    outcomes = [
        OutcomeFactory(strategy=strategy, number=n, owners=[owner if n < 4 else other])
        for n in range(1, 5)
    ]
    PriorityIndicatorFactory(action_plan=plan, indicator__outcome=outcomes[0])
    returned = OutcomeUpdateFactory(
        period=period,
        outcome=outcomes[1],
        status="returned",
        decided_by=users["chair"],
        return_comment="Please add this term's figures",
    )
    submitted = OutcomeUpdateFactory(
        period=period, outcome=outcomes[2], status="submitted", submitted_by=owner
    )
    others = OutcomeUpdateFactory(period=period, outcome=outcomes[3], status="submitted")
    return {
        "period": period,
        "plan": plan,
        "outcomes": outcomes,
        "returned": returned,
        "submitted": submitted,
        "others": others,
    }


def test_an_owner_s_update_is_due_then_overdue(users, cycle):
    tasks = home_tasks(user=users["outcome_owner"], today=BEFORE)
    assert [t.outcome for t in tasks.due] == [cycle["outcomes"][0]]
    assert tasks.overdue == []
    late = home_tasks(user=users["outcome_owner"], today=AFTER)
    assert [t.outcome for t in late.overdue] == [cycle["outcomes"][0]]
    assert late.due == []


def test_a_returned_update_comes_back_to_its_owner_with_the_comment(users, cycle):
    tasks = home_tasks(user=users["outcome_owner"], today=BEFORE)
    assert [t.update for t in tasks.returned] == [cycle["returned"]]
    assert tasks.returned[0].update.return_comment == "Please add this term's figures"
    # Sent and waiting: nothing for the owner to do, but shown as done.
    assert [t.update for t in tasks.sent] == [cycle["submitted"]]


def test_another_owner_sees_only_their_own(users, cycle):
    tasks = home_tasks(user=users["other_outcome_owner"], today=BEFORE)
    assert tasks.due == tasks.overdue == tasks.returned == []
    assert [t.update for t in tasks.sent] == [cycle["others"]]
    assert tasks.to_decide == []


def test_the_chair_sees_updates_waiting_for_their_decision(users, cycle):
    tasks = home_tasks(user=users["chair"], today=BEFORE)
    assert [t.update for t in tasks.to_decide] == [cycle["submitted"], cycle["others"]]
    # Administrators may decide too, but while someone chairs it is not their task.
    assert home_tasks(user=users["administrator"], today=BEFORE).to_decide == []


def test_administrators_decide_when_nobody_chairs(users, cycle):
    users["chair"].is_chair = False
    users["chair"].save()
    tasks = home_tasks(user=users["administrator"], today=BEFORE)
    assert [t.update for t in tasks.to_decide] == [cycle["submitted"], cycle["others"]]


@pytest.mark.parametrize("who", ["outcome_owner", "strategy_group_member", "viewer"])
def test_others_have_no_decisions_to_make(users, cycle, who):
    assert home_tasks(user=users[who], today=BEFORE).to_decide == []


def test_a_closed_period_s_updates_wait_for_nobody(users, cycle):
    cycle["period"].status = "closed"
    cycle["period"].save()
    tasks = home_tasks(user=users["chair"], today=AFTER)
    assert tasks.to_decide == []
    owner = home_tasks(user=users["outcome_owner"], today=AFTER)
    assert owner.overdue == owner.due == owner.returned == []


def test_actions_at_risk_or_off_track_on_my_outcomes_or_that_i_lead(users, cycle):
    owner = users["outcome_owner"]
    period = cycle["period"]
    mine = PriorityIndicatorFactory(
        action_plan=cycle["plan"], indicator__outcome=cycle["outcomes"][0]
    )
    theirs = PriorityIndicatorFactory(
        action_plan=cycle["plan"], indicator__outcome=cycle["outcomes"][3]
    )
    red = ActionFactory(priority_indicator=mine, rag="red", status="on_track")
    off = ActionFactory(priority_indicator=mine, status="off_track")
    ActionFactory(priority_indicator=mine, rag="green", status="on_track")  # fine
    ActionFactory(priority_indicator=mine, rag="red", status="complete")  # done with
    led = ActionFactory(priority_indicator=theirs, rag="amber", lead_users=[owner])
    ActionFactory(priority_indicator=theirs, rag="red")  # not mine, nor led by me
    tasks = home_tasks(user=owner, today=BEFORE)
    assert tasks.actions == [red, led, off]  # red, then amber, then the rest
    assert [a.i_lead for a in tasks.actions] == [False, True, False]
    theirs_red = ActionFactory._meta.model.objects.get(rag="red", priority_indicator=theirs)
    assert home_tasks(user=users["other_outcome_owner"]).actions == [theirs_red, led]
    period.status = "closed"  # a plan no longer in use asks nothing
    period.save()
    assert home_tasks(user=owner, today=BEFORE).actions == []


def test_the_next_meeting_is_the_open_period_s(users, cycle):
    tasks = home_tasks(user=users["viewer"], today=BEFORE)
    assert tasks.periods == [cycle["period"]]
    assert tasks.next_meeting == cycle["period"]


def test_archived_strategies_ask_nothing(users, cycle):
    Strategy.objects.update(status=Strategy.Status.ARCHIVED)
    tasks = home_tasks(user=users["chair"], today=AFTER)
    assert tasks.to_decide == [] and tasks.periods == []


def test_the_most_urgent_thing(users, cycle):
    assert home_tasks(user=users["outcome_owner"], today=AFTER).most_urgent == "overdue"
    assert home_tasks(user=users["outcome_owner"], today=BEFORE).most_urgent == "returned"
    assert home_tasks(user=users["chair"], today=BEFORE).most_urgent == "to_decide"
    assert home_tasks(user=users["viewer"], today=BEFORE).most_urgent == ""


# What an administrator has still to set up


def gap_urls(gaps):
    return [gap.url for gap in gaps]


def test_a_fresh_install_s_gaps(db):
    gaps = setup_gaps()
    urls = gap_urls(gaps)
    assert reverse("council_settings") in urls  # no council name yet
    assert reverse("outcomes:strategy_create") in urls  # no strategy
    texts = " ".join(gap.text for gap in gaps)
    assert "The council's name is not set yet" in texts
    assert "chair" in texts  # the chair of the review group, in the council's words


def set_up_council(users):
    # Through the service, as the one council (pk 1) whatever the database's sequence says.
    return council_save(
        actor=users["administrator"],
        name="Testshire County Council",
        support_email="help@testshire.example.org",
        accessibility_prepared=datetime.date(2026, 9, 1),
    )


def test_a_set_up_council_has_no_gaps(users, cycle):
    set_up_council(users)
    for outcome in cycle["outcomes"]:
        assert outcome.owners.exists()
    assert setup_gaps(today=BEFORE) == []


def test_gaps_in_the_strategy_and_the_cycle(users, cycle):
    set_up_council(users)
    ownerless = OutcomeFactory(strategy=cycle["plan"].strategy, number=9)
    no_plan = StrategyFactory(title="A strategy with no plan yet")
    gaps = setup_gaps(today=cycle["period"].meeting_on + datetime.timedelta(days=1))
    urls = gap_urls(gaps)
    assert reverse("outcomes:outcome_edit", args=[ownerless.pk]) in urls
    assert reverse("actionplans:plan_create", args=[no_plan.pk]) in urls
    # The meeting has been and the period is still open: close it once reviewed.
    assert reverse("reviews:period_open_or_close", args=[cycle["period"].pk]) in urls


def test_no_help_contact_and_no_accessibility_statement_date(users, cycle):
    council_save(actor=users["administrator"], name="Testshire County Council")
    gaps = setup_gaps(today=BEFORE)
    assert gap_urls(gaps) == [
        reverse("council_settings") + "#id_support_email",
        reverse("council_settings") + "#id_accessibility_prepared_0",
    ]
    assert "nobody to ask for help" in gaps[0].text
    assert "accessibility statement" in gaps[1].text


def test_nobody_chairs(users, cycle):
    set_up_council(users)
    users["chair"].is_chair = False
    users["chair"].save()
    assert gap_urls(setup_gaps(today=BEFORE)) == [reverse("people_list")]


# The page


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_s_home_links_to_each_update(client, users, cycle):
    page = home(client, users["outcome_owner"])
    period, outcomes = cycle["period"], cycle["outcomes"]
    assert "govuk-notification-banner" in page and "govuk-task-list" in page
    assert reverse("reviews:update_form", args=[period.pk, outcomes[0].pk]) in page
    assert reverse("reviews:update_form", args=[period.pk, outcomes[1].pk]) in page
    assert "Please add this term&#x27;s figures" in page
    assert "Overdue" in page and "14 July 2016" in page
    assert "28 July 2016" in page  # the review meeting


def test_the_chair_s_home_links_to_the_decision(client, users, cycle):
    page = home(client, users["chair"])
    assert reverse("reviews:update_detail", args=[cycle["submitted"].pk]) in page
    assert "Waiting for your decision" in page


def test_the_owner_s_home_links_to_an_action_at_risk(client, users, cycle):
    priority = PriorityIndicatorFactory(
        action_plan=cycle["plan"], indicator__outcome=cycle["outcomes"][0]
    )
    action = ActionFactory(priority_indicator=priority, status="at_risk", rag="amber")
    page = home(client, users["outcome_owner"])
    assert action.get_absolute_url() in page
    assert "At risk" in page and "RAG: Amber" in page  # words, not only colour


def test_the_administrator_s_home_says_what_is_not_set_up(client, users):
    page = home(client, users["administrator"])
    assert "Not set up yet" in page
    assert reverse("outcomes:strategy_create") in page
    assert "The council&#x27;s name is not set yet" in page


def test_only_administrators_see_what_is_not_set_up(client, users):
    assert "Not set up yet" not in home(client, users["chair"])


def test_the_demo_chair_and_owners_see_their_tasks(client):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    chair_page = home(client, Person.objects.get(username="chair"))
    waiting = OutcomeUpdate.objects.get(status="submitted")
    assert reverse("reviews:update_detail", args=[waiting.pk]) in chair_page
    owner_page = home(client, Person.objects.get(username="izzy.martin"))
    assert "Overdue" in owner_page


def test_a_person_with_nothing_to_do_is_told_so(client, users):
    assert "Nothing needs you" in home(client, UserFactory(roles=[roles.VIEWER]))


def test_home_lists_the_newest_strategies_and_plans_and_links_to_the_rest(client, users):
    """Home costs the same however many strategies a council keeps: it lists the newest six
    strategies and plans, and the strategies page lists them all."""
    for year in range(2010, 2018):
        strategy = StrategyFactory(
            title=f"Strategy from {year}",
            period_start=datetime.date(year, 4, 1),
            period_end=datetime.date(year + 2, 3, 31),
        )
        ActionPlanFactory(strategy=strategy, financial_year_start=year)
    client.force_login(users["viewer"])
    page = client.get(reverse("home")).content.decode()
    assert page.count("Strategy from") == 12  # six strategies, and six plans' strategies
    assert "Strategy from 2012" in page  # the newest first on both lists
    assert "Strategy from 2017" in page and "Strategy from 2011" not in page
    assert "These are the newest 6." in page
    assert "See all strategies" in page
    everything = client.get(reverse("outcomes:strategy_list")).content.decode()
    assert "Strategy from 2010" in everything


def test_home_lists_the_oldest_decisions_and_links_to_them_all(client, users, cycle):
    """Home costs the same however many updates wait: the oldest few, the number, a link."""
    period = cycle["period"]
    for number in range(5, 10):
        OutcomeUpdateFactory(
            period=period,
            outcome=OutcomeFactory(strategy=period.action_plan.strategy, number=number),
            status="submitted",
        )
    tasks = home_tasks(user=users["chair"], today=BEFORE)
    assert tasks.to_decide_count == 7
    assert len(tasks.to_decide) == 5
    assert [t.update for t in tasks.to_decide[:2]] == [cycle["submitted"], cycle["others"]]
    client.force_login(users["chair"])
    home = client.get(reverse("home")).content.decode()
    assert home.count('app-home-decision"') == 5
    assert "7 updates are waiting for your decision" in home
    assert "See all 7 updates waiting for your decision" in home
    everything = client.get(reverse("reviews:decisions")).content.decode()
    assert everything.count('app-home-decision"') == 7
    assert str(period.action_plan.strategy) in everything


def test_the_decisions_page_says_when_nothing_waits(client, users, cycle):
    client.force_login(users["outcome_owner"])
    page = client.get(reverse("reviews:decisions")).content.decode()
    assert "No update is waiting for your decision." in page
    assert 'app-home-decision"' not in page


def test_each_plan_s_current_quarter_is_its_earliest_open_one(users, cycle):
    from reviews.selectors import current_periods

    plan = cycle["plan"]
    ReviewPeriodFactory(action_plan=plan, quarter=2)  # opened early: Q1 is still the one
    other_plan = ActionPlanFactory(strategy=StrategyFactory())
    closed = ReviewPeriodFactory(action_plan=other_plan, quarter=1, status="closed")
    third = ReviewPeriodFactory(action_plan=other_plan, quarter=3)
    ReviewPeriodFactory(action_plan=other_plan, quarter=4)
    assert current_periods() == [cycle["period"], third]
    assert closed not in current_periods()
