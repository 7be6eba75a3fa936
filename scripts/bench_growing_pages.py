"""Home, Recent changes, Deleted records and the review dashboard at demo size and at ten times
the data: each should cost about the same whatever the size of the whole database.

Two PostgreSQL databases: SMALL with the demo loaded, and LARGE, a copy of it (CREATE DATABASE
... TEMPLATE) to which `grow` adds ten strategies with a plan of about 500 actions each, a year
of quarterly edits to every action in the history (about 55,000 history rows), deletions, and
an open quarter for each plan. Bulk writes (django-simple-history's bulk helpers) where the
services would take an hour; the history rows are the ones the product writes.

    createdb -T bounded_demo bounded_big   # after `manage.py load_demo` into bounded_demo
    SECRET_KEY=x DATABASE_URL=postgres://.../bounded_big .venv/bin/python \
        scripts/bench_growing_pages.py grow
    SECRET_KEY=x .venv/bin/python scripts/bench_growing_pages.py time \
        --small postgres://.../bounded_demo --large postgres://.../bounded_big

`time` requests each page in-process (Django's test client, DEBUG off) against SMALL and LARGE
in turn (A B A B), 15 times each after a warm-up, and prints the medians, the ratio and the
number of queries. The dashboard is timed twice at LARGE: for the demo's plan, and for the
largest plan (about 500 actions and 1,200 changes in its quarter).
"""

import argparse
import datetime
import html
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
if "--small" in sys.argv:  # the settings read the engine and server from DATABASE_URL
    os.environ["DATABASE_URL"] = sys.argv[sys.argv.index("--small") + 1]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# DEBUG off, as a council runs it, but without collectstatic's manifest (not what is timed).
settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.utils import bulk_create_with_history, bulk_update_with_history  # noqa: E402

from actionplans.models import Action, ActionPlan, PriorityIndicator  # noqa: E402
from lacstrategy.models import User  # noqa: E402
from outcomes.models import Indicator, Outcome, Strategy  # noqa: E402
from reviews.models import ReviewPeriod  # noqa: E402

STRATEGIES = 10
OUTCOMES = 6
INDICATORS = 3  # an outcome's, each a priority of the plan
ACTIONS = 28  # a priority's: 6 x 3 x 28 = 504 a plan
DELETED = 30  # actions deleted from each plan
EDITS = [  # every action edited on each date of the plan year
    datetime.date(2016, 5, 2),
    datetime.date(2016, 6, 20),
    datetime.date(2016, 8, 1),
    datetime.date(2016, 9, 15),
    datetime.date(2016, 10, 20),
    datetime.date(2016, 11, 25),
    datetime.date(2017, 1, 10),
    datetime.date(2017, 2, 14),
    datetime.date(2017, 3, 1),
    datetime.date(2017, 3, 28),
]
STATUSES = ["on_track", "at_risk", "off_track", "on_track", "complete"]
RAGS = ["green", "amber", "red", "green"]


def _moment(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


@transaction.atomic
def grow():
    actor = User.objects.get(username="admin")
    for number in range(1, STRATEGIES + 1):
        strategy = Strategy.objects.create(
            title=f"Corporate parenting strategy {number}",
            period_start=datetime.date(2015, 4, 1),
            period_end=datetime.date(2018, 3, 31),
            status=Strategy.Status.APPROVED,
        )
        plan = ActionPlan.objects.create(
            strategy=strategy, financial_year_start=2016, status=ActionPlan.Status.APPROVED
        )
        priorities = []
        for n in range(1, OUTCOMES + 1):
            outcome = Outcome.objects.create(
                strategy=strategy, number=n, statement=f"Children in care do well ({number}.{n})"
            )
            # Each council's own owners: the demo's people's task lists stay theirs.
            name = f"owner-{number}-{n}"
            owner = User.objects.create(username=name, full_name=name, email=f"{name}@example.org")
            outcome.owners.set([owner])
            for i in range(INDICATORS):
                indicator = Indicator.objects.create(outcome=outcome, title=f"Measure {n}.{i}")
                priorities.append(
                    PriorityIndicator.objects.create(
                        action_plan=plan, indicator=indicator, target="90%", order=i
                    )
                )
        actions = [
            Action(
                priority_indicator=priority,
                description=f"Review placement support for outcome {n}, step {a}",
                undertaken_by="IROs and Social Workers",
                target_text="Ongoing",
                order=a,
            )
            for n, priority in enumerate(priorities)
            for a in range(ACTIONS)
        ]
        agreed = _moment(datetime.date(2016, 4, 1))
        actions = bulk_create_with_history(
            actions,
            Action,
            default_user=actor,
            default_change_reason="Plan agreed",
            default_date=agreed,
        )
        for round_number, day in enumerate(EDITS):
            for index, action in enumerate(actions):
                action.status = STATUSES[(index + round_number) % len(STATUSES)]
                action.rag = RAGS[(index * 3 + round_number) % len(RAGS)]
                action.version += 1
            bulk_update_with_history(
                actions,
                Action,
                ["status", "rag", "version"],
                default_user=actor,
                default_change_reason="Quarterly update",
                default_date=_moment(day),
            )
        for action in actions[:DELETED]:
            action._change_reason = "No longer needed"
            action._history_date = _moment(datetime.date(2017, 3, 30))
            action.delete()
        ReviewPeriod.objects.create(
            action_plan=plan, quarter=1, updates_due_on="2016-07-14", meeting_on="2016-07-28"
        )
    print("Actions:", Action.objects.count(), "action history rows:", Action.history.count())


def use(url):
    """Point the default connection at the database of `url` (closing the old connection)."""
    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = urlsplit(url).path.lstrip("/")


def timed(client, path):
    connection = connections["default"]
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(queries), len(response.content)


def pages(largest_plan_period):
    return {
        "home (admin)": ("admin", "/"),
        "home (outcome owner)": ("nicole.chavaudra", "/"),
        "recent changes": ("admin", "/changes/"),
        "recent changes, 3rd page": ("admin", "THIRD"),
        "deleted records": ("admin", "/changes/deleted/"),
        "dashboard, demo plan Q2": ("viewer", "DEMO"),
        "dashboard, largest plan Q1": ("viewer", largest_plan_period),
    }


def third_page(client):
    """The third page of Recent changes: by its "Older changes" links, or by number before
    the log paged from a change."""
    path = "/changes/"
    for _ in range(2):
        older = re.search(r'href="\?([^"]*older=[^"]*)" rel="next"', client.get(path).text)
        if older is None:
            return "/changes/?page=3"
        path = f"/changes/?{html.unescape(older.group(1))}"
    return path


def time_pages(small, large, repeats):
    import logging

    from django.urls import reverse

    logging.getLogger("lacstrategy.requests").disabled = True  # a line a request

    sizes = {"small": small, "large": large}
    clients, urls = {}, {}
    for size, url in sizes.items():
        use(url)
        demo_plan = ActionPlan.objects.order_by("pk").first()
        demo_period = ReviewPeriod.objects.get(action_plan=demo_plan, quarter=2)
        largest = (
            ReviewPeriod.objects.filter(action_plan__strategy__title__startswith="Corporate")
            .order_by("pk")
            .first()
            or demo_period
        )
        for username in ("admin", "nicole.chavaudra", "viewer"):
            client = Client()
            client.force_login(User.objects.get(username=username))
            clients[(size, username)] = client
        urls[size] = {
            "DEMO": demo_period.get_absolute_url(),
            "LARGEST": largest.get_absolute_url(),
            "THIRD": third_page(clients[(size, "admin")]),
        }
    assert reverse("recent_changes") == "/changes/"
    print(f"{'page':30} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries':>9} {'KB':>9}")
    for name, (username, path) in pages("LARGEST").items():
        results = {size: [] for size in sizes}
        counts, kilobytes = {}, {}
        for repeat in range(repeats + 1):
            for size, url in sizes.items():
                use(url)
                page = urls[size].get(path, path)
                elapsed, queries, length = timed(clients[(size, username)], page)
                if repeat:  # the first is a warm-up
                    results[size].append(elapsed)
                counts[size], kilobytes[size] = queries, length // 1024
        small_ms = statistics.median(results["small"]) * 1000
        large_ms = statistics.median(results["large"]) * 1000
        print(
            f"{name:30} {small_ms:9.1f} {large_ms:9.1f} {large_ms / small_ms:6.2f} "
            f"{counts['small']:>4}/{counts['large']:<4} "
            f"{kilobytes['small']:>4}/{kilobytes['large']:<4}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("grow", help="add ten strategies' worth to DATABASE_URL's database")
    timing = commands.add_parser("time", help="time the pages at both sizes, interleaved")
    timing.add_argument("--small", required=True)
    timing.add_argument("--large", required=True)
    timing.add_argument("--repeats", type=int, default=15)
    options = parser.parse_args()
    if options.command == "grow":
        started = timezone.now()
        grow()
        print("Grown in", timezone.now() - started)
    else:
        time_pages(options.small, options.large, options.repeats)


if __name__ == "__main__":
    main()
