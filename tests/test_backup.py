"""Backup and restore round trip, history included, on whichever database the suite runs on."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from actionplans.models import Action
from lacstrategy.backup import LEFT_OUT

pytestmark = pytest.mark.django_db(transaction=True)
HISTORY_SAMPLE = ("history_user__username", "history_change_reason", "status", "history_date")


def row_counts():
    counts = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in {"contenttypes", "sessions", "admin", *LEFT_OUT}:
            continue
        if label.lower() in LEFT_OUT:
            continue
        counts[label] = model._default_manager.count()
    return counts


def test_backup_and_restore_round_trip(tmp_path):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    before = row_counts()
    action = Action.objects.get(target_text="TBC following publication of audit report")
    sample = (action.description, action.undertaken_by, action.version, action.status)
    history_sample = list(action.history.values_list(*HISTORY_SAMPLE))
    path = tmp_path / "lacstrategy.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # an empty, migrated database (role groups and all)
    call_command("restore_backup", str(path), stdout=io.StringIO())

    assert row_counts() == before, connection.vendor
    action = Action.objects.get(pk=action.pk)
    assert (action.description, action.undertaken_by, action.version, action.status) == sample
    assert list(action.history.values_list(*HISTORY_SAMPLE)) == history_sample
    assert before["actionplans.HistoricalAction"] > before["actionplans.Action"]


def test_restore_refuses_a_database_with_records(tmp_path):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    path = tmp_path / "lacstrategy.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has records"):
        call_command("restore_backup", str(path), stdout=io.StringIO())
