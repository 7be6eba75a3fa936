"""The demo reproduces seed 002, Nottinghamshire's Annual Action Plan 2016-17."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import Action, ActionPlan
from lacstrategy.demo import DATA_FILE
from lacstrategy.models import User
from outcomes.models import Outcome, Strategy

pytestmark = pytest.mark.django_db

ACTIONS_PER_OUTCOME = {1: 11, 2: 7, 3: 4, 4: 8, 5: 4, 6: 3}


def test_demo_loads_the_whole_plan_and_can_run_again():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
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
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="viewer"))
    page = client.get(reverse("actionplans:plan_detail", args=[ActionPlan.objects.get().pk]))
    text = page.content.decode()
    for words in [
        "TBC following publication of audit report",
        "Ongoing – review 6 monthly",
        "IROs and Social Workers",
        "Children and young people have a chance to talk to their social workers alone",
        "Responsible outcome owners",
        "How are we going to achieve these priorities in 2016/17?",
        "Priority areas for 2016/17",
    ]:
        assert words in text, words


def test_demo_history_names_the_loader_and_a_reason():
    call_command("load_demo", stdout=io.StringIO())
    record = Action.history.first()
    assert record.history_user.username == "system"
    assert record.history_change_reason.startswith("Demo data loaded")


def test_the_project_carries_its_own_demo_data():
    assert DATA_FILE.is_file()
    assert "shared" not in DATA_FILE.parts
