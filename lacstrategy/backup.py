"""One-file backups of everything, the change history included, and their restore.

A backup is Django's own JSON serialisation (what dumpdata writes), gzipped, so it loads into
SQLite or PostgreSQL alike. Restoring goes into an empty database only: it never merges or
overwrites. Both ways stream, a chunk of records at a time, so a large database never has to
fit in memory; and both read each person's natural key (username) once, not once a row.
"""

import gzip
from collections import defaultdict
from contextlib import closing, contextmanager
from pathlib import Path

import ijson
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.db.models import Prefetch
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


# Records read or written at a time: a few megabytes of memory, and one query per model per
# chunk, however many records there are.
CHUNK = 2000


def write_backup(path):
    """Write every record and its history to `path` (.json.gz); return the count of records.

    Every record keeps its id, people included, so that history rows, which name records by
    id, still name the same records after a restore; and every time keeps its microseconds."""
    count = 0

    def records():
        nonlocal count
        for model in _models_in_order():
            rows = model._default_manager.order_by(model._meta.pk.name)
            links = [
                Prefetch(field.name, queryset=field.related_model._base_manager.only("pk"))
                for field in model._meta.many_to_many
                if field.remote_field.through._meta.auto_created
            ]
            for row in rows.prefetch_related(*links).iterator(chunk_size=CHUNK):
                count += 1
                yield row

    # Written beside the backup, then renamed: a backup that stopped half-way leaves no file
    # that looks whole. Level 6 (zlib's default) is a few per cent larger than level 9 and
    # about four times faster.
    partial = Path(f"{path}.partial")
    try:
        # closing(): a backup that fails closes its PostgreSQL cursor before the transaction.
        with (
            gzip.open(partial, "wt", encoding="utf-8", compresslevel=6) as file,
            _one_snapshot(),
            closing(records()) as rows,
        ):
            serializers.serialize("backup-json", rows, stream=file, use_natural_foreign_keys=True)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return count


@contextmanager
def _one_snapshot():
    """Every table as at one moment while the service goes on: otherwise a record saved
    half-way through would have its history row in the backup but not itself (or the
    reverse), and the restore would refuse the file."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _models_in_order():
    """Each model whose rows are written, in the order dumpdata writes them (what is pointed
    at before what points at it). Link tables are written with the record that links."""
    models = [
        model
        for model in backed_up_models()
        if not model._meta.auto_created and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    ]
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


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


# Made by migrations (the role groups, the national frameworks shipped with the product): a
# fresh database has them, and the backup brings its own (with any later versions added since).
MADE_BY_MIGRATE = {
    "auth.group",
    "frameworks.framework",
    "frameworks.frameworkitem",
    "frameworks.historicalframework",
    "frameworks.historicalframeworkitem",
}


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
    """Load a backup into an empty, migrated database, all or nothing; return the count of
    records."""
    if not str(path).endswith(".json.gz"):
        raise BackupError("A backup file ends in .json.gz")
    if not database_is_empty():
        raise BackupError(
            "This database already has records. Restore into an empty database "
            "(run migrate on a new one first), so nothing is overwritten."
        )
    try:
        # Deleting the fresh install's own records must not write history rows either.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            for rows in reversed(_system_account_rows().values()):
                rows.delete()
            # The backup's own role groups come back with their ids, as everything else does.
            for label in MADE_BY_MIGRATE:
                apps.get_model(label)._default_manager.all().delete()
            with gzip.open(path, "rb") as file:
                count = _load(file)
    # Whatever stopped it, the transaction has been rolled back: say so, and why.
    except Exception as error:
        raise BackupError(f"Restoring {path} stopped, and nothing was restored: {error}") from error
    # A backup from before the frameworks were shipped has none: add them, with their history.
    from frameworks.models import Framework
    from frameworks.services import install_shipped_frameworks
    from lacstrategy.services import system_account

    if not Framework.objects.exists():
        install_shipped_frameworks(actor=system_account())
    return count


def _load(file):
    """Insert the file's records in chunks, in one transaction (the caller's). The inserts
    send no signals, so no history row is written for the loading itself: the backup brings
    the history as it was."""
    keys = _NaturalKeys()
    inserts = _Inserts()
    objects = ijson.items(file, "item", use_float=True)
    for record in Deserializer(keys.resolve(objects)):
        keys.learn(record.object)
        inserts.add(record)
    inserts.flush()
    if not inserts.count:
        raise DeserializationError("it holds no records (is it a file from manage.py backup?)")
    # Foreign keys are checked at the end, as the records that they name may come later.
    connection.check_constraints(table_names=[model._meta.db_table for model in inserts.models])
    # PostgreSQL's id sequences do not move when ids are given: move them past the largest.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), inserts.models):
            cursor.execute(sql)
    return inserts.count


class _NaturalKeys:
    """The id for each natural key the file names (a person's username, a role group's name,
    a permission), from the file's own records as they pass, else from the database, read
    once a model; Django's loaddata asks the database once for every row."""

    def __init__(self):
        self.ids = defaultdict(dict)
        self.read = set()
        self.fields = {}
        self.named = {
            field.related_model
            for model in backed_up_models()
            for field in self._fields(model._meta.label_lower)
        }

    def _fields(self, label):
        """The model's relations that the file gives as natural keys."""
        if label not in self.fields:
            model = apps.get_model(label)
            self.fields[label] = [
                field
                for field in model._meta.get_fields()
                if field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one or field.many_to_many)
                and hasattr(field.related_model, "natural_key")
            ]
        return self.fields[label]

    def _id(self, model, key, record):
        key = tuple(key)
        if key not in self.ids[model] and model not in self.read:
            self.read.add(model)
            for row in model._base_manager.select_related():
                self.ids[model].setdefault(row.natural_key(), row.pk)
        if key not in self.ids[model]:
            raise DeserializationError(
                f"{record['model']} {record.get('pk')} names a {model._meta.verbose_name} "
                f"that is neither in the backup nor in the database: {list(key)}"
            )
        return self.ids[model][key]

    def resolve(self, records):
        """Each record with its natural keys turned into ids."""
        for record in records:
            fields = record["fields"]
            for field in self._fields(record["model"]):
                value = fields.get(field.name)
                model = field.related_model
                if field.many_to_many:
                    fields[field.name] = [
                        self._id(model, key, record) if isinstance(key, list) else key
                        for key in value or []
                    ]
                elif isinstance(value, list):
                    fields[field.name] = self._id(model, value, record)
            yield record

    def learn(self, instance):
        if type(instance) in self.named:
            self.ids[type(instance)][instance.natural_key()] = instance.pk


class _Inserts:
    """Records waiting to be inserted, by model, with their links. The file holds one model's
    records together, so a model's are inserted when they fill a chunk or when the next model
    starts."""

    def __init__(self):
        self.waiting = defaultdict(list)
        self.models = []
        self.count = 0
        self.current = None

    def add(self, record):
        instance = record.object
        model = type(instance)
        if model is not self.current or len(self.waiting[model]) >= CHUNK:
            self.flush()
            self.current = model
        self.waiting[model].append(instance)
        self.count += 1
        for name, ids in record.m2m_data.items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            this = through._meta.get_field(field.m2m_field_name()).attname
            other = through._meta.get_field(field.m2m_reverse_field_name()).attname
            self.waiting[through].extend(through(**{this: instance.pk, other: id}) for id in ids)

    def flush(self):
        for model, rows in self.waiting.items():
            if rows:
                _insert(model, rows)
                if model not in self.models:
                    self.models.append(model)
        self.waiting.clear()


def _insert(model, rows):
    """Insert rows as loaddata saves a record ("raw"): every value as the file gives it, where
    bulk_create would stamp the time of the restore on fields that take the time they are
    saved (a two-step device's created_at). Manager._insert is what Model.save() calls."""
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    if rows[0].pk is None:  # links, whose ids name nothing, take new ones
        fields.remove(model._meta.pk)
    size = connection.ops.bulk_batch_size(fields, rows)
    for start in range(0, len(rows), size):
        model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)
