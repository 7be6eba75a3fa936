"""Backup and restore round trip, history included, on whichever database the suite runs on."""

import gzip
import io
import uuid
from binascii import unhexlify

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.oath import totp
from django_otp.util import random_hex

from actionplans.models import Action
from figures.models import IndicatorFigure
from frameworks.models import Framework
from frameworks.services import install_shipped_frameworks
from lacstrategy import backup_format, roles, services
from lacstrategy.backup import LEFT_OUT, backed_up_models
from lacstrategy.models import User
from redaction.selectors import find_text
from redaction.services import redact_text
from tests.factories import ActionFactory, ActionPlanFactory, IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
HISTORY_SAMPLE = ("history_user__username", "history_change_reason", "status", "history_date")


def every_row():
    """Every backed-up table, row by row, in id order. A many-to-many link table's own ids
    name nothing (the links are restored with their records), so those rows are compared by
    what they link."""
    tables = {}
    for model in backed_up_models():
        link_table = model._meta.auto_created
        rows = [
            {
                k: bytes(v) if isinstance(v, memoryview) else v
                for k, v in row.items()
                if not (link_table and k == "id")
            }
            for row in model._default_manager.order_by("pk").values()
        ]
        tables[model._meta.label] = sorted(rows, key=repr) if link_table else rows
    return tables


def test_backup_and_restore_round_trip(tmp_path):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    # Someone's two-step sign-in comes back too: without it they would sign in with a password.
    key = random_hex(20)
    person = User.objects.get(username="katie.warner")
    services.two_step_set_up(user=person, key=key, code=f"{totp(unhexlify(key)):06d}")
    # A redaction too, with the issued report it listed.
    found = find_text(text="initiation of health review")
    redaction, _ = redact_text(
        text="initiation of health review",
        replacement="[redacted]",
        reason="Backup test",
        actor=User.objects.get(username="admin"),
        token=uuid.uuid4(),
        fingerprint=found.fingerprint,
    )
    assert redaction.issued_reports.exists() and redaction.history_rows_changed
    before = every_row()
    assert len(before["otp_static.StaticToken"]) == services.BACKUP_CODE_COUNT
    assert before["otp_totp.TOTPDevice"][0]["key"] == key
    action = Action.objects.get(target_text="TBC following publication of audit report")
    sample = (action.description, action.undertaken_by, action.version, action.status)
    history_sample = list(action.history.values_list(*HISTORY_SAMPLE))
    path = tmp_path / "lacstrategy.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # an empty, migrated database (role groups and all)
    call_command("restore_backup", str(path), stdout=io.StringIO())

    assert every_row() == before, connection.vendor
    action = Action.objects.get(pk=action.pk)
    assert (action.description, action.undertaken_by, action.version, action.status) == sample
    assert list(action.history.values_list(*HISTORY_SAMPLE)) == history_sample
    assert len(before["actionplans.HistoricalAction"]) > len(before["actionplans.Action"])


def test_restore_refuses_a_database_with_records(tmp_path):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    path = tmp_path / "lacstrategy.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has records"):
        call_command("restore_backup", str(path), stdout=io.StringIO())


def test_a_restore_after_a_command_made_the_system_account_keeps_everyone_s_identity(tmp_path):
    """The reminders command makes the system account on a fresh install; restoring after it
    must still give each person their own id, or their history would follow another person."""
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    before = every_row()
    path = tmp_path / "lacstrategy.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    roles.role_groups(roles.ALL_ROLES)  # as migrate makes them in a new database
    call_command("send_update_reminders", stdout=io.StringIO())  # makes the system account
    call_command("restore_backup", str(path), stdout=io.StringIO())

    assert every_row() == before, connection.vendor
    person = User.objects.get(username="katie.warner")
    assert {row.username for row in person.history.all()} == {"katie.warner"}


def _records(size):
    """`size` people with roles, actions led by them and figures entered by them, each with
    history rows naming who made them: the natural keys a backup writes and a restore reads."""
    install_shipped_frameworks(actor=None)  # as migrate makes them (a flushed database has none)
    people = [UserFactory(roles=[roles.OUTCOME_OWNER]) for _ in range(size)]
    plan = ActionPlanFactory()
    indicator = IndicatorFactory(outcome__strategy=plan.strategy)
    for number, person in enumerate(people):
        ActionFactory(priority_indicator__action_plan=plan, lead_users=[person])
        IndicatorFigure.objects.create(
            indicator=indicator,
            period_label=str(1990 + number),
            period_end=f"{1990 + number}-03-31",
            value=50,
            entered_by=person,
        )
    for model in (Action, IndicatorFigure):
        model.history.update(history_user=people[-1])


def _empty_database():
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


@pytest.mark.parametrize("size", [2, 30])
def test_backup_and_restore_queries_do_not_grow_with_records(
    tmp_path, django_assert_max_num_queries, size
):
    _records(size)
    before = every_row()
    path = tmp_path / "lacstrategy.json.gz"
    # About one query a table either way (and a look at each for emptiness before a restore),
    # however many records: SQLite takes at most 999 values in one insert, so it splits more.
    # (The frameworks and their tags added seven tables; the views of children and young people
    # ten more, in place of two; the public page, the feed's tokens and its log five; uploads
    # of a framework's later version two.)
    # PostgreSQL takes one more, to read every table from one snapshot.
    snapshot = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(100 + snapshot):
        call_command("backup", str(path), stdout=io.StringIO())
    _empty_database()
    with django_assert_max_num_queries(158):
        call_command("restore_backup", str(path), stdout=io.StringIO())
    assert every_row() == before, connection.vendor
    # The id sequences moved past the restored ids (PostgreSQL's are not moved by inserts
    # that give their ids), so the next record of every kind can be saved.
    ActionFactory(lead_users=[UserFactory()])


def _broken_halfway(path):
    text = gzip.decompress(path.read_bytes())
    return gzip.compress(text[: len(text) // 2])


def _truncated_file(path):
    data = path.read_bytes()
    return data[: len(data) // 2]


def _names_someone_not_in_it(path):
    text = gzip.decompress(path.read_bytes()).decode()
    return gzip.compress(text.replace('["person', '["nobody', 1).encode())


@pytest.mark.parametrize("breaking", [_broken_halfway, _truncated_file, _names_someone_not_in_it])
def test_a_broken_backup_restores_nothing(tmp_path, breaking):
    _records(3)
    path = tmp_path / "lacstrategy.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(breaking(path))
    _empty_database()
    empty = every_row()

    with pytest.raises(CommandError, match="nothing was restored"):
        call_command("restore_backup", str(broken), stdout=io.StringIO())

    assert every_row() == empty


def test_a_backup_that_stops_half_way_leaves_no_file(tmp_path, monkeypatch):
    _records(2)

    def stop(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup_format.Serializer, "handle_fk_field", stop)
    path = tmp_path / "lacstrategy.json.gz"
    with pytest.raises(OSError, match="No space"):
        call_command("backup", str(path), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_a_backup_written_by_dumpdata_as_before_still_restores(tmp_path):
    """Backups written before the streaming writer came from dumpdata: the same format."""
    _records(3)
    before = every_row()
    path = tmp_path / "lacstrategy.json.gz"
    call_command(
        "dumpdata",
        format="backup-json",
        natural_foreign=True,
        exclude=LEFT_OUT,
        output=str(path),
        verbosity=0,
    )
    _empty_database()
    call_command("restore_backup", str(path), stdout=io.StringIO())
    assert every_row() == before


def test_a_backup_from_before_the_frameworks_gets_them_on_restore(tmp_path):
    ActionFactory()
    Framework.objects.all().delete()  # as a backup made before they were shipped
    path = tmp_path / "before-frameworks.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    _empty_database()
    call_command("restore_backup", str(path), stdout=io.StringIO())
    assert Framework.objects.filter(is_current=True).count() == 3
    assert all(f.history.exists() for f in Framework.objects.all())
