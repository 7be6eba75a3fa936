import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from actionplans import services as plan_services
from reviews import services
from reviews.models import OutcomeUpdate, ReminderSent, ReviewPeriod
from tests.conftest import build_plan, form_data, update_url
from tests.factories import (
    OutcomeUpdateFactory,
    ReviewPeriodFactory,
)
from tests.test_query_counts import DASHBOARD_QUERIES

pytestmark = pytest.mark.django_db


def test_a_new_plan_gets_four_review_periods(users, plan_records):
    plan = plan_services.action_plan_create(
        strategy=plan_records["strategy"], actor=users["administrator"], financial_year_start=2017
    )
    periods = list(plan.review_periods.order_by("quarter"))
    assert [p.quarter for p in periods] == [1, 2, 3, 4]
    assert periods[0].ends_on == datetime.date(2017, 6, 30)
    assert periods[3].ends_on == datetime.date(2018, 3, 31)
    assert periods[0].updates_due_on == datetime.date(2017, 7, 14)
    assert all(p.status == "open" for p in periods)


def test_owner_drafts_checks_submits_and_the_chair_accepts(client, users, plan_records):
    period, outcome, action = (
        plan_records["period"],
        plan_records["outcome"],
        plan_records["action"],
    )
    plan_records["draft_update"].delete()
    owner, chair = users["outcome_owner"], users["chair"]
    client.force_login(owner)

    draft = client.post(update_url(period, outcome), {"outcome-summary": "Started", "draft": "1"})
    assert draft.status_code == 302
    update = OutcomeUpdate.objects.get(period=period, outcome=outcome)
    check = client.post(reverse("reviews:update_check", args=[update.pk]))
    assert check.status_code == 400
    page = check.content.decode()
    assert f"Choose a status for action 1: {action}" in page  # exactly which action
    assert "Enter the latest figure for" in page and "Choose an overall RAG rating" in page

    response = client.post(
        update_url(period, outcome),
        form_data(period, outcome, status="at_risk", rag="amber", check="1"),
    )
    assert response["Location"] == reverse("reviews:update_check", args=[update.pk])
    assert client.post(response["Location"]).status_code == 302
    update.refresh_from_db()
    assert (update.status, update.submitted_by) == ("submitted", owner)
    assert client.get(update_url(period, outcome)).status_code == 403  # read-only once submitted

    client.force_login(chair)
    assert client.get(update_url(period, outcome)).status_code == 403  # the chair cannot rewrite it
    assert client.post(reverse("reviews:update_accept", args=[update.pk])).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag) == ("at_risk", "amber")  # written back to the plan
    figure = plan_records["indicator"].figures.get(period_end=period.ends_on)
    assert (figure.value, figure.period_label) == (80, "Q1 2016-17")  # and the figure recorded
    assert action.history.latest().history_user == chair
    update.refresh_from_db()
    assert [h.status for h in update.history.order_by("history_date")][-2:] == [
        "submitted",
        "accepted",
    ]


def test_the_chair_returns_an_update_and_the_owner_resubmits(client, users, plan_records):
    update = plan_records["submitted_update"]
    other_owner, chair = users["other_outcome_owner"], users["chair"]
    client.force_login(chair)
    url = reverse("reviews:update_return", args=[update.pk])
    assert b"Enter what the owner needs to change" in client.post(url, {"comment": ""}).content
    assert client.post(url, {"comment": "Add the latest figure"}).status_code == 302
    update.refresh_from_db()
    assert (update.status, update.return_comment) == ("returned", "Add the latest figure")

    client.force_login(other_owner)
    tasks = client.get(reverse("reviews:my_updates")).content.decode()
    assert "Returned" in tasks and "Add the latest figure" in tasks
    period, outcome = update.period, update.outcome
    client.post(update_url(period, outcome), form_data(period, outcome, check="1"))
    assert client.post(reverse("reviews:update_check", args=[update.pk])).status_code == 302
    update.refresh_from_db()
    assert update.status == "submitted"


@pytest.mark.parametrize(
    "unit,value,message",
    [
        ("percentage", "140", "A percentage must be between 0 and 100"),
        (
            "percentage",
            "ninety",
            "Enter the latest figure as a number (a percentage from 0 to 100)",
        ),
        ("count", "2.5", "A count must be a whole number"),
        ("count", "-1", "The figure cannot be negative"),
    ],
)
def test_figures_must_fit_the_indicators_unit(client, users, plan_records, unit, value, message):
    period, outcome = plan_records["period"], plan_records["outcome"]
    plan_records["indicator"].unit = unit
    plan_records["indicator"].save()
    client.force_login(users["outcome_owner"])
    response = client.post(update_url(period, outcome), form_data(period, outcome, value=value))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not plan_records["draft_update"].indicator_updates.exists()  # nothing saved


def test_not_available_needs_a_reason(client, users, plan_records):
    period, outcome = plan_records["period"], plan_records["outcome"]
    priority = plan_records["priority"]
    client.force_login(users["outcome_owner"])
    data = form_data(period, outcome, value="") | {f"figure-{priority.pk}-not_available": "on"}
    response = client.post(update_url(period, outcome), data)
    assert b"Enter why the figure is not available" in response.content


def test_a_stale_update_form_gets_the_conflict_message_and_keeps_the_input(
    client, users, plan_records
):
    period, outcome, update = (
        plan_records["period"],
        plan_records["outcome"],
        plan_records["draft_update"],
    )
    stale = update.version
    services.update_save(
        period=period,
        outcome=outcome,
        actor=users["administrator"],
        action_entries={},
        indicator_entries={},
        summary="Admin's wording",
    )
    client.force_login(users["outcome_owner"])
    data = form_data(
        period, outcome, **{"outcome-summary": "Owner's wording", "outcome-seen_version": stale}
    )
    response = client.post(update_url(period, outcome), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Your changes have not been saved yet" in page and "Admin&#x27;s wording" in page
    assert "Owner&#x27;s wording" in page
    update.refresh_from_db()
    assert update.summary == "Admin's wording"


def seen_version_on(page):
    """The version the update form says it showed, as the browser will post it back."""
    field = re.search(r'<input[^>]*name="outcome-seen_version"[^>]*>', page).group(0)
    value = re.search(r'value="(\d*)"', field)
    return value.group(1) if value else ""


def test_a_co_owners_first_draft_made_after_the_form_opened_is_a_conflict_not_overwritten(
    client, users, plan_records
):
    """Both owners open the form before either has saved: the second save must not silently
    replace the first (found by scripts/load_test.py)."""
    outcome = plan_records["outcome"]
    outcome.owners.add(users["other_outcome_owner"])
    period = ReviewPeriodFactory(action_plan=plan_records["plan"], quarter=2)
    client.force_login(users["other_outcome_owner"])
    opened = seen_version_on(client.get(update_url(period, outcome)).content.decode())

    services.update_save(
        period=period,
        outcome=outcome,
        actor=users["outcome_owner"],
        action_entries={},
        indicator_entries={},
        summary="First owner's draft",
    )
    data = form_data(
        period,
        outcome,
        **{"outcome-summary": "Second owner's draft", "outcome-seen_version": opened},
    )
    response = client.post(update_url(period, outcome), data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Your changes have not been saved yet" in page
    assert "First owner&#x27;s draft" in page and "Second owner&#x27;s draft" in page
    update = OutcomeUpdate.objects.get(period=period, outcome=outcome)
    assert (update.summary, update.version) == ("First owner's draft", 1)
    # Saving again from the conflict page applies the second owner's draft over the first.
    data["outcome-seen_version"] = seen_version_on(page)
    assert client.post(update_url(period, outcome), data).status_code == 302
    update.refresh_from_db()
    assert (update.summary, update.version) == ("Second owner's draft", 2)


def test_a_closed_period_cannot_change_and_reopening_needs_a_reason(client, users, plan_records):
    period, outcome = plan_records["period"], plan_records["outcome"]
    client.force_login(users["administrator"])
    url = reverse("reviews:period_open_or_close", args=[period.pk])
    assert client.post(url, {"reason": ""}).status_code == 302  # closing: a note is optional
    period.refresh_from_db()
    assert period.status == "closed"
    client.force_login(users["outcome_owner"])
    assert client.get(update_url(period, outcome)).status_code == 403

    client.force_login(users["administrator"])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "Late figures from health"})
    period.refresh_from_db()
    assert period.status == "open"
    assert period.history.latest().history_change_reason == "Reopened: Late figures from health"


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(2, 2), (12, 30)])
def test_dashboard_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    period = ReviewPeriod.objects.create(
        action_plan=plan,
        quarter=1,
        updates_due_on=datetime.date(2016, 7, 14),
        meeting_on=datetime.date(2016, 7, 28),
    )
    for outcome in plan.strategy.outcomes.all():
        OutcomeUpdateFactory(period=period, outcome=outcome, status="submitted")
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(period.get_absolute_url())
    assert response.content.decode().count('govuk-tag govuk-tag--blue">Submitted') == outcomes


def test_reminders_before_on_the_day_and_overdue_each_sent_once(settings, users, plan_records):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_DAYS_BEFORE = 7
    period = plan_records["period"]
    due = period.updates_due_on
    owner_email = users["outcome_owner"].email
    system = users["administrator"]

    assert (
        services.send_update_reminders(today=due - datetime.timedelta(days=8), actor=system) == []
    )
    sent = services.send_update_reminders(today=due - datetime.timedelta(days=7), actor=system)
    assert {r.kind for r in sent} == {"before"}
    assert owner_email in mail.outbox[0].to and users["chair"].email not in mail.outbox[0].to
    assert (
        services.send_update_reminders(today=due - datetime.timedelta(days=6), actor=system) == []
    )

    assert {r.kind for r in services.send_update_reminders(today=due, actor=system)} == {
        "due_today"
    }
    overdue = services.send_update_reminders(today=due + datetime.timedelta(days=1), actor=system)
    # The submitted update's owner is not chased; the chair is copied on the overdue one.
    assert [r.outcome for r in overdue] == [plan_records["outcome"]]
    assert users["chair"].email in mail.outbox[-1].to
    assert "overdue" in mail.outbox[-1].subject
    assert (
        services.send_update_reminders(today=due + datetime.timedelta(days=2), actor=system) == []
    )
    assert ReminderSent.objects.count() == 3


def test_my_updates_shows_each_owned_outcome_with_its_state_and_overdue(
    client, users, plan_records
):
    client.force_login(users["outcome_owner"])
    page = client.get(reverse("reviews:my_updates")).content.decode()
    assert plan_records["outcome"].statement in page
    assert plan_records["other_outcome"].statement not in page
    assert "Draft" in page and "Overdue" in page  # a 2016 period is long past its due date


def test_a_priority_with_no_figure_asks_for_a_comment_not_a_figure(client, users, plan_records):
    """A qualitative priority is first-class: no figure to enter or excuse every quarter."""
    from outcomes.models import Indicator

    period, outcome = plan_records["period"], plan_records["outcome"]
    indicator, priority = plan_records["indicator"], plan_records["priority"]
    Indicator.objects.filter(pk=indicator.pk).update(unit=Indicator.Unit.QUALITATIVE)
    plan_records["draft_update"].delete()
    client.force_login(users["outcome_owner"])
    page = client.get(update_url(period, outcome)).content.decode()
    assert f'name="figure-{priority.pk}-comment"' in page
    assert f'name="figure-{priority.pk}-value"' not in page
    assert f'name="figure-{priority.pk}-not_available"' not in page

    data = form_data(period, outcome, check="1")
    del data[f"figure-{priority.pk}-value"]
    response = client.post(update_url(period, outcome), data)
    update = OutcomeUpdate.objects.get(period=period, outcome=outcome)
    refused = client.post(reverse("reviews:update_check", args=[update.pk]))
    assert refused.status_code == 400
    assert f"Say what has happened on &#x27;{priority}&#x27; this quarter" in (
        refused.content.decode()
    )

    data[f"figure-{priority.pk}-comment"] = "The pledge was refreshed with the council's CiCC."
    data["outcome-seen_version"] = update.version
    response = client.post(update_url(period, outcome), data)
    assert response["Location"] == reverse("reviews:update_check", args=[update.pk])
    assert client.post(response["Location"]).status_code == 302
    update.refresh_from_db()
    assert update.status == "submitted"
    client.force_login(users["chair"])
    assert client.post(reverse("reviews:update_accept", args=[update.pk])).status_code == 302
    assert not indicator.figures.filter(period_end=period.ends_on).exists()  # no figure made up


def test_a_figure_left_in_a_draft_is_not_recorded_once_the_priority_has_no_figure(
    users, plan_records
):
    """An indicator made qualitative after an owner saved a figure: accepting records none."""
    from outcomes.models import Indicator
    from reviews import services
    from reviews.models import IndicatorUpdate

    update = plan_records["submitted_update"]
    priority = update.period.action_plan.priority_indicators.get(indicator__outcome=update.outcome)
    IndicatorUpdate.objects.create(outcome_update=update, priority_indicator=priority, value=42)
    Indicator.objects.filter(pk=priority.indicator_id).update(unit=Indicator.Unit.QUALITATIVE)
    services.update_accept(update=update, actor=users["chair"])
    assert not priority.indicator.figures.filter(source__startswith="Outcome update").exists()
