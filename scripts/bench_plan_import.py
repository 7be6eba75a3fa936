"""How long the plan import takes to refuse a 10,000-row sheet and to preview a 2,000-row one.

Run on a database with the demo loaded (`make demo`):
    DEBUG=true .venv/bin/python scripts/bench_plan_import.py
With --apply it also imports the 2,000 rows, which writes them to the database: use a copy.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")
django.setup()

from openpyxl import Workbook  # noqa: E402

from actionplans import services  # noqa: E402
from actionplans.models import ActionPlan  # noqa: E402
from actionplans.plan_import import plan_import_preview  # noqa: E402
from actionplans.plan_template import COLUMNS, MAX_ROWS  # noqa: E402
from lacstrategy.services import system_account  # noqa: E402


def sheet_of(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS if column.key != "service_id"])
    for number in range(rows):
        sheet.append(
            [
                {
                    "outcome_number": 1,
                    "priority_indicator": "Children have a stable home",
                    "action": f"Action {number}",
                    "status": "On track",
                    "rag": "Green",
                }.get(column.key, "")
                for column in COLUMNS
                if column.key != "service_id"
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(data, runs=3):
    plan = ActionPlan.objects.order_by("financial_year_start").first()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        preview = plan_import_preview(
            plan=plan,
            file_name="bench.xlsx",
            data=data,
            actor=system_account(),
            check_permissions=False,
        )
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds), preview


for rows in (10_000, MAX_ROWS):
    data = sheet_of(rows)
    median, worst, preview = timed(data)
    outcome = preview.errors[0] if preview.errors else f"{preview.created_count} to add"
    print(
        f"{rows:>6} rows, {len(data) / 1024:.0f} KB: median {median:.2f} s, max {worst:.2f} s: "
        f"{outcome[:90]}"
    )

if "--apply" in sys.argv:
    plan = ActionPlan.objects.order_by("financial_year_start").first()
    actor = system_account()
    pending = services.plan_import_create(
        action_plan=plan, actor=actor, file_name="bench.xlsx", data=data
    )
    start = time.perf_counter()
    services.plan_import_apply(
        plan_import=pending, actor=actor, fingerprint=preview.fingerprint, check_permissions=False
    )
    print(f"Imported {MAX_ROWS:,} rows in {time.perf_counter() - start:.2f} s")
