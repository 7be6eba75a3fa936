"""One-file backups of everything, the change history included, and their restore.

A backup is Django's own JSON serialisation (dumpdata), gzipped, so it loads into SQLite or
PostgreSQL alike. Restoring goes into an empty database only: it never merges or overwrites.
"""

import gzip
import json

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

# Rebuilt by migrate, or not worth keeping: background jobs and their queue are passing work
# (their documents can be made again), and their files describe children.
LEFT_OUT = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "jobs",
    "django_tasks_database",
]
# The records whose presence means a database is not empty.
CONTENT = ["lacstrategy.User", "outcomes.Strategy"]


class BackupError(Exception):
    pass


def write_backup(path):
    """Write every record and its history to `path` (.json.gz); return the count of records."""
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=LEFT_OUT,
        output=str(path),
        verbosity=0,
    )
    with gzip.open(path, "rt", encoding="utf-8") as backup:
        return len(json.load(backup))


def database_is_empty():
    return not any(
        apps.get_model(label)._default_manager.exclude(**_system_rows(label)).exists()
        for label in CONTENT
    )


def _system_rows(label):
    # The system account is made by commands on their own; it does not count as content.
    return {"username": "system"} if label == "lacstrategy.User" else {}


def restore_backup(path):
    """Load a backup into an empty, migrated database, all or nothing."""
    if not str(path).endswith(".json.gz"):
        raise BackupError("A backup file ends in .json.gz")
    if not database_is_empty():
        raise BackupError(
            "This database already has records. Restore into an empty database "
            "(run migrate on a new one first), so nothing is overwritten."
        )
    # The backup carries the history tables as they were; writing new history rows while
    # loading them would add changes that nobody made.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        apps.get_model("lacstrategy.User")._default_manager.filter(username="system").delete()
        call_command("loaddata", str(path), verbosity=0)
