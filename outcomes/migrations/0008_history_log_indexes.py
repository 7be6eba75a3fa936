"""Indexes for the change log's pages and Deleted records (lacstrategy.history_indexes)."""

from django.db import migrations

from lacstrategy.history_indexes import log_indexes


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0007_approved_by_hint")]

    operations = log_indexes(
        "outcomes_historicalstrategy",
        "outcomes_historicaloutcome",
        "outcomes_historicaloutcomegroup",
        "outcomes_historicalstrategysection",
        "outcomes_historicalcommitment",
        "outcomes_historicalindicator",
    )
