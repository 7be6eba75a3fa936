"""The plan page's costly part is cached until any record changes (lacstrategy/page_cache.py):
a second view costs a few queries, and no change, however it is made, is ever shown late."""

import datetime
import re

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse

from actionplans.services import action_delete
from figures.services import figure_save
from lacstrategy import roles
from lacstrategy.history import records_version
from lacstrategy.services import council_save, save_record, user_update
from outcomes.services import outcome_update

pytestmark = pytest.mark.django_db

# Session and user, the plan (to check the person may see it), the user's roles, the council's
# names and the records' version.
CACHED_PLAN_PAGE_QUERIES = 6


@pytest.fixture
def plan_url(plan_records):
    return reverse("actionplans:plan_detail", args=[plan_records["plan"].pk])


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_reads_only_the_records_version(
    client, users, plan_url, django_assert_max_num_queries
):
    client.force_login(users["outcome_owner"])
    first = page(client, plan_url)
    with django_assert_max_num_queries(CACHED_PLAN_PAGE_QUERIES):
        second = page(client, plan_url)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.sub("", token.sub("", second)) == nonce.sub("", token.sub("", first))


def test_a_parameter_the_page_does_not_read_makes_no_new_entry(
    client, users, plan_url, django_assert_max_num_queries
):
    client.force_login(users["outcome_owner"])
    page(client, plan_url)
    with django_assert_max_num_queries(CACHED_PLAN_PAGE_QUERIES):
        page(client, plan_url, utm_source="newsletter")


def _edit_action(records, users):
    save_record(
        records["action"],
        actor=users["administrator"],
        reason="Reworded",
        description="Visit every child placed out of area within six weeks",
    )
    return "Visit every child placed out of area within six weeks"


def _new_figure(records, users):
    figure_save(
        indicator=records["indicator"],
        period_end=datetime.date(2017, 3, 31),
        period_label="2017",
        value=93.5,
        actor=users["administrator"],
    )
    return "93.5"


def _new_owner(records, users):
    owner = users["committee_officer"]
    save_record(owner, actor=users["administrator"], reason="Renamed", full_name="Zebedee Jones")
    outcome_update(
        outcome=records["outcome"], actor=users["administrator"], owners=[owner], reason="Moved"
    )
    return "Zebedee"


def _council_words(records, users):
    council_save(
        actor=users["administrator"],
        name="Testshire County Council",
        service_name="Children's Services",
        outcome_singular="ambition",
        outcome_plural="ambitions",
    )
    return "Strategy ambition 1"


def _action_deleted(records, users):
    action_delete(action=records["action"], actor=users["administrator"], reason="Duplicate")
    return "No actions yet"


@pytest.mark.parametrize(
    "change", [_edit_action, _new_figure, _new_owner, _council_words, _action_deleted]
)
def test_a_change_shows_at_once(client, users, plan_records, plan_url, change):
    client.force_login(users["outcome_owner"])
    page(client, plan_url)
    expected = change(plan_records, users)
    assert expected in page(client, plan_url)


def test_each_person_sees_what_they_may_do(client, users, plan_records, plan_url):
    update = reverse("actionplans:action_edit", args=[plan_records["action"].pk])
    client.force_login(users["outcome_owner"])
    assert update in page(client, plan_url)
    client.force_login(users["viewer"])
    assert update not in page(client, plan_url)


def test_a_new_role_shows_at_once(client, users, plan_records, plan_url):
    viewer = users["viewer"]
    delete = reverse("actionplans:plan_delete", args=[plan_records["plan"].pk])
    client.force_login(viewer)
    assert delete not in page(client, plan_url)
    user_update(user=viewer, actor=users["administrator"], role_names=[roles.ADMINISTRATOR])
    assert delete in page(client, plan_url)


def test_each_browser_gets_forms_it_can_send(users, plan_records, plan_url):
    """The same person in two browsers: the second is not given the first one's form tokens."""
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        browser.force_login(users["committee_officer"])
        html = page(browser, plan_url)
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )
    response = browsers[1].post(form[1], {"csrfmiddlewaretoken": form[2]})
    assert response.status_code != 403


def test_filters_are_cached_apart(client, users, plan_records, plan_url):
    client.force_login(users["outcome_owner"])
    whole = page(client, plan_url)
    filtered = page(client, plan_url, rag="red")
    assert "the filters" not in whole and "the filters" in filtered


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_version_moves_when_a_save_still_running_ends():
    """A long save takes its history id before a short one that commits first: the newest id
    then stays the same when the long one commits, so the version must move when it ends."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time, in the order of their ids")
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT txid_current()")  # a transaction that writes, still open
        before = records_version()
        assert records_version() == before  # nothing has ended: cached parts are still good
        other.commit()
        assert records_version() != before
    finally:
        other.close()


def _newest_ids(version):
    """The version's newest history ids, without PostgreSQL's snapshot (last), which moves
    whenever any transaction on the server ends, another test worker's included."""
    return version.rsplit("-", 1)[0] if connection.vendor == "postgresql" else version


@pytest.mark.django_db(transaction=True)
def test_the_version_is_read_again_on_a_new_connection(plan_records, users):
    """On PostgreSQL each connection prepares the version's query once (planning it costs more
    than running it): a connection closed and opened again (CONN_MAX_AGE) prepares it again,
    and a write still moves the version on."""
    before = _newest_ids(records_version())
    assert _newest_ids(records_version()) == before
    connection.close()
    assert _newest_ids(records_version()) == before
    _edit_action(plan_records, users)
    connection.close()
    after = _newest_ids(records_version())
    assert after != before
    assert _newest_ids(records_version()) == after


@pytest.mark.django_db(transaction=True)
def test_without_kept_connections_nothing_is_left_prepared(monkeypatch):
    """Behind a pooler in transaction mode (CONN_MAX_AGE=0), a statement prepared on one
    client's behalf would be another's: the version's query is then sent whole."""
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL prepares the query")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    connection.close()
    assert _newest_ids(records_version()) == _newest_ids(records_version())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    records_version()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        assert cursor.fetchall() == [("records_version",)]


@pytest.mark.django_db(transaction=True)
def test_a_preparation_that_failed_half_way_is_made_again():
    """Were the query prepared but its first run to fail (a statement timeout, say), the next
    view prepares it again rather than failing on the name taken."""
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL prepares the query")
    connection.close()
    before = _newest_ids(records_version())
    connection.records_version_prepared_on = None  # as if the first run had failed
    assert _newest_ids(records_version()) == before
