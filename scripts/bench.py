"""Times each page and document at demo size and at ten councils' worth, in one interleaved run.

Two PostgreSQL databases: the demo (`manage.py load_demo`) and ten councils' worth
(scripts/generate_councils.py, which loads the demo first, so the demo plan is in both). Each is
served by its own process, with the production settings (DEBUG off) and Django's test Client;
the two are asked in turn, A B A B, so that the shared machine's load falls on both alike.
Every row is timed as the median of --repetitions runs (fewer for what takes seconds: the
table says how many), after a first run that counts its queries. Then:
  - the plan page against Django admin's changelist of the same actions (an admin for Action is
    registered in this script's own URLs, in the benchmark process only, never the product's);
  - throughput with gunicorn (2 sync workers on 127.0.0.1, scripts/start-production.sh) and 8
    clients sending a bounded number of requests each (scripts/bench_production.py's load);
  - `manage.py backup` and `restore_backup` of ten councils' worth: time and peak memory.
Prints a Markdown table; docs/performance.md has the latest run.

    .venv/bin/python scripts/bench.py [--reuse] [--repetitions 15] [--only plan --only home]
        [--server postgres://postgres@127.0.0.1:5432/postgres] [--demo-db bench_demo]
        [--big-db bench_10x] [--no-throughput] [--no-backup]

Without --reuse the two databases are made again (the ten councils' worth takes minutes).
"""

import argparse
import dataclasses
import importlib.util
import multiprocessing
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import warnings
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 8210  # gunicorn, 127.0.0.1 only
# A row whose first run takes longer than each of these (seconds) is repeated fewer times.
FEWER_RUNS = ((10, 2), (3, 3), (1.5, 7))


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    kind: str
    username: str = "chair"
    plan: str = ""  # "demo": the demo's plan; "largest": the plan with the most actions


# Demo sign-ins (lacstrategy/demo_data): each role's home page.
HOMES = {
    "administrator": "admin",
    "strategy group member": "member",
    "chair": "chair",
    "committee officer": "committee",
    "participation worker": "participation",
    "viewer": "viewer",
    "outcome owner": "owner",  # the demo plan's first owner, found in the database
}
ROWS = [
    Row("plan page, demo plan", "plan_page", plan="demo"),
    Row("plan page, largest plan", "plan_page", plan="largest"),
    # The same pages with their cached part not found, as after any change to the records.
    Row("plan page after a change, demo plan", "plan_page_changed", plan="demo"),
    Row("plan page after a change, largest plan", "plan_page_changed", plan="largest"),
    Row("admin changelist, largest plan's actions", "admin", plan="largest"),
    Row("review dashboard, demo plan Q2", "dashboard", plan="demo"),
    Row("review dashboard, largest plan Q2", "dashboard", plan="largest"),
    *[Row(f"home ({role})", "home", username) for role, username in HOMES.items()],
    Row("recent changes", "recent_changes", "admin"),
    Row("deleted records", "deleted_records", "admin"),
    Row("report print view (draft), largest plan", "report_print", "committee", "largest"),
    Row("committee report PDF (draft), largest plan", "report_pdf", "committee", "largest"),
    Row("plan Word, largest plan", "plan_docx", plan="largest"),
    Row("indicator chart, most figures", "chart"),
]


# The benchmark process for one database.


def _settings_module():
    """The production settings, with static files served unhashed (no collectstatic needed)
    and this script's URLs, which add an admin for Action."""
    module = types.ModuleType("bench_settings")
    exec("from lacstrategy.settings import *", module.__dict__)  # noqa: S102
    module.STORAGES = {
        **module.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    module.ROOT_URLCONF = "bench_urls"
    return module


def _admin_urls(plan_id):
    """An admin site with only Action, listing one plan's actions on one page."""
    from django.contrib import admin
    from django.urls import include, path

    from actionplans.models import Action

    class Site(admin.AdminSite):
        def has_permission(self, request):
            return request.user.is_active

    class ActionAdmin(admin.ModelAdmin):
        # What the plan page shows of each action, one row each, all on one page.
        list_display = ("reference", "short_description", "serves_also", "comment")
        list_display += ("undertaken_by", "target_display", "status", "rag")
        list_per_page = 1000
        actions = None

        def get_queryset(self, request):
            return (
                super()
                .get_queryset(request)
                .filter(priority_indicator__action_plan=plan_id)
                .prefetch_related("also_serves__indicator__outcome__strategy")
            )

        @admin.display(description="also serves")
        def serves_also(self, action):
            return "; ".join(str(other.indicator.outcome) for other in action.also_serves.all())

        def has_module_permission(self, request):
            return True

        def has_view_permission(self, request, obj=None):
            return True

    site = Site(name="bench_admin")
    site.register(Action, ActionAdmin)
    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [path("bench-admin/", site.urls), path("", include("lacstrategy.urls"))]
    return urls


def _records():
    """The records each row asks for, found in this process's database."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from actionplans.models import ActionPlan
    from outcomes.models import Indicator
    from reports.models import CommitteeReport

    plans = {
        "demo": ActionPlan.objects.exclude(strategy__title__startswith="Generated strategy")
        .order_by("pk")
        .first(),
        "largest": ActionPlan.objects.annotate(actions=Count("priority_indicators__actions"))
        .order_by("-actions", "pk")
        .first(),
    }
    owner = (
        get_user_model()
        .objects.filter(owned_outcomes__strategy=plans["demo"].strategy_id)
        .order_by("owned_outcomes__number", "username")
        .first()
    )
    chart = Indicator.objects.annotate(n=Count("figures")).order_by("-n", "pk").first()
    reports = {
        key: CommitteeReport.objects.filter(period__action_plan=plan, status="draft")
        .order_by("-period__quarter", "-pk")
        .first()
        for key, plan in plans.items()
    }
    return plans, owner, chart, reports


class Pages:
    """Each row as something to run: a request with a signed-in test Client, or the worker's
    job for a PDF."""

    def __init__(self):
        from django.test import Client
        from django.urls import reverse

        from actionplans.models import Action

        self.plans, owner, chart, self.reports = _records()
        self.clients = {}
        self.owner = owner.username
        self.reverse = reverse
        self.chart = chart
        self.Client = Client
        self.sizes = {
            key: Action.objects.filter(priority_indicator__action_plan=plan).count()
            for key, plan in self.plans.items()
        }

    def client(self, username):
        from django.contrib.auth import get_user_model

        username = self.owner if username == "owner" else username
        if username not in self.clients:
            client = self.Client()
            client.force_login(get_user_model().objects.get(username=username))
            self.clients[username] = client
        return self.clients[username]

    def path(self, row):
        plan = self.plans.get(row.plan)
        reverse = self.reverse
        match row.kind:
            case "plan_page" | "plan_page_changed":
                return reverse("actionplans:plan_detail", args=[plan.pk])
            case "admin":
                return "/bench-admin/actionplans/action/"
            case "dashboard":
                period = plan.review_periods.get(quarter=2)
                return reverse("reviews:period_dashboard", args=[period.pk])
            case "home":
                return reverse("home")
            case "recent_changes" | "deleted_records":
                return reverse(row.kind)
            case "report_print":
                return reverse("reports:report_print", args=[self.reports[row.plan].pk])
            case "plan_docx":
                return reverse("reports:plan_docx", args=[plan.pk])
            case "chart":
                return reverse("figures:indicator_chart", args=[self.chart.pk])
        return ""

    def runner(self, row):
        if row.kind == "report_pdf":
            return self.pdf_job(self.reports[row.plan])
        from django.core.cache import caches

        client, path = self.client(row.username), self.path(row)

        def get():
            if row.kind == "plan_page_changed":  # as if a record had changed: nothing cached
                with mock.patch.object(caches["template_fragments"], "get", return_value=None):
                    response = client.get(path)
            else:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            if response.streaming:
                b"".join(response.streaming_content)
            else:
                response.content  # noqa: B018 (read, as a server would send it)

        return get

    def pdf_job(self, report):
        """The background worker's job behind "Make a PDF" of a draft report."""
        from django.utils.module_loading import import_string

        from jobs.models import Job
        from jobs.services import HANDLERS
        from lacstrategy.selectors import council_read_once

        handler = import_string(HANDLERS[Job.Kind.DOCUMENT])
        job = types.SimpleNamespace(
            arguments={"document": "report", "pk": report.pk, "as_at": ""}, pk=None
        )

        def run():
            with council_read_once():  # as the worker runs every job (jobs.services)
                return handler(job=job, progress=lambda *args: None)

        return run


def serve(connection, database_url, rows):
    """A benchmark process: runs the rows it is asked to, and answers with the seconds taken
    (and the queries, when asked to count them)."""
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        TRUSTED_PROXY_COUNT="0",
        REQUEST_LOG="false",
        TASKS_BACKEND="immediate",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="bench_settings",
    )
    sys.modules["bench_settings"] = _settings_module()
    # Static files are not collected for the test Client: whitenoise says so once.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    pages = Pages()
    sys.modules["bench_urls"] = _admin_urls(pages.plans["largest"].pk)
    runners = {row.name: pages.runner(row) for row in rows}
    connection.send({"sizes": pages.sizes, "paths": {row.name: pages.path(row) for row in rows}})
    while True:
        request = connection.recv()
        if request is None:
            return
        name, count = request
        try:
            if count:
                with CaptureQueriesContext(db) as queries:
                    started = time.perf_counter()
                    runners[name]()
                    seconds = time.perf_counter() - started
                connection.send((seconds, len(queries)))
            else:
                started = time.perf_counter()
                runners[name]()
                connection.send((time.perf_counter() - started, None))
        except Exception as error:  # noqa: BLE001 (reported as the row's result)
            connection.send(("error", f"{type(error).__name__}: {error}"))


class Server:
    def __init__(self, label, database_url, rows):
        context = multiprocessing.get_context("spawn")
        self.label = label
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=serve, args=(theirs, database_url, rows))
        self.process.start()
        self.info = self.connection.recv()

    def run(self, name, count=False):
        self.connection.send((name, count))
        return self.connection.recv()

    def stop(self):
        self.connection.send(None)
        self.process.join(30)


# The interleaved run.


def median_ms(values):
    return statistics.median(values) * 1000 if values else None


def time_rows(servers, rows, repetitions):
    """{row name: {label: {"queries", "seconds": [...], "error"}}, "repetitions": n}."""
    results = {row.name: {server.label: {"seconds": []} for server in servers} for row in rows}
    planned = {}
    # First run of each row: counts the queries (and fills caches, as a first visitor would).
    for row in rows:
        slowest = 0
        for server in servers:
            seconds, queries = server.run(row.name, count=True)
            result = results[row.name][server.label]
            if seconds == "error":
                result["error"] = queries
                continue
            result["queries"] = queries
            slowest = max(slowest, seconds)
        runs = next((runs for seconds, runs in FEWER_RUNS if slowest > seconds), repetitions)
        planned[row.name] = min(repetitions, runs)
        results[row.name]["repetitions"] = planned[row.name]
        print(f"  {row.name}: first run {slowest:.2f} s, {planned[row.name]} repetitions")
    for repetition in range(repetitions):
        for row in rows:
            if repetition >= planned[row.name]:
                continue
            for server in servers:  # A B A B
                result = results[row.name][server.label]
                if "error" in result:
                    continue
                seconds, _ = server.run(row.name)
                if seconds == "error":
                    result["error"] = _
                else:
                    result["seconds"].append(seconds)
    return results


def table(results, rows, labels, sizes):
    demo, big = labels
    lines = [
        f"| page or document | queries ({demo}) | queries ({big}) | {demo} (ms) | {big} (ms) "
        "| growth | runs |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        found = results[row.name]
        cells = []
        for label in labels:
            result = found[label]
            cells.append(result.get("queries", "error"))
        times = [median_ms(found[label]["seconds"]) for label in labels]
        shown = [f"{t:,.0f}" if t is not None else "error" for t in times]
        growth = f"{times[1] / times[0]:.2f}x" if None not in times else ""
        name = row.name
        if row.plan == "largest":
            name += f" ({sizes[demo]['largest']} / {sizes[big]['largest']} actions)"
        lines.append(
            f"| {name} | {cells[0]} | {cells[1]} | {shown[0]} | {shown[1]} | {growth} "
            f"| {found['repetitions']} |"
        )
    errors = [
        f"{row.name} ({label}): {results[row.name][label]['error']}"
        for row in rows
        for label in labels
        if "error" in results[row.name][label]
    ]
    return lines, errors


# The databases.


def database_url(server, name):
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def database_exists(server, name):
    import psycopg2

    with psycopg2.connect(server) as db, db.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def manage(url, *args, env=None):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": url, **(env or {})},
        check=True,
    )


def make_databases(server, demo_name, big_name, reuse):
    from tests.browser.production_site import fresh_database

    for name, fill in ((demo_name, "demo"), (big_name, "ten councils")):
        if reuse and database_exists(server, name):
            print(f"Reusing {name}, brought up to this checkout's migrations")
            manage(database_url(server, name), "migrate", "--noinput", "--verbosity", "0")
            continue
        print(f"Making {name} ({fill})")
        url = fresh_database(server, name)
        manage(url, "migrate", "--noinput", "--verbosity", "0")
        if fill == "demo":
            manage(url, "load_demo")
        else:
            subprocess.run(
                [PYTHON, "scripts/generate_councils.py"],
                cwd=ROOT,
                env={**os.environ, "DEBUG": "true", "DATABASE_URL": url},
                check=True,
            )
        analyse(url)


def analyse(url):
    """VACUUM ANALYZE a database just filled, as autovacuum would have done by the time a live
    one is this big: without statistics PostgreSQL plans some of home's queries as for an empty
    table (home measured 2.2x at 10x on a just-made database, 1.5x after ANALYZE)."""
    import psycopg2

    db = psycopg2.connect(url)
    try:
        db.autocommit = True  # VACUUM cannot run in a transaction
        with db.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        db.close()


# Throughput with gunicorn, and backup and restore.


def _bench_production():
    """scripts/bench_production.py's bounded load generator (8 clients)."""
    spec = importlib.util.spec_from_file_location(
        "bench_production", ROOT / "scripts" / "bench_production.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def throughput(url, paths):
    from tests.browser.production_site import ProductionSite

    production = _bench_production()
    lines = [
        f"gunicorn, 2 sync workers, 127.0.0.1, {production.CLIENTS} clients x "
        f"{production.REQUESTS_PER_CLIENT} requests, demo database:",
        "",
        "| page | req/s | p50 (ms) | p95 (ms) | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    with ProductionSite(url, ports=(PORT,), workers=2) as site:
        for name, path in paths.items():
            result = production.load(site.web[0], path, "chair")
            lines.append(
                f"| {name} | {result['rps']:.1f} | {result['p50_ms']:.0f} | "
                f"{result['p95_ms']:.0f} | {result['errors']} |"
            )
    return lines


def measured(command, env):
    """Run `command` under /usr/bin/time -v: (seconds, peak memory in MB)."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return seconds, peak_kb / 1024


def backup_and_restore(server, big_name):
    from tests.browser.production_site import fresh_database

    production = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "LOG_LEVEL": "ERROR"}
    scratch = f"{big_name}_restore"
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    path = folder / "backup.json.gz"
    lines = ["| command | seconds | peak memory (MB) | file (MB) |", "|---|---:|---:|---:|"]
    try:
        env = {**production, "DATABASE_URL": database_url(server, big_name)}
        seconds, peak = measured([PYTHON, "manage.py", "backup", str(path)], env)
        size = sum(f.stat().st_size for f in folder.iterdir()) / 1024 / 1024
        lines.append(f"| backup ({big_name}) | {seconds:.1f} | {peak:.0f} | {size:.1f} |")
        url = fresh_database(server, scratch)
        manage(url, "migrate", "--noinput", "--verbosity", "0")
        env = {**production, "DATABASE_URL": url}
        backup = next(folder.iterdir())  # whatever name the command gave it
        seconds, peak = measured([PYTHON, "manage.py", "restore_backup", str(backup)], env)
        lines.append(f"| restore_backup (into an empty database) | {seconds:.1f} | {peak:.0f} | |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        import psycopg2

        admin = psycopg2.connect(server)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--demo-db", default="bench_demo")
    parser.add_argument("--big-db", default="bench_10x")
    parser.add_argument("--reuse", action="store_true", help="keep the databases if they exist")
    parser.add_argument("--repetitions", type=int, default=15)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="rows whose name contains this (repeatable); also 'throughput', 'backup'",
    )
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--no-backup", action="store_true")
    args = parser.parse_args()
    for name in (args.demo_db, args.big_db):
        if not name.startswith("bench_"):
            parser.error("the databases' names start with bench_: they are dropped and made again")
    started = time.perf_counter()
    make_databases(args.server, args.demo_db, args.big_db, args.reuse)

    def chosen(name):
        return not args.only or any(word in name for word in args.only)

    rows = [row for row in ROWS if chosen(row.name)]
    labels = ("demo", "10x")
    urls = [database_url(args.server, name) for name in (args.demo_db, args.big_db)]
    servers = [Server(label, url, ROWS) for label, url in zip(labels, urls, strict=True)]
    sizes = {server.label: server.info["sizes"] for server in servers}
    paths = servers[0].info["paths"]

    def emit(lines):  # each part as it is done: a later part may take minutes
        print("\n" + "\n".join(lines), flush=True)

    try:
        if rows:
            print(f"Timing {len(rows)} rows, up to {args.repetitions} runs each, A B A B")
            results = time_rows(servers, rows, args.repetitions)
            lines, errors = table(results, rows, labels, sizes)
            lines += [""] + [f"Error: {error}" for error in errors]
            names = {row.name for row in rows}
            admin = "admin changelist, largest plan's actions"
            for plan_page, when in (
                ("plan page, largest plan", "viewed again"),
                ("plan page after a change, largest plan", "after a change"),
            ):
                if not {plan_page, admin} <= names:
                    continue
                for label in labels:
                    page, changelist = (
                        median_ms(results[name][label]["seconds"]) for name in (plan_page, admin)
                    )
                    if page and changelist:
                        lines.append(
                            f"Plan page {when} / admin changelist, same "
                            f"{sizes[label]['largest']} actions ({label}): {page / changelist:.2f}"
                        )
            emit(lines)
    finally:
        for server in servers:
            server.stop()
    if not args.no_throughput and chosen("throughput"):
        print("Throughput with gunicorn")
        actions = sizes["demo"]["demo"]
        pages = {
            f"plan page, demo plan ({actions} actions)": paths["plan page, demo plan"],
            "review dashboard, demo plan Q2": paths["review dashboard, demo plan Q2"],
        }
        emit(throughput(urls[0], pages))
    if not args.no_backup and chosen("backup"):
        print("Backup and restore")
        emit(backup_and_restore(args.server, args.big_db))
    print(f"Whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
