import re

import pytest
from django.urls import reverse

from actionplans.models import Action, PriorityIndicator
from outcomes.models import Outcome, Strategy
from reports.models import CommitteeReport

pytestmark = pytest.mark.django_db


def test_outcome_owner_updates_their_own_action(client, users, plan_records):
    action = plan_records["action"]
    client.force_login(users["outcome_owner"])
    response = client.post(
        reverse("actionplans:action_edit", args=[action.pk]),
        {
            "priority_indicator": action.priority_indicator_id,
            "description": action.description,
            "undertaken_by": action.undertaken_by,
            "target_text": "March 2017",
            "target_date_0": "31",
            "target_date_1": "3",
            "target_date_2": "2017",
            "status": "at_risk",
            "rag": "amber",
            "order": "1",
            "change_reason": "Q2 update: recruitment delayed",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag, str(action.target_date)) == (
        "at_risk",
        "amber",
        "2017-03-31",
    )
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Q2 update: recruitment delayed" in page
    assert "Not started" in page and "At risk" in page  # the history shows from what to what


def test_outcome_owner_cannot_update_another_outcomes_action(client, users, plan_records):
    client.force_login(users["outcome_owner"])
    url = reverse("actionplans:action_edit", args=[plan_records["other_action"].pk])
    assert client.post(url, {"description": "Changed", "status": "complete"}).status_code == 403
    plan_records["other_action"].refresh_from_db()
    assert plan_records["other_action"].status == "not_started"


def test_plan_page_shows_edit_links_only_where_allowed(client, users, plan_records):
    client.force_login(users["outcome_owner"])
    page = client.get(plan_records["plan"].get_absolute_url()).content.decode()
    assert reverse("actionplans:action_edit", args=[plan_records["action"].pk]) in page
    assert reverse("actionplans:action_edit", args=[plan_records["other_action"].pk]) not in page
    assert reverse("actionplans:plan_delete", args=[plan_records["plan"].pk]) not in page


def test_administrator_builds_a_strategy_from_nothing(client, users):
    client.force_login(users["administrator"])
    response = client.post(
        reverse("outcomes:strategy_create"),
        {
            "title": "LAC and Care Leavers Strategy 2018-21",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2018",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2021",
            "principles": "Focus on outcomes\nListen to children",
            "status": "draft",
            "outcome_numbering": "strategy",
        },
    )
    strategy = Strategy.objects.get()
    assert response["Location"] == strategy.get_absolute_url()

    client.post(
        reverse("outcomes:outcome_create", args=[strategy.pk]),
        {
            "number": "1",
            "statement": "Looked after children and care leavers are safe",
            "kind": "outcome",
            "owners": [users["outcome_owner"].pk],
            "order": "1",
        },
    )
    outcome = Outcome.objects.get()
    assert list(outcome.owners.all()) == [users["outcome_owner"]]
    client.post(
        reverse("outcomes:indicator_create", args=[outcome.pk]),
        {
            "title": "Children and young people don't go missing from care",
            "unit": "count",
            "better": "lower",
            "frequency": "monthly",
            "order": "1",
        },
    )
    client.post(
        reverse("actionplans:plan_create", args=[strategy.pk]),
        {"financial_year_start": "2018", "status": "draft"},
    )
    plan = strategy.action_plans.get()
    client.post(
        reverse("actionplans:priority_indicator_create", args=[plan.pk]),
        {
            "indicator": str(outcome.indicators.get().pk),
            "target": "Fewer than 2015-16",
            "order": "1",
        },
    )
    priority = PriorityIndicator.objects.get()
    client.post(
        reverse("actionplans:action_create", args=[priority.pk]),
        {
            "description": "Return interviews completed in a timely manner",
            "undertaken_by": "Social workers and monitored by team managers.",
            "target_text": "Ongoing",
            "status": "not_started",
            "rag": "",
            "order": "1",
        },
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Return interviews completed in a timely manner" in page
    assert "Social workers and monitored by team managers." in page
    assert "Ongoing" in page


def test_delete_asks_first_and_lists_what_goes_with_it(client, users, plan_records):
    CommitteeReport.objects.all().delete()  # a committee report keeps its plan from deletion
    client.force_login(users["administrator"])
    url = reverse("actionplans:plan_delete", args=[plan_records["plan"].pk])
    page = client.get(url).content.decode()
    assert "Are you sure" in page
    assert "2 priority indicators" in page and "2 actions" in page
    response = client.post(url, {"reason": "Created by mistake"})
    assert response.status_code == 302
    assert not Action.objects.exists()


def test_unknown_record_is_a_404_not_a_500(client, users):
    client.force_login(users["viewer"])
    assert client.get(reverse("actionplans:action_detail", args=[999999])).status_code == 404


def test_an_action_cannot_move_to_another_outcome(client, users, plan_records):
    action, other = plan_records["action"], plan_records["other_action"]
    client.force_login(users["strategy_group_member"])
    response = client.post(
        reverse("actionplans:action_edit", args=[action.pk]),
        {
            "priority_indicator": other.priority_indicator_id,
            "description": action.description,
            "status": "on_track",
            "rag": "",
            "order": "1",
        },
    )
    assert response.status_code == 400
    assert b"Select one of the" in response.content
    action.refresh_from_db()
    assert action.priority_indicator_id == plan_records["priority"].pk


@pytest.mark.parametrize(
    "url_name,record", [("action_edit", "action"), ("action_create", "priority")]
)
def test_number_fields_are_narrow_text_inputs_on_new_and_edit_forms(
    client, users, plan_records, url_name, record
):
    client.force_login(users["administrator"])
    page = client.get(reverse(f"actionplans:{url_name}", args=[plan_records[record].pk]))
    order_input = re.search(r'<input[^>]*name="order"[^>]*>', page.content.decode()).group(0)
    assert 'type="text"' in order_input and 'inputmode="numeric"' in order_input
    assert "govuk-input--width-5" in order_input


def test_a_lead_who_has_left_stays_on_the_action_form_but_is_not_offered_elsewhere(
    client, users, plan_records
):
    from tests.factories import UserFactory

    left = UserFactory(is_active=False, full_name="Pat Left")
    action = plan_records["action"]
    action.lead_users.set([left])
    client.force_login(users["administrator"])
    edit = client.get(reverse("actionplans:action_edit", args=[action.pk])).content.decode()
    assert re.search(rf'<input[^>]*value="{left.pk}"[^>]*checked', edit)
    other = plan_records["other_action"]
    page = client.get(reverse("actionplans:action_edit", args=[other.pk])).content.decode()
    assert "Pat Left" not in page


def test_deleting_a_plan_says_its_waiting_upload_cannot_be_restored(client, users, plan_records):
    CommitteeReport.objects.all().delete()  # a committee report keeps its plan from deletion
    client.force_login(users["administrator"])
    page = client.get(reverse("actionplans:plan_delete", args=[plan_records["plan"].pk]))
    text = page.content.decode()
    assert "A restore cannot bring these back" in text
    assert "1 plan import: the uploaded spreadsheet" in text
