"""Indexes for the change log (lacstrategy.history): its pages start from a row's date and id,
and Deleted records reads the deletions alone, so neither reads a whole history table."""

from django.db import migrations

TABLES = [
    "lacstrategy_historicaluser",
    "lacstrategy_historicalcouncil",
]


def _indexes(table):
    return [
        (f"{table}_log", f"{table} (history_date, history_id)"),
        (f"{table}_deleted", f"{table} (history_date, history_id) WHERE history_type = '-'"),
    ]


class Migration(migrations.Migration):
    dependencies = [("lacstrategy", "0013_council_help_and_accessibility")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} ON {on}", reverse_sql=f"DROP INDEX {name}")
        for table in TABLES
        for name, on in _indexes(table)
    ]
