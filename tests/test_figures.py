"""Indicator figures: RAG, direction, benchmarks, DfE imports, data entry and the library.

The CSV files here are SYNTHETIC: made up for the tests in the layout of DfE open data, not DfE's
or any council's figures.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from figures import services
from figures.models import BenchmarkFigure, IndicatorFigure, PendingImport
from figures.selectors import direction_of_travel, indicator_picture, quartile, rag_for
from outcomes.models import Indicator
from tests.factories import IndicatorFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,new_la_code,old_la_code,la_name,characteristic,number,percentage"
)
COUNCIL, REGION = "E10000099", "E12000004"
NEIGHBOURS = [f"E100000{n:02d}" for n in range(10, 20)]
PLACEMENTS = "Three or more placements"


def row(year, level, region, la_code, old_code, name, number, value, characteristic=PLACEMENTS):
    region_cells = f"{REGION},East Midlands" if region else ","
    return ",".join(
        [str(year), "Reporting year", level, "E92000001", "England", region_cells]
        + [la_code, old_code, name, characteristic, str(number), str(value)]
    )


def synthetic_csv(year_values, *, council_2016="71", extra_rows=()):
    """National, regional, the council and ten neighbours for each year, plus a row to ignore."""
    lines = [HEADER]
    for year, base in year_values:
        own = council_2016 if year == 2016 else base + 2
        lines += [
            row(year, "National", False, "", "", "", 900, base),
            row(year, "Regional", True, "", "", "", 90, base + 1),
            row(year, "Local authority", True, COUNCIL, "999", "Testshire", 60, own),
        ]
        lines += [
            row(year, "Local authority", True, code, f"9{n}0", f"Neighbour {n}", 50, base + n - 5)
            for n, code in enumerate(NEIGHBOURS)
        ]
        lines.append(row(year, "National", False, "", "", "", 999, base + 30, "All children"))
    return "\n".join(lines + list(extra_rows)) + "\n"


@pytest.fixture
def indicator(plan_records):
    indicator = plan_records["indicator"]
    profile = indicator.import_profile
    profile.filters = "characteristic = Three or more placements"
    profile.numerator_column = "number"
    profile.save()
    council = services.council_profile()
    council.la_code = COUNCIL
    council.statistical_neighbours = ", ".join(NEIGHBOURS)
    council.save()
    indicator.figures.all().delete()
    return indicator


@pytest.mark.parametrize(
    "value,target,better,tolerance,expected",
    [
        (Decimal(80), Decimal(75), "higher", Decimal(5), "green"),
        (Decimal(72), Decimal(75), "higher", Decimal(5), "amber"),
        (Decimal(60), Decimal(75), "higher", Decimal(5), "red"),
        (Decimal(60), Decimal(75), "higher", None, "red"),
        (Decimal(8), Decimal(10), "lower", Decimal(2), "green"),
        (Decimal(11), Decimal(10), "lower", Decimal(2), "amber"),
        (Decimal(13), Decimal(10), "lower", Decimal(2), "red"),
        (Decimal(13), None, "lower", None, ""),
    ],
)
def test_rag_follows_the_target_and_which_direction_is_better(
    value, target, better, tolerance, expected
):
    assert rag_for(value=value, target=target, better=better, tolerance=tolerance) == expected


def test_direction_of_travel_takes_polarity_into_account():
    assert (
        direction_of_travel(latest=Decimal(12), previous=Decimal(10), better="higher")
        == "Improving"
    )
    assert (
        direction_of_travel(latest=Decimal(12), previous=Decimal(10), better="lower") == "Worsening"
    )
    assert (
        direction_of_travel(latest=Decimal(10), previous=Decimal(10), better="lower") == "No change"
    )
    assert direction_of_travel(latest=Decimal(9), previous=None, better="lower") == ""


def test_quartile_a_is_the_best_quarter_of_councils():
    others = [Decimal(v) for v in range(10, 30)]
    assert quartile(value=Decimal(29), others=others, better="higher") == "A"
    assert quartile(value=Decimal(29), others=others, better="lower") == "D"
    assert quartile(value=Decimal(12), others=others, better="higher") == "D"


def test_a_dfe_file_imports_and_a_revised_figure_updates_with_history(client, users, indicator):
    client.force_login(users["administrator"])
    upload = reverse("figures:import_upload", args=[indicator.pk])
    data = synthetic_csv([(2015, 60), (2016, 62)]).encode()
    response = client.post(
        upload, {"file": io.BytesIO(data)} | {"file": _named(data, "cla_2016.csv")}
    )
    pending = PendingImport.objects.latest("pk")
    assert response["Location"] == reverse("figures:import_preview", args=[pending.pk])
    assert not BenchmarkFigure.objects.filter(
        indicator=indicator
    ).exists()  # a preview saves nothing
    assert "28 new figures" in client.get(response["Location"]).content.decode()
    assert client.post(response["Location"]).status_code == 302

    assert BenchmarkFigure.objects.filter(indicator=indicator).count() == 2 * 13
    own = IndicatorFigure.objects.get(indicator=indicator, period_label="2016")
    assert (own.value, own.numerator, own.source) == (Decimal(71), Decimal(60), "cla_2016.csv")
    picture = indicator_picture(indicator=indicator)
    latest = picture.rows[-1]
    assert latest.england.value == Decimal(62) and latest.region.value == Decimal(63)
    assert latest.neighbours_average == Decimal("61.5") and latest.neighbours_counted == 10
    assert latest.quartile == "A"  # 71 beats every neighbour, and higher is better here

    revised = synthetic_csv([(2015, 60), (2016, 62)], council_2016="69").encode()
    client.post(upload, {"file": _named(revised, "cla_2017.csv")})
    preview = client.get(
        reverse("figures:import_preview", args=[PendingImport.objects.latest("pk").pk])
    )
    assert (
        "Revised figures" in preview.content.decode() and "Testshire (own figure)" not in ""
    )  # shown below
    client.post(reverse("figures:import_preview", args=[PendingImport.objects.latest("pk").pk]))
    own.refresh_from_db()
    assert own.value == Decimal(69)
    versions = own.history.order_by("history_date")
    assert [v.value for v in versions] == [Decimal(71), Decimal(69)]
    assert versions.last().history_change_reason == "Imported from cla_2017.csv"


def test_a_broken_file_names_the_row_and_column_and_saves_nothing(client, users, indicator):
    bad_row = row(2016, "Local authority", True, "E10000050", "950", "Other", 5, "abc")
    broken = synthetic_csv([(2016, 62)], extra_rows=[bad_row]).encode()
    client.force_login(users["administrator"])
    client.post(
        reverse("figures:import_upload", args=[indicator.pk]),
        {"file": _named(broken, "broken.csv")},
    )
    url = reverse("figures:import_preview", args=[PendingImport.objects.latest("pk").pk])
    response = client.get(url)
    assert response.status_code == 400
    assert "Row 16, column &#x27;percentage&#x27;" in response.content.decode()
    assert client.post(url).status_code == 400
    assert not BenchmarkFigure.objects.filter(indicator=indicator).exists()
    assert not IndicatorFigure.objects.filter(indicator=indicator).exists()


def test_a_percentage_over_100_in_a_file_is_refused(users, indicator, tmp_path):
    path = tmp_path / "over.csv"
    path.write_text(synthetic_csv([(2016, 99)]))  # the neighbours go up to 103
    with pytest.raises(CommandError, match="A percentage must be between 0 and 100"):
        call_command("import_dfe_csv", str(indicator.pk), str(path), stdout=io.StringIO())
    assert not BenchmarkFigure.objects.filter(indicator=indicator).exists()


def test_a_figure_the_save_would_refuse_is_an_error_in_the_preview(client, users, indicator):
    profile = indicator.import_profile
    profile.denominator_column = "percentage"  # 50 children, of whom "number" (60) moved
    profile.save()
    pending = services.pending_import_create(
        indicator=indicator,
        actor=users["administrator"],
        file_name="cla.csv",
        data=synthetic_csv([(2016, 70)], council_2016="50").encode(),
    )
    client.force_login(users["administrator"])
    url = reverse("figures:import_preview", args=[pending.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "Testshire (own figure), 2016: The numerator cannot be more than the denominator" in (
        response.context["preview"].errors
    )
    assert not indicator.figures.exists()


def test_the_command_imports_and_can_dry_run(users, indicator, tmp_path):
    path = tmp_path / "cla.csv"
    path.write_text(synthetic_csv([(2016, 62)]))
    out = io.StringIO()
    call_command("import_dfe_csv", str(indicator.pk), str(path), "--dry-run", stdout=out)
    assert "14 new" in out.getvalue() and not BenchmarkFigure.objects.exists()
    call_command("import_dfe_csv", str(indicator.pk), str(path), stdout=out)
    assert BenchmarkFigure.objects.filter(indicator=indicator).count() == 13
    assert not PendingImport.objects.filter(file_name="cla.csv").exists()


def test_not_a_csv_and_too_large_files_are_refused(client, users, indicator, settings):
    client.force_login(users["administrator"])
    url = reverse("figures:import_upload", args=[indicator.pk])
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    client.post(url, {"file": _named(png, "chart.png")})
    preview = client.get(
        reverse("figures:import_preview", args=[PendingImport.objects.latest("pk").pk])
    )
    assert preview.status_code == 400
    too_big = b"a" * (services.MAX_UPLOAD_BYTES + 10)
    response = client.post(url, {"file": _named(too_big, "big.csv")})
    assert response.status_code == 400 and b"larger than" in response.content


def test_quarterly_data_entry_for_several_indicators(client, users, plan_records):
    strategy = plan_records["strategy"]
    first, second = plan_records["indicator"], plan_records["spare_indicator"]
    client.force_login(users["strategy_group_member"])
    url = reverse("figures:figure_entry", args=[strategy.pk])
    period = {
        "period-period_label": "Q2 2016-17",
        "period-period_end_0": "30",
        "period-period_end_1": "9",
        "period-period_end_2": "2016",
    }
    bad = period | {f"indicator-{first.pk}-value": "120", f"indicator-{second.pk}-value": "50"}
    response = client.post(url, bad)
    assert (
        response.status_code == 400
        and b"A percentage must be between 0 and 100" in response.content
    )
    assert not IndicatorFigure.objects.filter(period_label="Q2 2016-17").exists()
    # Two forms in error: one "Error:" in the title and one summary listing both.
    both_bad = bad | {f"indicator-{second.pk}-value": "-3", "period-period_label": ""}
    page = client.post(url, both_bad).content.decode()
    assert "<title>Error: Enter figures" in page
    assert page.count('class="govuk-error-summary"') == 1
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert summary.count("<li>") == 3  # the period, and each indicator's figure
    good = period | {
        f"indicator-{first.pk}-value": "82",
        f"indicator-{first.pk}-denominator": "6",
        f"indicator-{second.pk}-suppressed": "on",
    }
    assert client.post(url, good).status_code == 302
    entered = IndicatorFigure.objects.get(indicator=first, period_label="Q2 2016-17")
    assert (
        entered.value == Decimal(82)
        and entered.history.latest().history_user == users["strategy_group_member"]
    )
    assert IndicatorFigure.objects.get(indicator=second, period_label="Q2 2016-17").suppressed
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Small numbers" in page  # a cohort of 6 children


def test_a_rating_is_chosen_in_words_not_typed_as_a_number(client, users, plan_records):
    """A red, amber or green rating is recorded as 1, 2 or 3: the person entering it chooses
    Red, Amber or Green."""
    rating = IndicatorFactory(
        outcome=plan_records["outcome"], title="Young people's rating", unit=Indicator.Unit.RATING
    )
    client.force_login(users["strategy_group_member"])
    url = reverse("figures:figure_entry", args=[plan_records["strategy"].pk])
    page = client.get(url).content.decode()
    name = f"indicator-{rating.pk}-value"
    radios = re.findall(
        rf'<input\s+type="radio"\s+name="{name}"[^>]*value="(\d)"[^>]*>\s*<label[^>]*>\s*(\w+)',
        page,
    )
    assert radios == [("1", "Red"), ("2", "Amber"), ("3", "Green")]
    assert not re.search(rf'type="text"\s+name="{name}"', page)
    period = {
        "period-period_label": "Survey 2016",
        "period-period_end_0": "31",
        "period-period_end_1": "3",
        "period-period_end_2": "2016",
    }
    refused = client.post(url, period | {name: "5"})
    assert refused.status_code == 400 and b"Choose red, amber or green" in refused.content
    assert not rating.figures.exists()
    assert client.post(url, period | {name: "2"}).status_code == 302
    assert rating.figures.get().value == Decimal(2)


def test_adopting_a_standard_measure(client, users, plan_records):
    outcome = plan_records["outcome"]
    client.force_login(users["administrator"])
    data = {"code": "stability-3-placements", "outcome": outcome.pk}
    response = client.post(reverse("figures:adopt_standard"), data)
    indicator = Indicator.objects.get(standard_code="stability-3-placements")
    assert response["Location"] == indicator.get_absolute_url()
    assert indicator.outcome == outcome and indicator.better == "lower" and indicator.definition
    client.post(reverse("figures:adopt_standard"), data)
    assert Indicator.objects.filter(standard_code="stability-3-placements").count() == 1


@pytest.mark.parametrize("figures_each", [2, 40])
def test_outcome_page_queries_do_not_grow_with_figures(
    client, users, django_assert_max_num_queries, figures_each
):
    outcome = OutcomeFactory()
    for _ in range(4):
        indicator = IndicatorFactory(outcome=outcome)
        for year in range(figures_each):
            IndicatorFigure.objects.create(
                indicator=indicator,
                period_label=str(1990 + year),
                period_end=f"{1990 + year}-03-31",
                value=50,
            )
    client.force_login(users["viewer"])
    # The outcome, its owners, group, commitments and the actions that deliver them, figures,
    # and the national frameworks it serves (with its history of them).
    with django_assert_max_num_queries(15):
        response = client.get(outcome.get_absolute_url())
    page = response.content.decode()
    assert page.count('<span class="app-trend"><svg') == 4  # drawn in the page
    assert "trend.svg" not in page


def _named(data, name):
    file = io.BytesIO(data)
    file.name = name
    return file
