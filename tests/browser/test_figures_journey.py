"""Indicator figures in the browser: the chart and table, the library, data entry by keyboard
and a DfE import with its preview. The CSV here is synthetic, not DfE's figures."""

import pytest

from figures.models import IndicatorFigure
from lacstrategy.demo import DEMO_PASSWORD
from outcomes.models import Indicator
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SYNTHETIC = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,new_la_code,old_la_code,la_name,percentage\n"
    "2017,Reporting year,National,E92000001,England,,,,,,67\n"
    "2017,Reporting year,Regional,E92000001,England,E12000004,East Midlands,,,,66\n"
    "2017,Reporting year,Local authority,E92000001,England,E12000004,East Midlands,"
    "E10000024,891,Nottinghamshire,68\n"
)


@pytest.fixture
def charted(demo_site):
    return IndicatorFigure.objects.filter(is_illustrative=True).first().indicator


def test_indicator_page_chart_table_and_import(new_page, charted, tmp_path):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto(charted.get_absolute_url())
    chart = page.locator(".app-chart__image")
    chart.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", chart.element_handle())
    table = page.locator("#figures-table").inner_text()
    assert "England" in table and "Statistical neighbours (average)" in table
    assert "Illustrative sample figure" in page.locator("#figures").inner_text()
    assert "Small numbers" in page.locator("main").inner_text()
    assert_accessible(page, "30-indicator-with-chart")

    page.goto("/figures/council/")
    assert_accessible(page, "36-council-codes")
    page.goto(f"/figures/indicators/{charted.pk}/import-profile/")
    assert_accessible(page, "37-import-profile")
    page.get_by_label("Publication").fill("Synthetic test publication")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Import figures from DfE open data").click()
    assert_accessible(page, "31-import-upload")
    csv = tmp_path / "synthetic_2017.csv"
    csv.write_text(SYNTHETIC)
    page.get_by_label("Upload a CSV file from explore-education-statistics").set_input_files(
        str(csv)
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("heading", name="Check what the import will change").wait_for()
    assert "4 new figures" in page.locator("main").inner_text()
    assert_accessible(page, "32-import-preview")
    page.get_by_role("button", name="Import these figures").click()
    page.get_by_role("heading", name="Figures imported").wait_for()
    assert "Imported 4 new and 0 revised figures" in page.locator("main").inner_text()
    assert_accessible(page, "38-import-done")
    assert IndicatorFigure.objects.get(indicator=charted, period_label="2017").value == 68


def test_library_and_quarterly_data_entry_by_keyboard(new_page, charted):
    page = new_page()
    sign_in(page, "member", DEMO_PASSWORD)
    page.goto("/figures/library/")
    assert "Children in long-term stable placements" in page.locator("main").inner_text()
    assert_accessible(page, "33-library")

    page.goto(f"/figures/strategies/{charted.outcome.strategy_id}/enter/")
    assert_accessible(page, "34-figure-entry")
    page.get_by_label("Period", exact=True).focus()
    page.keyboard.type("Q3 2016-17")
    page.keyboard.press("Tab")  # to the day box of the period's last day
    page.keyboard.type("31")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("2016")
    page.locator(f"#id_indicator-{charted.pk}-value").focus()
    page.keyboard.type("140")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "A percentage must be between 0 and 100" in summary.inner_text()
    assert_accessible(page, "35-figure-entry-error")
    page.locator(f"#id_indicator-{charted.pk}-value").fill("64")
    page.locator(f"#id_indicator-{charted.pk}-value").press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    figure = IndicatorFigure.objects.get(indicator=charted, period_label="Q3 2016-17")
    assert str(figure.period_end) == "2016-12-31" and figure.value == 64
    assert Indicator.objects.filter(pk=charted.pk).exists()
