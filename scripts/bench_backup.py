"""Time `backup` and `restore_backup` at ten councils' worth of records, with their peak memory.

    DEBUG=true DATABASE_URL=postgres://.../big .venv/bin/python scripts/bench_backup.py fill
    DEBUG=true DATABASE_URL=postgres://.../big .venv/bin/python scripts/bench_backup.py \
        time --restore-into postgres://.../empty --file /tmp/big.json.gz

`fill` adds strategies to a migrated database (the demo loaded first gives the people):
actions, figures and two history rows for each, written in bulk with django-simple-history's
own bulk helpers, so the history rows are the ones the product writes. `time` runs each command
in a child process and prints its wall time and peak memory (the child's maximum RSS).
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")


def fill(strategies, indicators, figures_each, actions_each):
    import django

    django.setup()
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from actionplans.models import Action, ActionPlan, PriorityIndicator
    from figures.models import IndicatorFigure
    from lacstrategy.models import User
    from outcomes.models import Indicator, Outcome, Strategy

    people = list(User.objects.exclude(username="system"))
    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    made = {"default_user": people[0], "default_change_reason": "Bench", "default_date": when}
    changed = {**made, "default_date": when + datetime.timedelta(days=90)}
    text = "Review every placement plan with the child and their carers, then report back. " * 3
    for s in range(strategies):
        with transaction.atomic():
            strategy = Strategy.objects.create(
                title=f"Bench strategy {s}",
                period_start=datetime.date(2015, 4, 1),
                period_end=datetime.date(2018, 3, 31),
            )
            bulk_create_with_history(
                [
                    Outcome(strategy=strategy, number=n + 1, statement=f"Outcome {n}")
                    for n in range(8)
                ],
                Outcome,
                **made,
            )
            outcomes = list(Outcome.objects.filter(strategy=strategy))
            bulk_create_with_history(
                [
                    Indicator(outcome=outcomes[n % 8], title=f"Indicator {n}", unit="percentage")
                    for n in range(indicators)
                ],
                Indicator,
                **made,
            )
            measures = list(Indicator.objects.filter(outcome__strategy=strategy))
            plan = ActionPlan.objects.create(strategy=strategy, financial_year_start=2016)
            bulk_create_with_history(
                [PriorityIndicator(action_plan=plan, indicator=i, target="90%") for i in measures],
                PriorityIndicator,
                **made,
            )
            priorities = list(PriorityIndicator.objects.filter(action_plan=plan))
            actions = [
                Action(
                    priority_indicator=priorities[n % len(priorities)],
                    description=f"{n}. {text}",
                    undertaken_by="IROs and Social Workers",
                    target_text="Ongoing - review 6 monthly",
                    order=n,
                )
                for n in range(actions_each)
            ]
            bulk_create_with_history(actions, Action, **made)
            actions = list(Action.objects.filter(priority_indicator__action_plan=plan))
            for n, action in enumerate(actions):
                action.status = "on_track"
                action.version = 2
                action.lead_users.add(people[n % len(people)])
            bulk_update_with_history(actions, Action, ["status", "version"], **changed)
            figures = [
                IndicatorFigure(
                    indicator=measure,
                    period_label=str(2000 + y),
                    period_end=datetime.date(2000 + y, 3, 31),
                    value=50 + y,
                    numerator=y,
                    denominator=100,
                    entered_by=people[y % len(people)],
                    source="Bench",
                )
                for measure in measures
                for y in range(figures_each)
            ]
            bulk_create_with_history(figures, IndicatorFigure, batch_size=2000, **made)
            figures = list(IndicatorFigure.objects.filter(indicator__in=measures))
            for figure in figures:
                figure.note = "Checked."
                figure.version = 2
            bulk_update_with_history(
                figures, IndicatorFigure, ["note", "version"], batch_size=2000, **changed
            )
        print(f"strategy {s + 1} of {strategies}", flush=True)


def run(argv, env=None):
    """Wall time, CPU time and peak RSS (MB) of one command, from its own rusage (os.wait4).
    CPU time is the command's own (the database server's is not in it): on a shared machine
    it moves less than the wall time."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{argv} failed")
    cpu = usage.ru_utime + usage.ru_stime
    return f"{seconds:.1f} s ({cpu:.1f} s CPU), peak RSS {usage.ru_maxrss / 1024:.0f} MB"


def time_both(restore_into, path, restore_only):
    python = str(ROOT / ".venv/bin/python")
    if not restore_only:
        print(f"backup: {run([python, 'manage.py', 'backup', path])}")
    print(f"file: {os.path.getsize(path) / 1e6:.1f} MB")
    env = dict(os.environ, DATABASE_URL=restore_into)
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], check=True, env=env)
    print(f"restore: {run([python, 'manage.py', 'restore_backup', path], env=env)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["fill", "time"])
    parser.add_argument("--strategies", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--figures-each", type=int, default=50)
    parser.add_argument("--actions-each", type=int, default=500)
    parser.add_argument("--restore-into", help="DATABASE_URL of an empty database")
    parser.add_argument("--file", default="/tmp/bench-backup.json.gz")
    parser.add_argument("--restore-only", action="store_true", help="restore --file as it is")
    args = parser.parse_args()
    if args.what == "fill":
        fill(args.strategies, args.indicators, args.figures_each, args.actions_each)
    else:
        time_both(args.restore_into, args.file, args.restore_only)
