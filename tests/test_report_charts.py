"""Charts everyone can read: each priority indicator's chart in the committee report has its
trend in words as its text alternative and a table of the whole series it draws, in the print
view, the PDF and the Word file; an issued report keeps the series."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from figures.models import BenchmarkFigure, CouncilProfile, IndicatorFigure
from reports import documents, word
from reports.models import CommitteeReport
from reports.selectors import report_data

pytestmark = pytest.mark.django_db

YEARS = [("2013", 60), ("2014", 62), ("2015", None), ("2016", 65)]
TREND = (
    "Rose from 60% in 2013 to 65% in 2016; target 66%; England 66%; East Midlands 64%; "
    "Statistical neighbours (average) 63%."
)


@pytest.fixture
def charted(plan_records):
    """The plan's first priority with four years of figures, England, the region and two
    statistical neighbours, and a target; a draft report describing the records now."""
    priority = plan_records["priority"]
    priority.target_value = Decimal("66")
    priority.save()
    indicator = priority.indicator
    IndicatorFigure.objects.filter(indicator=indicator).delete()
    CouncilProfile.objects.update(statistical_neighbours="E10000001,E10000002")
    for label, value in YEARS:
        end = datetime.date(int(label), 3, 31)
        IndicatorFigure.objects.create(
            indicator=indicator, period_label=label, period_end=end, value=value
        )
        comparators = [
            ("national", "E92000001", "England", value and value + 1),
            ("regional", "E12000004", "East Midlands", value and value - 1),
            ("local_authority", "E10000001", "Neighbour one", value and value - 1),
            ("local_authority", "E10000002", "Neighbour two", value and value - 3),
        ]
        for level, code, name, figure in comparators:
            BenchmarkFigure.objects.create(
                indicator=indicator,
                level=level,
                area_code=code,
                area_name=name,
                period_label=label,
                period_end=end,
                value=figure,
            )
    report = CommitteeReport.objects.create(
        period=plan_records["period"],
        body="Corporate Parenting Sub-Committee",
        meeting_on=datetime.date.today() + datetime.timedelta(days=30),
        title="Q1 progress",
    )
    return {**plan_records, "report": report, "indicator": indicator}


def charted_row(data, indicator):
    [row] = [i for i in data["indicators"] if i["title"] == indicator.title]
    return row


def test_the_report_data_keeps_the_whole_series_with_its_trend_in_words(charted):
    data = report_data(report=charted["report"], charts=False)
    chart = charted_row(data, charted["indicator"])["chart"]
    assert chart["periods"] == ["2013", "2014", "2015", "2016"]
    assert [(s["name"], s["kind"]) for s in chart["series"]] == [
        ("Testshire", "council"),
        ("England", "england"),
        ("East Midlands", "region"),
        ("Statistical neighbours (average)", "neighbours"),
    ]
    assert chart["series"][0]["values"] == [60.0, 62.0, None, 65.0]
    assert chart["series"][3]["values"] == [58.0, 60.0, None, 63.0]
    assert chart["target"] == 66.0 and chart["unit"] == "percentage"
    assert chart["trend"] == TREND
    assert chart["rows"][2] == ["2015", "No figure", "No figure", "No figure", "No figure"]


def test_the_chart_table_says_where_the_council_s_figure_was_withheld(charted):
    figure = IndicatorFigure.objects.get(indicator=charted["indicator"], period_label="2015")
    figure.suppressed = True
    figure.save()  # with its history, which the report reads
    data = report_data(report=charted["report"], charts=False)
    rows = charted_row(data, charted["indicator"])["chart"]["rows"]
    assert rows[2][:2] == ["2015", "Withheld: small numbers"]
    assert rows[1][:2] == ["2014", "62%"]


def test_the_print_view_has_each_chart_s_words_and_a_table_with_every_period(
    client, users, charted
):
    client.force_login(users["viewer"])
    page = client.get(reverse("reports:report_print", args=[charted["report"].pk])).content
    html = page.decode()
    blocks = re.findall(r'<div class="doc-chart-block">(.*?)</table>', html, re.S)
    assert len(blocks) == html.count("<svg") == 1
    [block] = blocks
    # The chart's text alternative (its <desc>) and its visible caption: the trend in words.
    assert re.search(rf"<desc [^>]*>{re.escape(TREND)}</desc>", block)
    assert f"<figcaption>{TREND}</figcaption>" in block
    assert f"<caption>{charted['indicator'].title}: figures by period</caption>" in block
    headers = re.findall(r'<th scope="col">(.*?)</th>', block)
    assert headers == ["Period", "Testshire", "England", "East Midlands",
                       "Statistical neighbours (average)"]  # fmt: skip
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', block)
    assert [period for period, _ in rows] == ["2013", "2014", "2015", "2016"]
    assert re.findall(r"<td>(.*?)</td>", rows[0][1]) == ["60%", "61%", "59%", "58%"]


def test_the_word_file_has_each_chart_as_a_picture_with_alt_text_and_its_table(
    client, users, charted
):
    client.force_login(users["viewer"])
    response = client.get(reverse("reports:report_docx", args=[charted["report"].pk]))
    document = docx.Document(io.BytesIO(response.content))
    pictures = document.inline_shapes
    assert len(pictures) == 1
    doc_pr = pictures[0]._inline.docPr
    assert doc_pr.get("descr") == f"{charted['indicator'].title}. {TREND}"
    assert pictures[0]._inline.graphic.graphicData.pic.blipFill is not None
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Period"]
    assert [c.text for c in table.rows[0].cells] == [
        "Period",
        "Testshire",
        "England",
        "East Midlands",
        "Statistical neighbours (average)",
    ]
    assert [row.cells[0].text for row in table.rows[1:]] == ["2013", "2014", "2015", "2016"]
    assert [c.text for c in table.rows[4].cells] == ["2016", "65%", "66%", "64%", "63%"]
    paragraphs = [p.text for p in document.paragraphs]
    assert TREND in paragraphs


def test_the_pdf_header_cells_carry_their_scope_and_the_chart_its_words(charted):
    pikepdf = pytest.importorskip("pikepdf")
    report = charted["report"]
    context = {"data": report_data(report=report), "report": report}
    pdf = pikepdf.open(io.BytesIO(documents.render_pdf("reports/report_document.html", context)))
    found = {"/TH": [], "/Figure": []}

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary):
            return
        kind = str(element.get("/S", ""))
        if kind in found:
            found[kind].append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    walk(pdf.Root.StructTreeRoot)
    scopes = [str(th.A.Scope) for th in found["/TH"]]
    assert scopes and set(scopes) == {"/Column", "/Row"}
    # The chart table's periods, and each outcome heading its rows in "what changed".
    outcome_rows = len(
        context["data"]["changes"]["significant"] + context["data"]["changes"]["other"]
    )
    assert scopes.count("/Row") == 4 + outcome_rows
    [figure] = found["/Figure"]
    assert str(figure.Alt) == f"{charted['indicator'].title}. {TREND}"


def old_issued_data(charted):
    """The data of a report issued before the series was kept: the chart's SVG, no series."""
    data = report_data(report=charted["report"])
    for row in data["indicators"]:
        del row["chart"]
    return data


def test_a_report_issued_before_the_series_was_kept_still_renders(charted):
    data = old_issued_data(charted)
    html = render_to_string(
        "reports/report_document.html", {"data": data, "report": charted["report"]}
    )
    assert html.count("<svg") == 1 and "doc-chart-table" not in html
    document = docx.Document(io.BytesIO(word.report_docx(data)))
    assert len(document.inline_shapes) == 0
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "Period"]
    # And one issued with no chart at all (an indicator without figures) as well.
    for row in data["indicators"]:
        del row["chart_svg"]
    html = render_to_string(
        "reports/report_document.html", {"data": data, "report": charted["report"]}
    )
    assert "doc-chart" not in html


def test_an_issued_report_keeps_the_series_and_its_word_file_draws_it(client, users, charted):
    from reports import services

    report = charted["report"]
    report.purpose = report.reasons = report.statutory = "Text."
    services.report_issue(report=report, actor=users["committee_officer"])
    report.refresh_from_db()
    assert charted_row(report.issued_data, charted["indicator"])["chart"]["trend"] == TREND
    client.force_login(users["viewer"])
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    document = docx.Document(io.BytesIO(response.content))
    [picture] = document.inline_shapes
    assert picture._inline.docPr.get("descr").endswith(TREND)


def test_a_chart_is_drawn_once_for_the_same_data_and_again_after_a_new_figure(
    client, users, charted, monkeypatch
):
    from figures import charts

    drawn = {"svg": 0, "png": 0}

    def counting(kind, draw):
        def wrapper(**arguments):
            drawn[kind] += 1
            return draw(**arguments)

        return wrapper

    monkeypatch.setattr(charts, "line_chart_svg", counting("svg", charts.line_chart_svg))
    monkeypatch.setattr(charts, "line_chart_png", counting("png", charts.line_chart_png))
    client.force_login(users["viewer"])
    print_view = reverse("reports:report_print", args=[charted["report"].pk])
    word_file = reverse("reports:report_docx", args=[charted["report"].pk])
    pages = [client.get(print_view).content.decode() for _ in range(2)]
    for _ in range(2):
        client.get(word_file)
    # Once each: the page's SVG, and Word's PNG (which rasterises an SVG of its own, without
    # the page's text alternative in it).
    assert drawn == {"svg": 2, "png": 1}
    # Each copy of the chart has its own ids, so that two on one page never clash.
    ids = [set(re.findall(r'id="(chart-[^"]+)"', page)) for page in pages]
    assert ids[0] and ids[0].isdisjoint(ids[1])

    IndicatorFigure.objects.create(
        indicator=charted["indicator"],
        period_label="2017",
        period_end=datetime.date(2017, 3, 31),
        value=67,
    )
    assert "2017" in client.get(print_view).content.decode()
    client.get(word_file)
    assert drawn == {"svg": 4, "png": 2}


def test_a_committee_chart_draws_the_latest_years_and_its_table_keeps_every_one(
    client, users, charted
):
    indicator = charted["indicator"]
    indicator.frequency = "annual"
    indicator.save()
    for year in range(2005, 2013):  # eight more years before the four the fixture has
        IndicatorFigure.objects.create(
            indicator=indicator,
            period_label=str(year),
            period_end=datetime.date(year, 3, 31),
            value=50 + year - 2005,
        )
    data = report_data(report=charted["report"])
    row = charted_row(data, indicator)
    years = [str(year) for year in range(2005, 2017)]
    assert row["chart"]["periods"] == years
    assert [r[0] for r in row["chart"]["rows"]] == years
    svg = row["chart_svg"]
    drawn = [year for year in years if f">{year}</text>" in svg]
    assert drawn == years[-6:]
    shown = "The chart shows the latest 6 years, 2011 to 2016; the table has all 12."
    assert row["chart"]["trend"].endswith(shown)
    assert row["chart"]["trend"].startswith("Rose from 56% in 2011 to 65% in 2016")
    client.force_login(users["viewer"])
    page = client.get(reverse("reports:report_print", args=[charted["report"].pk]))
    assert shown in page.content.decode()
