"""Indexes for the change log (lacstrategy.history), for each app's migration to add to its
history tables: the log's pages start from a row's date and id, and Deleted records reads the
deletions alone, so neither reads a whole history table."""

from django.db import migrations


def log_indexes(*tables, if_missing=False):
    """The migration operations that index each history table in `tables`. `if_missing`: only
    those not there, after a change that SQLite makes by copying the table (adding a column),
    which leaves these indexes behind; PostgreSQL keeps them."""
    create = "CREATE INDEX IF NOT EXISTS" if if_missing else "CREATE INDEX"
    return [
        migrations.RunSQL(
            f"{create} {name} ON {on}",
            reverse_sql=migrations.RunSQL.noop if if_missing else f"DROP INDEX {name}",
        )
        for table in tables
        for name, on in (
            (f"{table}_log", f"{table} (history_date, history_id)"),
            (f"{table}_deleted", f"{table} (history_date, history_id) WHERE history_type = '-'"),
        )
    ]
