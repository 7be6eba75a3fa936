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

# Two-step sign-in (django-otp's otp_totp and otp_static tables) is kept: a restore without it
# would quietly turn it off for everyone. So a backup holds the authenticator apps' secret keys
# and the unused backup codes, as the database does: keep backups as safe as the database.
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
SYSTEM_USERNAME = "system"


class BackupError(Exception):
    pass


def write_backup(path):
    """Write every record and its history to `path` (.json.gz); return the count of records.

    Every record keeps its id, people included, so that history rows, which name records by
    id, still name the same records after a restore; and every time keeps its microseconds."""
    call_command(
        "dumpdata",
        format="backup-json",
        natural_foreign=True,
        exclude=LEFT_OUT,
        output=str(path),
        verbosity=0,
    )
    with gzip.open(path, "rt", encoding="utf-8") as backup:
        return len(json.load(backup))


def backed_up_models():
    left_out = {label.lower() for label in LEFT_OUT}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in left_out or model._meta.label_lower in left_out:
            continue
        yield model


def _system_account_rows():
    """The system account, made by any command on its own (the reminders, for one), and its
    own history: a fresh install may have them; the backup brings its own."""
    User = apps.get_model("lacstrategy.User")
    return {
        User: User._default_manager.filter(username=SYSTEM_USERNAME),
        User.history.model: User.history.filter(username=SYSTEM_USERNAME),
    }


# Made by migrations (the role groups): a fresh database has them, and the backup's are the same.
MADE_BY_MIGRATE = {"auth.group"}


def database_is_empty():
    """Nothing in any backed-up table but what a fresh install may have made on its own."""
    own = _system_account_rows()
    for model in backed_up_models():
        if model._meta.label_lower in MADE_BY_MIGRATE:
            continue
        rows = model._default_manager.all()
        if model in own:
            rows = rows.exclude(pk__in=own[model].values("pk"))
        if rows.exists():
            return False
    return True


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
        for rows in reversed(_system_account_rows().values()):
            rows.delete()
        # The backup's own role groups come back with their ids, as everything else does.
        for label in MADE_BY_MIGRATE:
            apps.get_model(label)._default_manager.all().delete()
        call_command("loaddata", str(path), verbosity=0)
