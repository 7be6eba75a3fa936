"""Indexes for the change log (lacstrategy.history), for each app's migration to add to its
history tables: the log's pages start from a row's date and id, and Deleted records reads the
deletions alone, so neither reads a whole history table."""

from django.db import migrations


def log_indexes(*tables):
    """The migration operations that index each history table in `tables`."""
    return [
        migrations.RunSQL(f"CREATE INDEX {name} ON {on}", reverse_sql=f"DROP INDEX {name}")
        for table in tables
        for name, on in (
            (f"{table}_log", f"{table} (history_date, history_id)"),
            (f"{table}_deleted", f"{table} (history_date, history_id) WHERE history_type = '-'"),
        )
    ]
