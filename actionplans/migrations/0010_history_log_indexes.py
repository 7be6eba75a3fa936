"""Indexes for the change log's pages and Deleted records (lacstrategy.history_indexes)."""

from django.db import migrations

from lacstrategy.history_indexes import log_indexes


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0009_action_numbers_origins_commitments")]

    operations = log_indexes(
        "actionplans_historicalactionplan",
        "actionplans_historicalpriorityindicator",
        "actionplans_historicalaction",
    )
