"""scripts/generate_councils.py, the benchmark's ten councils' worth, at a hundredth of the size."""

import importlib.util
from pathlib import Path

import pytest

from actionplans.models import Action, ActionPlan
from figures.models import BenchmarkFigure, IndicatorFigure
from outcomes.models import Strategy
from reports.models import CommitteeReport
from reviews.models import ActionUpdate, OutcomeUpdate, ReviewPeriod

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "generate_councils.py"


def generator():
    spec = importlib.util.spec_from_file_location("generate_councils", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_makes_a_council_with_history_at_a_small_scale():
    found, history, _ = generator().generate(scale=0.01, with_demo=False)

    # One strategy of two outcomes, four indicators each; a plan a year, of 5 and 2 actions.
    assert Strategy.objects.count() == found["outcomes.Strategy"] == 1
    assert ActionPlan.objects.count() == 2
    assert sorted(ActionPlan.objects.values_list("financial_year_start", flat=True)) == [2015, 2016]
    assert Action.objects.count() == found["actionplans.Action"] == 7
    assert ReviewPeriod.objects.count() == 8
    # Last year's four quarters and this year's first two, for each outcome.
    assert OutcomeUpdate.objects.count() == 12
    # Last year's entries in bulk (2 actions x 4 quarters), this year's through the service.
    assert ActionUpdate.objects.count() == 2 * 4 + 5 * 2
    assert CommitteeReport.objects.filter(status="draft").count() == 4
    # Two years of figures for each of six indicators with numbers, and their comparators.
    assert IndicatorFigure.objects.filter(source="Generated data").count() == 12
    assert BenchmarkFigure.objects.count() > 0
    assert history == sum(n for label, n in found.items() if ".Historical" in label)

    # What is written in bulk has its history as the services write it.
    figure = IndicatorFigure.objects.filter(source="Generated data").first()
    (created,) = figure.history.all()
    assert created.history_type == "+"
    assert created.history_user.username == "system"
    assert "Generated for the benchmark" in created.history_change_reason
    entry = ActionUpdate.objects.filter(
        outcome_update__period__action_plan__financial_year_start=2015
    ).first()
    versions = list(entry.history.order_by("history_date").values_list("history_type", "version"))
    assert versions == [("+", 1), ("~", 2)]
    assert entry.history.first().history_user in entry.outcome_update.outcome.owners.all()
