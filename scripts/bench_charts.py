"""How long one chart takes to draw (4 and 70 periods), and a committee report's print view and
draft PDF at demo size, with the chart cache empty (cold) and filled (warm).

    DEBUG=true DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=true DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py load_demo
    DEBUG=true DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python scripts/bench_charts.py

Medians of a few runs each; the report timings need the demo (`--charts-only` skips them).
"""

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402

from figures import charts  # noqa: E402


def median_ms(work, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def clear_chart_cache():
    if "charts" in settings.CACHES:
        caches["charts"].clear()


def chart_arguments(periods):
    labels = [f"Q{q % 4 + 1} {2000 + q // 4}" for q in range(periods)]
    wave = [50 + (i * 7) % 23 for i in range(periods)]
    return {
        "title": "Care leavers aged 19 to 21 in education, employment or training",
        "periods": labels,
        "series": [
            charts.Series("Testshire", [None if i % 9 == 4 else v for i, v in enumerate(wave)]),
            charts.Series("England", [v + 3 for v in wave], "england"),
            charts.Series("East Midlands", [v + 1 for v in wave], "region"),
            charts.Series("Statistical neighbours (average)", [v - 2 for v in wave], "neighbours"),
        ],
        "target": 70,
        "unit": "percentage",
    }


def bench_charts():
    charts.line_chart_svg(description="warm-up", **chart_arguments(4))  # imports
    charts.line_chart_png(**chart_arguments(4))
    for periods in (4, 70):
        arguments = {**chart_arguments(periods), "description": "Words."}
        svg = charts.line_chart_svg(**arguments)
        svg_ms = median_ms(lambda a=arguments: charts.line_chart_svg(**a), 15)
        png_arguments = chart_arguments(periods)
        png_ms = median_ms(lambda a=png_arguments: charts.line_chart_png(**a), 5)
        print(
            f"chart, {periods} periods: SVG {svg_ms:.1f} ms ({len(svg) / 1000:.1f} kB), "
            f"PNG {png_ms:.0f} ms"
        )
        if hasattr(charts, "cached_line_chart_svg"):
            charts.cached_line_chart_svg(**arguments)
            hit_ms = median_ms(lambda a=arguments: charts.cached_line_chart_svg(**a), 15)
            charts.cached_line_chart_png(**png_arguments)
            png_hit_ms = median_ms(lambda a=png_arguments: charts.cached_line_chart_png(**a), 15)
            print(f"  from the chart cache: SVG {hit_ms:.2f} ms, PNG {png_hit_ms:.2f} ms")


def bench_report():
    from django.test import Client

    from lacstrategy.models import User
    from reports import documents, selectors
    from reports.models import CommitteeReport

    report = (
        CommitteeReport.objects.filter(issued_at__isnull=True, period__isnull=False)
        .order_by("-pk")
        .first()
    )
    if report is None:
        print("no draft quarterly report: load the demo first")
        return
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="admin"))
    url = f"/reports/{report.pk}/print/"

    def print_view():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    def cold_print():
        clear_chart_cache()
        print_view()

    def pdf():
        context = {"data": selectors.report_data(report=report), "report": report}
        return documents.render_pdf("reports/report_document.html", context)

    def cold_pdf():
        clear_chart_cache()
        pdf()

    page = print_view().content
    print(f"report {report.pk}: print view {len(page) / 1000:.0f} kB, {page.count(b'<svg')} charts")
    print(f"print view, cold cache: {median_ms(cold_print, 5):.0f} ms")
    print(f"print view, warm cache: {median_ms(print_view, 5):.0f} ms")
    print(f"draft PDF, cold cache: {median_ms(cold_pdf, 3):.0f} ms")
    print(f"draft PDF, warm cache: {median_ms(pdf, 3):.0f} ms")


if __name__ == "__main__":
    bench_charts()
    if "--charts-only" not in sys.argv:
        bench_report()
