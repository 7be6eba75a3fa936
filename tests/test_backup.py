"""Backup and restore round trip, history included, on whichever database the suite runs on."""

import io
import uuid
from binascii import unhexlify

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.oath import totp
from django_otp.util import random_hex

from actionplans.models import Action
from lacstrategy import roles, services
from lacstrategy.backup import backed_up_models
from lacstrategy.models import User
from redaction.selectors import find_text
from redaction.services import redact_text

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
