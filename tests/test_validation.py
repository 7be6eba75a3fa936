"""Bad input gets a GOV.UK error summary naming the problem, never a 500, and nothing is saved."""

import re

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan
from tests.factories import IndicatorFactory, OutcomeFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def date_fields(name, day, month, year):
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def test_strategy_end_must_follow_start(client, users):
    data = {
        "title": "LAC Strategy 2018-21",
        **date_fields("period_start", "1", "4", "2018"),
        **date_fields("period_end", "31", "3", "2017"),
        "status": "draft",
    }
    response = post(client, users["administrator"], reverse("outcomes:strategy_create"), data)
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert b"The end of the strategy period must be after its start" in response.content


def test_strategy_date_that_is_not_a_date(client, users):
    data = {
        "title": "LAC Strategy 2018-21",
        **date_fields("period_start", "31", "2", "2018"),
        **date_fields("period_end", "31", "3", "2021"),
        "status": "draft",
    }
    response = post(client, users["administrator"], reverse("outcomes:strategy_create"), data)
    assert response.status_code == 400
    assert b"Start of the strategy period must be a real date" in response.content


def test_missing_title_says_what_to_do(client, users):
    data = {**date_fields("period_start", "1", "4", "2018"), "status": "draft"}
    response = post(client, users["administrator"], reverse("outcomes:strategy_create"), data)
    assert b"Enter the title" in response.content
    assert b"Enter the end of the strategy period" in response.content


def test_approved_strategy_needs_approver(client, users):
    data = {
        "title": "LAC Strategy 2018-21",
        **date_fields("period_start", "1", "4", "2018"),
        **date_fields("period_end", "31", "3", "2021"),
        "status": "approved",
    }
    response = post(client, users["administrator"], reverse("outcomes:strategy_create"), data)
    assert response.status_code == 400
    assert b"Enter the body that approved the strategy" in response.content


def test_plan_year_outside_the_strategy_period(client, users):
    strategy = StrategyFactory()
    url = reverse("actionplans:plan_create", args=[strategy.pk])
    response = post(
        client, users["administrator"], url, {"financial_year_start": "2019", "status": "draft"}
    )
    assert response.status_code == 400
    assert b"must lie within the strategy period" in response.content
    assert not ActionPlan.objects.exists()


def test_second_plan_for_the_same_year(client, users, plan_records):
    url = reverse("actionplans:plan_create", args=[plan_records["strategy"].pk])
    response = post(
        client, users["administrator"], url, {"financial_year_start": "2016", "status": "draft"}
    )
    assert response.status_code == 400
    assert b"already has a 2016-17 plan" in response.content


def test_duplicate_outcome_number(client, users):
    outcome = OutcomeFactory(number=3)
    url = reverse("outcomes:outcome_create", args=[outcome.strategy.pk])
    response = post(
        client,
        users["administrator"],
        url,
        {"number": "3", "statement": "Are listened to", "kind": "outcome", "order": "0"},
    )
    assert response.status_code == 400
    assert b"already has an outcome 3" in response.content


def test_priority_indicator_from_another_strategy_is_refused(client, users, plan_records):
    foreign = IndicatorFactory()  # belongs to a different strategy
    url = reverse("actionplans:priority_indicator_create", args=[plan_records["plan"].pk])
    response = post(
        client,
        users["strategy_group_member"],
        url,
        {"indicator": str(foreign.pk), "target": "90%", "order": "0"},
    )
    assert response.status_code == 400
    assert b"Select one of the" in response.content


def test_same_indicator_twice_in_a_plan(client, users, plan_records):
    url = reverse("actionplans:priority_indicator_create", args=[plan_records["plan"].pk])
    response = post(
        client,
        users["strategy_group_member"],
        url,
        {"indicator": str(plan_records["indicator"].pk), "order": "0"},
    )
    assert response.status_code == 400
    assert b"already a priority in this plan" in response.content


def test_percentage_baseline_over_100(client, users, plan_records):
    url = reverse("outcomes:indicator_edit", args=[plan_records["indicator"].pk])
    response = post(
        client,
        users["administrator"],
        url,
        {
            "title": "Health assessments on time",
            "unit": "percentage",
            "better": "higher",
            "frequency": "quarterly",
            "baseline_value": "140",
            "baseline_period": "2015-16",
            "order": "0",
        },
    )
    assert response.status_code == 400
    assert b"A percentage must be between 0 and 100" in response.content


def test_deleting_an_indicator_in_use_is_explained_not_a_500(client, users, plan_records):
    url = reverse("outcomes:indicator_delete", args=[plan_records["indicator"].pk])
    client.force_login(users["administrator"])
    assert b"You cannot delete this indicator yet" in client.get(url).content
    assert client.post(url).status_code == 409
    plan_records["indicator"].refresh_from_db()


def test_free_text_fields_ask_for_no_child_s_details(client, users, plan_records):
    from lacstrategy.forms import NO_CHILD_DETAILS

    client.force_login(users["chair"])
    update = plan_records["submitted_update"]
    page = client.get(reverse("reviews:update_return", args=[update.pk])).content.decode()
    assert "Do not write a child&#x27;s name" in page
    client.force_login(users["administrator"])
    codes = client.get(reverse("figures:council_profile")).content.decode()
    assert codes.count("Do not write a child&#x27;s name") == 0  # a list of codes, not words
    assert NO_CHILD_DETAILS.startswith("Do not write a child's name")


def test_every_record_form_guards_the_ids_it_is_sent():
    import inspect

    from lacstrategy import forms as base

    record_forms = [
        form
        for module in ("actionplans", "reviews", "figures", "outcomes", "reports", "lacstrategy")
        for _, form in inspect.getmembers(__import__(f"{module}.forms").forms, inspect.isclass)
        if issubclass(form, base.RecordForm)
    ]
    assert len(record_forms) > 10
    assert all(form._meta.formfield_callback is base.record_formfield for form in record_forms)


def test_long_text_has_a_ceiling_said_plainly_and_counted_not_cut(client, users, plan_records):
    from lacstrategy.models import LONG_TEXT_CHARACTERS

    action = plan_records["action"]
    url = reverse("actionplans:action_edit", args=[action.pk])
    client.force_login(users["outcome_owner"])
    page = client.get(url).content.decode()
    assert 'data-module="govuk-character-count"' in page
    assert f'data-maxlength="{LONG_TEXT_CHARACTERS}"' in page
    assert not re.search(r"<textarea[^>]* maxlength=", page)  # pasted text is never cut short
    too_long = "placement " * (LONG_TEXT_CHARACTERS // 10) + "x"
    response = client.post(url, {"description": too_long, "seen_version": action.version})
    assert response.status_code == 400
    assert "Action must be 10,000 characters or fewer" in response.content.decode()
    assert too_long in response.content.decode()  # what was typed is still there to shorten
    action.refresh_from_db()
    assert action.description != too_long


def test_every_save_refuses_text_past_the_ceiling_whatever_it_came_through(users, plan_records):
    from django.core.exceptions import ValidationError

    from lacstrategy.models import LONG_TEXT_CHARACTERS
    from lacstrategy.services import save_record

    action = plan_records["action"]
    with pytest.raises(ValidationError) as refused:
        save_record(
            action,
            actor=users["administrator"],
            reason="import",
            description="y" * (LONG_TEXT_CHARACTERS + 1),
        )
    assert "description" in refused.value.message_dict
