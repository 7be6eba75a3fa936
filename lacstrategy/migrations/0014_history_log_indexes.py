"""Indexes for the change log's pages and Deleted records (lacstrategy.history_indexes)."""

from django.db import migrations

from lacstrategy.history_indexes import log_indexes


class Migration(migrations.Migration):
    dependencies = [("lacstrategy", "0013_council_help_and_accessibility")]

    operations = log_indexes(
        "lacstrategy_historicaluser",
        "lacstrategy_historicalcouncil",
    )
