import datetime
import html
import re

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan, PriorityIndicator
from actionplans.selectors import plan_changes_between
from lacstrategy import history
from lacstrategy.history import kind_model, record_history, word_diff
from lacstrategy.selectors import council_read_once, terms
from outcomes import services as outcome_services
from outcomes.models import Indicator, Outcome, Strategy
from reports.models import CommitteeReport
from tests.factories import ActionFactory, IndicatorFactory, OutcomeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_history_names_a_record_its_record_holds_without_reading_it_again(
    plan_records, django_assert_num_queries
):
    plan = ActionPlan.objects.select_related("strategy").get(pk=plan_records["plan"].pk)
    with council_read_once():
        terms()  # the council's words, read once as on a page
        with django_assert_num_queries(1):  # the plan's versions, with who saved each
            first = record_history(plan)[-1]
    assert {change.label: change.new for change in first.changes}["Strategy"] == str(plan.strategy)


def test_history_reads_in_council_words(users, plan_records):
    action = plan_records["action"]
    plan_services.action_update(
        action=action,
        actor=users["outcome_owner"],
        reason="Q1 update",
        status="at_risk",
        lead_users=[users["outcome_owner"]],
        description=action.description + " with foster carers and the virtual school",
    )
    latest = record_history(action)[0]
    changes = {change.label: change for change in latest.changes}
    assert (latest.user, latest.reason, latest.kind) == (
        users["outcome_owner"],
        "Q1 update",
        "Changed",
    )
    assert (changes["Status"].old, changes["Status"].new) == ("Not started", "At risk")
    assert changes["Leads"].new == str(users["outcome_owner"])  # names, not ids
    assert len(record_history(action)) == 2  # one row per save, links included


def test_long_text_is_shown_as_a_word_diff():
    pieces = word_diff(
        "Review provision for care leavers", "Review mental health provision for care leavers"
    )
    assert pieces == [
        ("same", "Review"),
        ("added", "mental health"),
        ("same", "provision for care leavers"),
    ]


@pytest.mark.parametrize("versions", [2, 60])
def test_record_page_queries_do_not_grow_with_versions(
    client, users, django_assert_max_num_queries, versions
):
    action = ActionFactory(lead_users=[users["outcome_owner"]])
    for number in range(versions):
        plan_services.action_update(
            action=action, actor=users["administrator"], reason=f"edit {number}", order=number
        )
    client.force_login(users["viewer"])
    # The action, its history (with its leads, other priorities, commitments and framework
    # tags), its page (with its framework tags).
    with django_assert_max_num_queries(17):
        response = client.get(action.get_absolute_url())
    assert response.content.decode().count("app-history__item") == versions + 2


def test_recent_changes_filters_by_person_kind_outcome_and_date(client, users, plan_records):
    owner = users["outcome_owner"]
    plan_services.action_update(
        action=plan_records["action"], actor=owner, reason="Owner's update", status="on_track"
    )
    plan_services.action_update(
        action=plan_records["other_action"],
        actor=users["strategy_group_member"],
        reason="Member's update",
        status="on_track",
    )
    client.force_login(users["viewer"])
    url = reverse("recent_changes")

    page = client.get(url, {"person": owner.pk}).content.decode()
    assert "Owner&#x27;s update" in page and "Member&#x27;s update" not in page

    page = client.get(url, {"outcome": plan_records["other_outcome"].pk}).content.decode()
    assert "Member&#x27;s update" in page and "Owner&#x27;s update" not in page

    page = client.get(url, {"kind": "strategy"}).content.decode()
    assert "Owner&#x27;s update" not in page

    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    later = {"since_0": tomorrow.day, "since_1": tomorrow.month, "since_2": tomorrow.year}
    assert "No changes match" in client.get(url, later).content.decode()


def test_people_changes_are_only_in_the_log_for_administrators(client, users):
    client.force_login(users["viewer"])
    assert "person" not in str(client.get(reverse("recent_changes")).context["form"]["kind"])


@pytest.mark.parametrize("rows", [3, 80])
def test_recent_changes_queries_do_not_grow(client, users, django_assert_max_num_queries, rows):
    actions = ActionFactory.create_batch(rows)
    for action in actions:
        plan_services.action_update(action=action, actor=users["administrator"], status="on_track")
    client.force_login(users["administrator"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("recent_changes"), {"kind": "action"})
    assert response.context["log_page"].count == rows * 2
    if rows > 25:  # an older page costs the same
        with django_assert_max_num_queries(12):
            response = client.get(next_page(response, "next"))
        assert len(response.context["changes"]) == 25


def test_the_log_reads_each_rows_version_and_the_one_before_not_every_version(client, users):
    """A record changed a hundred times costs the log's page no more than one changed twice."""
    busy, quiet = ActionFactory.create_batch(2)
    for number in range(60):
        plan_services.action_update(
            action=busy, actor=users["administrator"], comment=f"Week {number}"
        )
    plan_services.action_update(action=quiet, actor=users["administrator"], comment="Once")
    client.force_login(users["administrator"])
    built = []
    history_model = Action.history.model

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count, sender=history_model)
    try:
        response = client.get(reverse("recent_changes"), {"kind": "action"})
    finally:
        post_init.disconnect(count, sender=history_model)
    rows = response.context["changes"]
    assert len(rows) == 25
    # The page's 25 versions and, for each of the two actions, the version before its oldest.
    assert len(built) <= 25 + 2
    # Each row still says what changed from the version before it.
    assert all(row.fields for row in rows if row.history_type == "~")


@pytest.mark.parametrize("deletions", [2, 60])
def test_deleted_records_queries_do_not_grow(
    client, users, django_assert_max_num_queries, deletions
):
    for action in ActionFactory.create_batch(deletions):
        plan_services.action_delete(action=action, actor=users["administrator"])
    client.force_login(users["administrator"])
    # The session and user, the page of deletions and their count, each kind's versions of the
    # page's records and which of them exist, and who deleted them.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("deleted_records"))
    assert response.context["log_page"].count == deletions
    assert len(response.context["changes"]) == min(deletions, 25)


def next_page(response, rel):
    """The URL of the page that the change log's "Older" (next) or "Newer" (prev) link opens."""
    found = re.search(rf'href="\?([^"]+)" rel="{rel}"', response.content.decode())
    return f"{response.request['PATH_INFO']}?{html.unescape(found.group(1))}" if found else None


def test_the_change_log_pages_lose_nothing_at_moments_shared_by_many_changes(client, users):
    """Pages start from a change, not an offset: walking "Older changes" to the end, then
    "Newer changes" back, shows every change once, newest first, even when many kinds of record
    were saved at the same moment (as a bulk import or a restore saves them)."""
    moment = datetime.datetime(2016, 5, 2, 10, tzinfo=datetime.UTC)
    actions = ActionFactory.create_batch(20)
    for action in actions:
        plan_services.action_update(
            action=action, actor=users["viewer"], recorded_at=moment, status="on_track"
        )
        outcome_services.outcome_update(
            outcome=action.priority_indicator.indicator.outcome,
            actor=users["viewer"],
            recorded_at=moment,
            statement=f"Changed at the same moment {action.pk}",
        )
    client.force_login(users["viewer"])
    response = client.get(reverse("recent_changes"))
    pages = [response]
    while url := next_page(pages[-1], "next"):
        pages.append(client.get(url))
    seen = [(c.kind, c.history_id) for page in pages for c in page.context["changes"]]
    expected = [
        (kind, row.history_id)
        for kind, row in sorted(
            (
                (kind, row)
                for kind in ("strategy", "outcome", "indicator", "action-plan")
                + ("priority-indicator", "action", "group", "section", "commitment", "council")
                for row in kind_model(kind).history.all()
            ),
            key=lambda pair: (pair[1].history_date, pair[0], pair[1].history_id),
            reverse=True,
        )
    ]
    assert len(pages) > 3 and seen == expected
    assert next_page(pages[0], "prev") is None  # the newest page has no newer link
    back = [pages[-1]]
    while url := next_page(back[-1], "prev"):
        back.append(client.get(url))
    assert [[c.history_id for c in p.context["changes"]] for p in back] == [
        [c.history_id for c in p.context["changes"]] for p in reversed(pages)
    ]


def test_the_change_log_counts_up_to_a_limit_then_says_more_than(client, users, monkeypatch):
    monkeypatch.setattr(history, "COUNT_UP_TO", 5)
    client.force_login(users["administrator"])
    ActionFactory.create_batch(2)
    page = client.get(reverse("recent_changes"), {"kind": "action"}).content.decode()
    assert "2 changes." in page
    ActionFactory.create_batch(4)
    page = client.get(reverse("recent_changes"), {"kind": "action"}).content.decode()
    assert "More than 5 changes." in page


def test_an_edited_page_link_shows_the_newest_changes(client, users):
    ActionFactory.create_batch(3)
    client.force_login(users["viewer"])
    newest = client.get(reverse("recent_changes")).context["changes"]
    for key in ("nonsense", "2016-05-02T10:00:00_nokind_3", "2016-05-02_action_x"):
        response = client.get(reverse("recent_changes"), {"older": key})
        assert response.status_code == 200 and response.context["changes"] == newest


def test_every_kind_in_the_change_log_has_its_indexes():
    """The log's pages and Deleted records read each history table by (date, id)."""
    with connection.cursor() as cursor:
        for kind in history.RECORD_KINDS:
            table = kind_model(kind).history.model._meta.db_table
            indexes = connection.introspection.get_constraints(cursor, table)
            columns = [c["columns"] for c in indexes.values() if c["index"]]
            assert columns.count(["history_date", "history_id"]) == 2, table


def test_an_administrator_reverts_an_action(client, users, plan_records):
    action = plan_records["action"]
    plan_services.action_update(action=action, actor=users["viewer"], status="on_track")
    first_version = action.history.order_by("history_date").first()
    plan_services.action_update(action=action, actor=users["viewer"], status="complete")
    client.force_login(users["administrator"])
    url = reverse("revert_record", args=["action", first_version.history_id])

    page = client.get(url).content.decode()
    assert "Complete" in page and "Not started" in page
    assert client.post(url, {"reason": ""}).status_code == 400  # a reason is required

    response = client.post(url, {"reason": "Marked complete by mistake"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "not_started"
    latest = action.history.latest()
    assert latest.history_user == users["administrator"]
    assert "Marked complete by mistake" in latest.history_change_reason


def test_a_deleted_strategy_comes_back_with_everything_that_went_with_it(
    client, users, plan_records
):
    strategy = plan_records["strategy"]
    CommitteeReport.objects.all().delete()  # a report keeps its period (and plan) from deletion
    counts = {
        model: model.objects.count()
        for model in (Strategy, Outcome, Indicator, ActionPlan, PriorityIndicator, Action)
    }
    client.force_login(users["administrator"])
    client.post(reverse("outcomes:strategy_delete", args=[strategy.pk]), {"reason": "Test"})
    assert not Strategy.objects.exists() and not Action.objects.exists()
    deletion = Strategy.history.get(id=strategy.pk, history_type="-")
    assert Action.history.filter(history_type="-", history_change_reason__contains="Test").exists()

    page = client.get(reverse("deleted_records")).content.decode()
    url = reverse("restore_record", args=["strategy", deletion.history_id])
    assert strategy.title in page and url in page
    page = client.get(url).content.decode()
    assert "Priority indicator: " in page, re.findall(r"<li>[^<]*</li>", page)
    response = client.post(url, {"reason": "Deleted the wrong strategy"})
    assert response.status_code == 302, re.findall(
        r"cannot be restored[^<]*", response.content.decode()
    )
    for model, count in counts.items():
        assert model.objects.count() == count, model
    outcome = Outcome.objects.get(pk=plan_records["outcome"].pk)
    assert list(outcome.owners.all()) == [users["outcome_owner"]]  # links come back too
    restored = Action.objects.get(pk=plan_records["action"].pk).history.latest()
    assert restored.history_change_reason.startswith("Restored from the history")
    page = client.get(reverse("deleted_records")).content.decode()
    assert url not in page  # restored, so no longer listed as deleted


def test_restoring_a_duplicate_number_is_refused_clearly(client, users):
    outcome = OutcomeFactory(number=4)
    IndicatorFactory(outcome=outcome)
    outcome_id = outcome.pk
    outcome_services.outcome_delete(outcome=outcome, actor=users["administrator"], reason="x")
    OutcomeFactory(strategy=outcome.strategy, number=4)
    deletion = Outcome.history.get(id=outcome_id, history_type="-")
    client.force_login(users["administrator"])
    url = reverse("restore_record", args=["outcome", deletion.history_id])
    response = client.post(url, {"reason": "Bring it back"})
    assert response.status_code == 400
    assert b"already has an outcome 4" in response.content
    assert not Indicator.objects.filter(outcome_id=outcome_id).exists()  # nothing half-restored


def test_plan_changes_between_two_dates(users, plan_records):
    plan, action = plan_records["plan"], plan_records["action"]
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    for model in (Action, PriorityIndicator, Outcome):  # the plan as it stood yesterday
        model.history.update(
            history_date=datetime.datetime.combine(yesterday, datetime.time(9), tzinfo=datetime.UTC)
        )
    owner = users["outcome_owner"]
    plan_services.action_update(action=action, actor=owner, status="complete", rag="green")
    new = plan_services.action_create(
        priority_indicator=plan_records["priority"], actor=owner, description="New work"
    )
    plan_services.action_delete(action=plan_records["other_action"], actor=owner, reason="x")
    outcome_services.outcome_update(
        outcome=plan_records["outcome"], actor=owner, owners=[owner, UserFactory()]
    )
    today = datetime.date.today()
    changes = plan_changes_between(action_plan=plan, since=today, until=today)
    assert [c.action_id for c in changes.completed] == [action.pk]
    assert [c.action_id for c in changes.rag_moved] == [action.pk]
    assert [c.action_id for c in changes.added] == [new.pk]
    assert len(changes.removed) == 1 and not changes.removed[0].exists
    assert changes.removed[0].name == str(plan_records["other_action"])
    assert [outcome for outcome, _, _ in changes.owners_changed] == [plan_records["outcome"]]

    day_before = yesterday - datetime.timedelta(days=1)
    assert not plan_changes_between(action_plan=plan, since=day_before, until=day_before).anything


def test_a_pathological_long_text_is_diffed_with_bounded_work(monkeypatch):
    """24 KB of repeated words saved twice made the page take 39 s for everyone: a long
    changed middle is matched without exact matching of its common words (autojunk), and a
    huge one is shown removed and added whole. (The time is measured by
    scripts/bench_word_diff.py, not asserted here.)"""
    import lacstrategy.history as history

    exact_sizes = []
    real = history.SequenceMatcher

    def watched(a, b, autojunk):
        if not autojunk:
            exact_sizes.append(len(a) * len(b))
        return real(a=a, b=b, autojunk=autojunk)

    monkeypatch.setattr(history, "SequenceMatcher", watched)
    old = "placement review " * 6000
    new = "review placement " * 6000
    pieces = word_diff(old, new)
    assert exact_sizes == []  # too big to match every word exactly
    assert " ".join(text for kind, text in pieces if kind != "added").split() == old.split()
    assert " ".join(text for kind, text in pieces if kind != "removed").split() == new.split()

    # A small edit in the same long text is still shown word by word, exactly.
    edited = old.replace("placement review", "placement panel", 1)
    pieces = word_diff(old, edited)
    assert ("removed", "review") in pieces and ("added", "panel") in pieces
    assert exact_sizes and all(size <= history.MAX_DIFF_WORD_PAIRS for size in exact_sizes)

    huge = word_diff("x " * 60_000, "y " * 60_000)
    assert huge == [("removed", " ".join(["x"] * 60_000)), ("added", " ".join(["y"] * 60_000))]

    # Shuffled words from a small vocabulary defeat autojunk (5.8 s at 49,000 words): past
    # MAX_DIFF_WORDS the changed middle is not matched at all.
    import random

    words = [f"term{number}" for number in range(150)]
    shuffled = random.Random(1)
    old, new = (" ".join(shuffled.choices(words, k=6000)) for _ in range(2))
    matched = []
    monkeypatch.setattr(history, "SequenceMatcher", lambda **kw: matched.append(kw) or real(**kw))
    assert word_diff(old, new)[0][0] == "removed" and matched == []


def test_recent_changes_say_from_what_to_what(client, users, plan_records):
    action = plan_records["action"]
    plan_services.action_update(
        action=action, actor=users["administrator"], status="on_track", rag="green"
    )
    plan_services.action_update(
        action=action,
        actor=users["administrator"],
        status="off_track",
        rag="red",
        description=action.description + " and with every foster carer in the county as well",
    )
    client.force_login(users["viewer"])
    page = client.get(reverse("recent_changes"), {"kind": "action"}).content.decode()
    assert "Status from On track to Off track" in page
    assert "RAG rating from Green to Red" in page
    assert "Action edited" in page  # a long text: its words are on the record's page


def test_the_system_account_is_named_but_not_linked(client, users):
    from lacstrategy.services import system_account

    system = system_account()
    client.force_login(users["administrator"])
    page = client.get(reverse("recent_changes"), {"kind": "person"}).content.decode()
    assert str(system) in page
    assert f'href="{system.get_absolute_url()}' not in page
    assert client.get(reverse("person_detail", args=[users["viewer"].pk])).status_code == 200


def test_a_records_history_manager_class_is_made_once_not_on_every_read(plan_records):
    """simple-history would make a new class (0.3 ms) each time `history` is read."""
    plan = plan_records["plan"]
    first, again = plan.history, ActionPlan.objects.get(pk=plan.pk).history
    assert type(first) is type(again)
    assert first.instance == plan and list(again.all()) == list(plan.history.all())
