"""Indexes for the change log (lacstrategy.history): its pages start from a row's date and id,
and Deleted records reads the deletions alone, so neither reads a whole history table."""

from django.db import migrations

TABLES = [
    "actionplans_historicalactionplan",
    "actionplans_historicalpriorityindicator",
    "actionplans_historicalaction",
]


def _indexes(table):
    return [
        (f"{table}_log", f"{table} (history_date, history_id)"),
        (f"{table}_deleted", f"{table} (history_date, history_id) WHERE history_type = '-'"),
    ]


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0009_action_numbers_origins_commitments")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} ON {on}", reverse_sql=f"DROP INDEX {name}")
        for table in TABLES
        for name, on in _indexes(table)
    ]
