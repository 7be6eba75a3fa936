"""The content guide (docs/content.md) as pages write it: numbers, gaps and tags in one way."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from figures.models import IndicatorFigure
from outcomes.models import Indicator
from tests.factories import IndicatorFactory


def render(source, **context):
    return Template("{% load lac %}" + source).render(Context(context)).strip()


@pytest.mark.parametrize(
    "value, unit, words",
    [
        (Decimal("12.0"), "count", "12"),
        (Decimal("12.50"), "rate", "12.5"),
        (Decimal("66.666"), "percentage", "66.7%"),
        (Decimal("1"), "days", "1 day"),
        (None, "count", "No figure yet"),
    ],
)
def test_a_number_is_written_as_the_content_guide_says(value, unit, words):
    assert render("{{ value|figure:unit }}", value=value, unit=unit) == words


def test_a_withheld_figure_and_a_missing_one_are_said_in_words():
    withheld = IndicatorFigure(suppressed=True, value=None)
    assert render("{{ f|figure_words:'count' }}", f=withheld) == "Withheld: small numbers"
    assert render("{{ f|figure_words:'count' }}", f=None) == "No figure yet"


def test_an_update_state_and_a_figure_rating_use_the_one_tag_mapping():
    html = render("{% rating_tag 'amber' 'Amber: within tolerance' %}")
    assert 'govuk-tag--orange">Amber: within tolerance<' in html


@pytest.mark.django_db
def test_the_indicator_page_writes_its_figures_as_the_guide_says(client, users):
    indicator = IndicatorFactory(
        unit=Indicator.Unit.RATE, baseline_value=Decimal("12.50"), baseline_period="2015"
    )
    IndicatorFigure.objects.create(
        indicator=indicator, period_label="2016", period_end="2016-03-31", value=Decimal("12.0")
    )
    IndicatorFigure.objects.create(
        indicator=indicator, period_label="2017", period_end="2017-03-31", suppressed=True
    )
    client.force_login(users["viewer"])
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "12.50" not in page and "12.5 (2015)" in page
    assert "12.0" not in page
    assert "Withheld: small numbers" in page
    assert "Suppressed" not in page and ">suppressed<" not in page


def test_the_content_guide_gives_the_definitions_the_update_form_shows():
    from pathlib import Path

    from actionplans.models import RAG_DEFINITIONS, STATUS_DEFINITIONS, Action, Rag

    guide = (Path(__file__).resolve().parents[1] / "docs" / "content.md").read_text()
    for value, label in Action.Status.choices:
        assert f"| {label} | {STATUS_DEFINITIONS[value]} |" in guide
    for value, label in Rag.choices:
        assert f"| {label} | {RAG_DEFINITIONS[value]} |" in guide
