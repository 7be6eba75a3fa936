"""The demo reproduces seed 002, Nottinghamshire's Annual Action Plan 2016-17."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from actionplans.models import Action, ActionPlan
from lacstrategy.demo import DATA_FILE
from lacstrategy.models import User
from outcomes.models import Outcome, Strategy

pytestmark = pytest.mark.django_db

ACTIONS_PER_OUTCOME = {1: 11, 2: 7, 3: 4, 4: 8, 5: 4, 6: 3}


def test_demo_loads_the_whole_plan_and_can_run_again():
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    assert Strategy.objects.count() == 1
    plan = ActionPlan.objects.get()
    assert plan.year_label == "2016-17"
    assert Outcome.objects.count() == 6
    for number, count in ACTIONS_PER_OUTCOME.items():
        actions = Action.objects.filter(priority_indicator__indicator__outcome__number=number)
        assert actions.count() == count, f"outcome {number}"
    owners = {
        outcome.number: sorted(owner.full_name for owner in outcome.owners.all())
        for outcome in Outcome.objects.prefetch_related("owners")
    }
    assert owners[1] == ["Kathryn Higgins", "Nicole Chavaudra"]
    assert owners[6] == ["Izzy Martin"]


def test_demo_keeps_the_seed_wording(client):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    client.force_login(User.objects.get(username="viewer"))
    page = client.get(reverse("actionplans:plan_detail", args=[ActionPlan.objects.get().pk]))
    text = page.content.decode()
    for words in [
        "TBC following publication of audit report",
        "Ongoing – review 6 monthly",
        "IROs and Social Workers",
        "Children and young people have a chance to talk to their social workers alone",
        "Responsible outcome owners",
        "How are we going to achieve these priority areas in 2016/17?",
        "Priority areas for 2016/17",
    ]:
        assert words in text, words


def test_demo_history_tells_a_story_and_never_lacks_a_who_or_why():
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    created = Action.history.filter(history_type="+").exclude(order=99)
    assert {row.history_user.username for row in created} == {"system"}
    assert {row.history_change_reason for row in created} == {
        "Demo data loaded from the Nottinghamshire 2016-17 action plan"
    }
    edits = Action.history.filter(history_type="~").exclude(
        history_user__username__in=["system", "chair"]
    )
    assert {row.history_user.username for row in edits} >= {"katie.warner", "kathryn.higgins"}
    assert all(row.history_change_reason.endswith("(illustrative demo edit)") for row in edits)
    write_backs = Action.history.filter(history_user__username="chair")
    assert all(row.history_change_reason.startswith("From the accepted") for row in write_backs)
    assert Action.history.filter(history_type="-").count() == 1  # the duplicate, deleted
    for model in (Action, Outcome, Strategy, User):
        assert not model.history.filter(history_change_reason__isnull=True).exists()


def test_demo_refuses_a_live_site_without_the_flag():
    with pytest.raises(CommandError, match="live site"):
        call_command("load_demo", stdout=io.StringIO())


def test_the_project_carries_its_own_demo_data():
    assert DATA_FILE.is_file()
    assert "shared" not in DATA_FILE.parts
