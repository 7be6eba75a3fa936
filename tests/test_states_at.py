"""A record's state "as at" a moment is its last version at or before then, read in SQL, and the
plan documents read the tables now and the history as at a date, with the same result."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.models import Action
from lacstrategy.history import states_at
from lacstrategy.selectors import council_read_once
from lacstrategy.services import restore_deleted
from reports.selectors import plan_document, plan_records
from tests.conftest import build_plan

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def at(day):
    return timezone.make_aware(datetime.datetime(2016, 4, 1, 12)) + day * DAY


@pytest.fixture
def story(users, plan_records):
    """Actions with a history: edited several times, deleted, created later, deleted and put
    back, moved to another priority, and two versions saved at the same moment."""
    admin, priority = users["administrator"], plan_records["priority"]
    other = plan_records["plan"].priority_indicators.exclude(pk=priority.pk).get()

    def create(day, **fields):
        return services.action_create(
            priority_indicator=priority, actor=admin, recorded_at=at(day), **fields
        )

    def update(action, day, **fields):
        return services.action_update(action=action, actor=admin, recorded_at=at(day), **fields)

    edited = create(1, description="Edited")
    update(edited, 3, status="on_track")
    update(edited, 5, status="at_risk", rag="amber")
    update(edited, 7, status="complete", rag="green")
    deleted = create(1, description="Deleted")
    deleted_id = deleted.pk  # a deleted record's pk is None
    services.action_delete(action=deleted, actor=admin, recorded_at=at(4))
    later = create(6, description="Created later")
    back = create(1, description="Deleted and put back")
    back_id = back.pk
    services.action_delete(action=back, actor=admin, recorded_at=at(3))
    restore_deleted(
        version=Action.history.get(id=back_id, history_type="-"), actor=admin, reason="Wanted"
    )
    moved = create(1, description="Moved")
    update(moved, 5, priority_indicator=other)
    tied = create(1, description="Tied")
    update(tied, 2, status="on_track")
    update(tied, 2, status="off_track")  # the same moment: the later version counts
    return {
        "priority": priority,
        "other": other,
        "edited": edited.pk,
        "deleted": deleted_id,
        "later": later.pk,
        "back": back_id,
        "moved": moved.pk,
        "tied": tied.pk,
    }


def states(priority, day):
    found = states_at(Action.history.filter(priority_indicator_id=priority.pk), at(day))
    return {pk: (row.description, row.status, row.rag) for pk, row in found.items()}


def test_each_record_s_state_is_its_last_version_at_the_moment(story):
    priority = story["priority"]
    edited, deleted, later, back, moved, tied = (
        story[key] for key in ("edited", "deleted", "later", "back", "moved", "tied")
    )
    assert states(priority, 0) == {}  # before anything was made
    assert states(priority, 1) == {
        edited: ("Edited", "not_started", ""),
        deleted: ("Deleted", "not_started", ""),
        back: ("Deleted and put back", "not_started", ""),
        moved: ("Moved", "not_started", ""),
        tied: ("Tied", "not_started", ""),
    }
    assert states(priority, 2)[tied] == ("Tied", "off_track", "")
    assert states(priority, 3)[edited] == ("Edited", "on_track", "")
    assert back not in states(priority, 3)  # deleted that day
    assert states(priority, 4).keys() == {edited, moved, tied}  # and another deleted
    # Moved to the other priority: in the other priority's list from then on, not this one's.
    assert states(priority, 5) == {
        edited: ("Edited", "at_risk", "amber"),
        tied: ("Tied", "off_track", ""),
    }
    assert moved in states(story["other"], 5) and moved not in states(story["other"], 4)
    assert states(priority, 6).keys() == {edited, later, tied}  # one created later
    assert states(priority, 7)[edited] == ("Edited", "complete", "green")
    # Put back today, from the history: there again now, with its story.
    now = states_at(Action.history.filter(priority_indicator_id=priority.pk), timezone.now())
    assert {edited, later, back, tied} <= now.keys()
    assert now.keys() == set(
        Action.objects.filter(priority_indicator=priority).values_list("pk", flat=True)
    )


def test_the_plan_now_from_the_tables_is_the_plan_as_at_now_from_the_history(story, plan_records):
    plan = plan_records["plan"]
    now = plan_document(action_plan=plan)
    assert now == {**plan_document(action_plan=plan, as_at=timezone.now()), "as_at": None}
    actions = [a["description"] for o in now["outcomes"] for a in o["actions"]]
    assert "Deleted and put back" in actions and "Deleted" not in actions


def test_the_plan_as_at_a_date_is_the_plan_as_it_was_then(users, plan_records):
    plan, admin = plan_records["plan"], users["administrator"]
    action = plan_records["action"]
    before = plan_document(action_plan=plan)
    moment = timezone.now()
    services.action_update(action=action, actor=admin, status="complete", comment="Done")
    services.action_create(
        priority_indicator=plan_records["priority"], actor=admin, description="Added after"
    )
    services.action_delete(action=plan_records["other_action"], actor=admin)
    after = plan_document(action_plan=plan)
    assert after != {**before}
    assert plan_document(action_plan=plan, as_at=moment) == {
        **before,
        "as_at": moment.isoformat(),
    }


def test_the_plan_s_records_now_and_as_at_now_are_the_same(story, plan_records):
    plan = plan_records["plan"]
    live, history = plan_records_pair(plan)
    assert live.outcomes.keys() == history.outcomes.keys()
    assert live.owners == history.owners
    assert {pk: vars_of(a) for pk, a in live.actions.items()} == {
        pk: vars_of(a) for pk, a in history.actions.items()
    }
    for name in ("also_serves", "commitments"):
        assert live.action_links(name) == history.action_links(name)


def plan_records_pair(plan):
    return plan_records(plan), plan_records(plan, timezone.now())


def vars_of(record):
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}


# The selector, as in a request (the council read once): the plan's outcomes with their owners,
# its priorities, indicators and actions, the actions' two kinds of links, the commitments and
# the council (9); as at a moment, the owners come with the outcomes' versions, and the strategy
# and groups are read as they were (12).
PLAN_DOCUMENT_QUERIES = 12
# The page: the session, the user and their roles.
PLAN_PAGE_QUERIES = PLAN_DOCUMENT_QUERIES + 4


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (10, 30)])
def test_plan_documents_now_and_as_at_cost_the_same_queries_at_any_size(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    moment = timezone.now()
    for action in Action.objects.filter(priority_indicator__action_plan=plan):
        services.action_update(action=action, actor=users["administrator"], status="on_track")
    for as_at in (None, moment):
        with council_read_once(), django_assert_max_num_queries(PLAN_DOCUMENT_QUERIES):
            document = plan_document(action_plan=plan, as_at=as_at)
        assert sum(len(o["actions"]) for o in document["outcomes"]) == (
            outcomes * actions_per_outcome
        )
    client.force_login(users["viewer"])
    for name in ("reports:plan_document", "reports:plan_docx", "reports:plan_xlsx"):
        for query in ("", f"?as_at={timezone.localdate().isoformat()}"):
            with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
                response = client.get(reverse(name, args=[plan.pk]) + query)
            assert response.status_code == 200


def test_a_draft_report_now_from_the_tables_is_the_report_as_at_now(users, plan_records, story):
    from reports.selectors import report_content

    services.action_update(
        action=plan_records["action"], actor=users["administrator"], rag="red", status="off_track"
    )
    report = plan_records["report"]
    now = report_content(report=report, charts=False)
    then = report_content(report=report, as_at=timezone.now(), charts=False)
    assert now["exceptions"] and now["outcomes"]
    assert {**now, "as_at": None} == {**then, "as_at": None}
