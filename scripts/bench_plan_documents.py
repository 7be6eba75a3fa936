"""How long the plan documents take for a 500-action plan, now and "as at" a past date.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/documents_bench \\
        DEBUG=true .venv/bin/python scripts/bench_plan_documents.py --runs 7

The first run migrates the database named in DATABASE_URL (use a database of its own: it
writes records) and builds, with the query-count tests' build_plan, a plan of 10 outcomes, 20
priority indicators and 500 actions, each action edited three times over the year (some
deleted half-way, some added half-way), and `--other-plans` plans like it whose history is in
the same tables. Then it times each document through its view
(selector and rendering, without the middleware): the median of `--runs`, and its queries.
`--root` runs another checkout's code against the same database (for before and after).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--runs", type=int, default=7)
parser.add_argument("--actions", type=int, default=500)
parser.add_argument("--other-plans", type=int, default=4)
parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
args = parser.parse_args()

sys.path.insert(0, args.root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The factories' people need no real password hashing (a quarter of a second each).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

TITLE = "Benchmark strategy"
ZONE = timezone.get_current_timezone()
# When the plan's records were entered, edited, deleted and added.
CREATED, EDITS = datetime.date(2016, 4, 4), [datetime.date(2016, m, 5) for m in (7, 10, 12)]
STATUSES, RAGS = ["on_track", "at_risk", "complete"], ["green", "amber", "green"]
AS_AT = "2016-11-01"  # between the second and third edits, after the deletions and additions


def moment(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=ZONE)


def saved(record, day, **changes):
    for name, value in changes.items():
        setattr(record, name, value)
    record._history_date = moment(day)
    record.save()
    return record


def build_plan(number, actions):
    """The query-count tests' plan (tests/conftest.py), with a year's history."""
    from actionplans.models import Action
    from outcomes.models import Strategy
    from tests.conftest import build_plan as plan_of_size

    plan = plan_of_size(outcomes=10, actions_per_outcome=actions // 10)
    Strategy.objects.filter(pk=plan.strategy_id).update(title=f"{TITLE} {number}")
    in_plan = Action.objects.filter(priority_indicator__action_plan=plan).order_by("pk")
    for index, action in enumerate(in_plan):
        for day, status, rag in zip(EDITS, STATUSES, RAGS, strict=True):
            if index % 20 == 19 and day == EDITS[1]:
                action._history_date = moment(day)
                action.delete()
                break
            saved(action, day, status=status, rag=rag, comment=f"As at {day}")
    for priority in plan.priority_indicators.all():  # some added half-way through the year
        for index in range(actions // 400):
            saved(Action(priority_indicator=priority, description=f"Added later {index}"), EDITS[1])
    return plan


def backdate():
    """The factories' records were made today: date them at the start of the plan year."""
    from django.apps import apps
    from simple_history.manager import HistoryManager

    for model in apps.get_models():
        if isinstance(getattr(model, "history", None), HistoryManager):
            model.history.filter(history_date__gt=moment(EDITS[-1])).update(
                history_date=moment(CREATED)
            )


def the_plan():
    from actionplans.models import ActionPlan

    plan = ActionPlan.objects.filter(strategy__title=f"{TITLE} 0").first()
    if plan is None:
        started = time.perf_counter()
        with transaction.atomic():
            for number in range(args.other_plans, -1, -1):  # the plan measured last
                plan = build_plan(number, args.actions)
            backdate()
        print(f"built {args.other_plans + 1} plans in {time.perf_counter() - started:.0f} s")
    return plan


def timed(label, call):
    call()  # warm: imports, templates, caches
    connection.queries_log.clear()  # full from the build, it would count nothing
    times = []
    with CaptureQueriesContext(connection) as queries:
        call()
    for _ in range(args.runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    print(
        f"{label:<34} median {statistics.median(times) * 1000:7.0f} ms"
        f"  (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), {len(queries)} queries"
    )


def main():
    from actionplans.models import Action
    from lacstrategy.models import User
    from lacstrategy.selectors import council_read_once
    from reports import views

    call_command("migrate", verbosity=0)
    plan = the_plan()
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.org", "bench-password-not-used"
    )
    live = Action.objects.filter(priority_indicator__action_plan=plan).count()
    print(
        f"{connection.vendor}, {live} actions in the plan now, "
        f"{Action.history.count()} action history rows in all; code from {args.root}"
    )

    def get(fmt, query=""):
        request = RequestFactory().get(f"/?{query}")
        request.user = user

        def call():
            with council_read_once():  # as its middleware does for a request
                return views.plan_document(request, plan.pk, fmt=fmt)

        return call

    for fmt in ("docx", "xlsx", "html"):
        timed(f"plan {fmt} now", get(fmt))
        timed(f"plan {fmt} as at {AS_AT}", get(fmt, f"as_at={AS_AT}"))


main()
