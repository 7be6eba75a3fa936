"""Two people editing the same record at once: the second save is refused, never lost."""

import pkgutil
import threading
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from actionplans import services as plan_services
from actionplans.models import Action
from lacstrategy.services import EditConflict
from outcomes.models import Indicator
from reports.models import CommitteeReport
from reviews.models import OutcomeUpdate
from tests.conftest import form_data, update_url
from tests.factories import ActionFactory, ReviewPeriodFactory, UserFactory


def action_form_data(action, **changes):
    data = {
        "priority_indicator": action.priority_indicator_id,
        "description": action.description,
        "undertaken_by": action.undertaken_by,
        "target_text": action.target_text,
        "status": action.status,
        "rag": action.rag,
        "order": action.order,
        "seen_version": action.version,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_second_save_gets_the_conflict_page_with_its_input_kept(client, users, plan_records):
    action = plan_records["action"]
    member, owner = users["strategy_group_member"], users["outcome_owner"]
    opened_by_both = action_form_data(action)
    url = reverse("actionplans:action_edit", args=[action.pk])

    client.force_login(member)
    first = client.post(url, {**opened_by_both, "status": "on_track", "change_reason": "Q1"})
    assert first.status_code == 302

    client.force_login(owner)
    second = client.post(url, {**opened_by_both, "status": "off_track", "rag": "red"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this action while you were editing it" in page
    assert escape(member.full_name) in page and "On track" in page  # what the other person changed
    assert 'value="off_track"\n' in page or 'value="off_track" checked' in page
    action.refresh_from_db()
    assert action.status == "on_track"  # nothing was overwritten

    # Re-applying from the conflict page (its form carries the new version) lands.
    reapply = {
        **opened_by_both,
        "status": "off_track",
        "rag": "red",
        "seen_version": action.version,
    }
    assert client.post(url, reapply).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag) == ("off_track", "red")
    assert action.history.filter(history_user=owner).exists()


@pytest.mark.django_db
def test_locking_still_writes_history(users):
    action = ActionFactory()
    plan_services.action_update(action=action, actor=users["administrator"], status="on_track")
    stale = Action.objects.get(pk=action.pk)
    stale.version = 1
    with pytest.raises(EditConflict):
        plan_services.action_update(action=stale, actor=users["viewer"], status="complete")
    assert [h.version for h in action.history.order_by("history_date")] == [1, 2]
    assert action.history.latest().history_user == users["administrator"]


@pytest.mark.django_db(transaction=True)
def test_twenty_people_saving_at_once_lose_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; .ci/run runs this there")
    action = ActionFactory()
    people = UserFactory.create_batch(20)
    outcomes = {}
    start = threading.Barrier(len(people))

    def save(person, index):
        close_old_connections()
        try:
            mine = Action.objects.get(pk=action.pk)  # everyone opened version 1
            start.wait()
            plan_services.action_update(
                action=mine, actor=person, seen_version=1, reason=f"save {index}", order=index
            )
            outcomes[index] = "landed"
        except EditConflict:
            outcomes[index] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p, i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    landed = [i for i, result in outcomes.items() if result == "landed"]
    assert len(outcomes) == 20
    assert len(landed) == 1  # all twenty started from version 1
    updates = action.history.filter(history_type="~")
    assert [h.history_change_reason for h in updates] == [f"save {landed[0]}"]
    action.refresh_from_db()
    assert (action.order, action.version) == (landed[0], 2)


@pytest.mark.django_db(transaction=True)
def test_twenty_people_who_retry_after_a_conflict_all_land_in_order():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; .ci/run runs this there")
    action = ActionFactory()
    people = UserFactory.create_batch(20)
    conflicts = []
    start = threading.Barrier(len(people))

    def save(person, index):
        close_old_connections()
        start.wait()
        try:
            for _ in range(200):
                mine = Action.objects.get(pk=action.pk)
                try:
                    plan_services.action_update(
                        action=mine, actor=person, reason=f"save {index}", order=index
                    )
                    return
                except EditConflict:
                    conflicts.append(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p, i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    updates = list(action.history.filter(history_type="~").order_by("version"))
    assert sorted(h.history_change_reason for h in updates) == sorted(
        f"save {i}" for i in range(20)
    )
    assert [h.version for h in updates] == list(range(2, 22))  # no version saved twice
    action.refresh_from_db()
    assert action.version == 21
    assert action.order == int(updates[-1].history_change_reason.split()[1])


# The same create posted at once (a double-click, or two people): the database keeps one, and
# every post gets a redirect or a clear page. Each post is a thread with its own connection;
# all_reach() holds them until every one has passed the service's "is it there already?" check,
# so the race is certain, not a matter of timing.

CLEAR_REFUSAL = ("This was done at the same moment by someone else", "govuk-error-summary")


def at_once(count, work):
    """work(index) in `count` threads started together; returns their results in order (an
    exception raised is the result)."""
    start, results = threading.Barrier(count), {}

    def run(index):
        close_old_connections()
        try:
            start.wait()
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 (reported by the test's assertions)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results[i] for i in range(count)]


@contextmanager
def all_reach(target, count, when=lambda *args, **kwargs: True):
    """Make `count` threads wait for each other when they call `target` (a dotted name)."""
    original = pkgutil.resolve_name(target)
    meeting = threading.Barrier(count, timeout=20)

    def waiting(*args, **kwargs):
        if when(*args, **kwargs):
            meeting.wait()
        return original(*args, **kwargs)

    with mock.patch(target, waiting):
        yield


def posted_at_once(user, url, data_for, count, **wait_at):
    """`count` posts by `user` to `url` at once; their responses."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with all_reach(count=count, **wait_at):
        return at_once(count, lambda i: client.post(url, data_for(i)))


def assert_redirected_or_told(responses):
    """Every post got a redirect or a page that says what happened: never a 500."""
    for response in responses:
        assert response.status_code in (302, 400, 409), response.status_code
        if response.status_code != 302:
            assert any(mark in response.content.decode() for mark in CLEAR_REFUSAL)


def requires_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("simultaneous writes need PostgreSQL's row locks; .ci/run runs this there")


@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_adoptions_of_a_standard_measure_make_one_indicator(users, plan_records):
    requires_postgresql()
    outcome = plan_records["outcome"]
    responses = posted_at_once(
        users["administrator"],
        reverse("figures:adopt_standard"),
        lambda i: {"code": "stability-3-placements", "outcome": outcome.pk},
        4,
        target="outcomes.services.indicator_create",
    )

    adopted = Indicator.objects.filter(outcome=outcome, standard_code="stability-3-placements")
    assert adopted.count() == 1
    assert_redirected_or_told(responses)
    assert adopted.get().get_absolute_url() in [r.get("Location") for r in responses]
    assert Indicator.history.filter(standard_code="stability-3-placements").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_new_versions_of_a_report_make_one(users, plan_records):
    requires_postgresql()
    issued = plan_records["issued_report"]
    responses = posted_at_once(
        users["committee_officer"],
        reverse("reports:report_new_version", args=[issued.pk]),
        lambda i: {},
        2,
        target="reports.services.report_create",
    )

    drafts = CommitteeReport.objects.filter(previous=issued)
    assert drafts.count() == 1
    new_draft = reverse("reports:report_edit", args=[drafts.get().pk])
    assert [r.get("Location") for r in responses].count(new_draft) == 1
    assert_redirected_or_told(responses)  # the other: back to the report with a message, or told


@pytest.mark.django_db(transaction=True)
def test_two_co_owners_saving_the_first_draft_at_once_keep_one_and_tell_the_other(
    users, plan_records
):
    requires_postgresql()
    outcome = plan_records["outcome"]
    co_owner = users["other_outcome_owner"]
    outcome.owners.add(co_owner)
    period = ReviewPeriodFactory(action_plan=plan_records["plan"], quarter=2)
    owners = [users["outcome_owner"], co_owner]
    clients = [Client(raise_request_exception=False) for _ in owners]
    for client, owner in zip(clients, owners, strict=True):
        client.force_login(owner)
    url = update_url(period, outcome)
    # Both opened the form before either saved: it showed no update (version 0).
    data = [form_data(period, outcome, **{"outcome-summary": f"Draft {i}"}) for i in (0, 1)]

    def first_update_saved(instance, **kwargs):
        return isinstance(instance, OutcomeUpdate) and instance._state.adding

    with all_reach("reviews.services.save_record", 2, when=first_update_saved):
        responses = at_once(2, lambda i: clients[i].post(url, data[i]))

    update = OutcomeUpdate.objects.get(period=period, outcome=outcome)
    assert_redirected_or_told(responses)
    landed = [i for i, r in enumerate(responses) if r.status_code == 302]
    assert len(landed) == 1  # the other was told
    assert update.summary == f"Draft {landed[0]}"
    assert [h.summary for h in update.history.all()] == [f"Draft {landed[0]}"]
    assert update.action_updates.count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_clicks_plan_an_outcome_as_a_whole_once(users, plan_records):
    requires_postgresql()
    plan, outcome = plan_records["plan"], plan_records["other_outcome"]
    client = Client(raise_request_exception=False)
    client.force_login(users["administrator"])
    url = reverse("actionplans:outcome_priority", args=[plan.pk, outcome.pk])
    # The outcome's row lock makes the others wait and then find the first one's priority.
    responses = at_once(4, lambda i: client.post(url))

    made = plan.priority_indicators.filter(indicator__title=outcome.statement)
    assert made.count() == 1
    assert Indicator.objects.filter(outcome=outcome, title=outcome.statement).count() == 1
    new_action = reverse("actionplans:action_create", args=[made.get().pk])
    assert [r.get("Location") for r in responses] == [new_action] * 4
