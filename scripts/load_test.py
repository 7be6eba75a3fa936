"""A bounded load test of the writes that race in a real quarter: is anything lost, or a 500?

Starts the production set-up (scripts/start-production.sh: DEBUG off, gunicorn, PostgreSQL, the
background worker) on 127.0.0.1 with the demo loaded in a fresh database, then sends CLIENTS
threads of REQUESTS_PER_CLIENT requests each, all at once:
  - outcome owners open their outcome's update for a quarter, save drafts, check and submit it
    (co-owners on the same update at the same time; some posts deliberately from an old version);
  - outcome owners edit the same few actions, each post carrying the version it read (some
    deliberately stale);
  - the chair accepts the updates as they are submitted, which writes the actions back.
Every response is classified: a success (2xx, or a redirect), a clear refusal (400, 403 or 409
whose page says what happened: a GOV.UK error summary or "This cannot be done now"), or neither.
Afterwards the database is read: every successful post's unique token is in its record's history
(no lost writes), no refused post's token is anywhere (nothing half saved), and every record's
history has versions 1..n without gaps or repeats. Prints a summary; exits 1 on any 500,
unclear response, lost or leaked write, or version gap.

    .venv/bin/python scripts/load_test.py [--server postgres://postgres@127.0.0.1:5432/postgres]
        [--database lacstrategy_load] (dropped and made again)
"""

import argparse
import collections
import contextlib
import copy
import html
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.production_site import (  # noqa: E402
    LoopbackCookies,
    ProductionSite,
    csrf_token,
    fresh_database,
    signed_in_opener,
)

CLIENTS = 50
REQUESTS_PER_CLIENT = 10
CHAIRS = 10  # of the CLIENTS: the rest are outcome owners
PORTS = (8150, 8151)
# Pages that refuse a write say so: a GOV.UK error summary (a form's errors, the conflict
# page, lacstrategy.write_errors), or the 403 page's reason when the record's state refuses.
CLEAR_REFUSAL = ("govuk-error-summary", "This cannot be done now")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer to classify (a saved form), not a page to fetch."""

    def redirect_request(self, *args, **kwargs):
        return None


class PostForm(HTMLParser):
    """The fields of a page's own form (the first post form without an action), with the
    values a browser would send: text, hidden, checked radios and boxes, text areas."""

    def __init__(self, page):
        super().__init__()
        self.fields, self.names = {}, set()
        self._depth, self._textarea, self._done = 0, None, False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self._done and attrs.get("method") == "post":
            if not attrs.get("action"):
                self._depth = 1
            return
        if not self._depth:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            self.names.add(name)
            kind = attrs.get("type", "text")
            if kind not in ("radio", "checkbox") or "checked" in attrs:
                self.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.names.add(name)
            self._textarea = name
            self.fields[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # HTML drops the newline that Django writes after <textarea>.
            value = self.fields[self._textarea][0]
            self.fields[self._textarea] = [value.removeprefix("\n")]
            self._textarea = None
        elif tag == "form" and self._depth:
            self._depth, self._done = 0, True

    def named(self, suffix):
        return sorted(name for name in self.names if name.endswith(suffix))


@dataclass
class Answer:
    kind: str  # the request's purpose, e.g. "save a draft"
    status: int
    verdict: str  # success, refused, unclear, error
    seconds: float
    location: str = ""
    title: str = ""  # a refusal's page title: what the person was told
    write: dict = field(default_factory=dict)  # what a post tried to write, to check after


class Client:
    """One person in a browser tab: keeps cookies, sends the CSRF token. Tabs of one person
    share the session that `cookies` (a signed-in jar) holds."""

    def __init__(self, base, cookies, results):
        self.base, self.results = base, results
        self.jar = http.cookiejar.CookieJar()
        for cookie in cookies:
            self.jar.set_cookie(copy.copy(cookie))
        self.opener = urllib.request.build_opener(LoopbackCookies(self.jar), NoRedirects())

    def send(self, kind, path, form=None, **write):
        data = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": [csrf_token(self.jar)]}
            data = urllib.parse.urlencode(form, doseq=True).encode()
        request = urllib.request.Request(
            f"{self.base}{path}", data=data, headers={"Referer": f"{self.base}{path}"}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, page, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, page = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        except OSError as error:  # no answer at all
            status, page, location = 0, str(error), ""
        seconds = time.perf_counter() - started
        if status >= 500 or status == 0:
            verdict = "error"
        elif status < 400:
            verdict = "success"
        elif status in (400, 403, 409) and any(mark in page for mark in CLEAR_REFUSAL):
            verdict = "refused"
        else:
            verdict = "unclear"
        title = ""
        if verdict != "success":
            found = re.search(r"<title>\s*(.*?)\s*-", page, re.S)
            title = html.unescape(found.group(1)) if found else page[:80]
        answer = Answer(kind, status, verdict, seconds, location, title, write)
        self.results.append(answer)
        return answer, page


def token():
    return f"LT-{uuid.uuid4().hex[:12]}"


# The three kinds of people, each sending exactly REQUESTS_PER_CLIENT requests.


def owner_updating(client, *, period_id, outcome_id, stale, submitted):
    """Open the update, save drafts (one from an old version if `stale`), check, submit."""
    path = f"/reviews/periods/{period_id}/outcomes/{outcome_id}/update/"
    check_path = None
    for step in range(REQUESTS_PER_CLIENT // 2):
        _, page = client.send("open the update", path)
        if step == 3 and check_path:
            result, _ = client.send(
                "submit the update", check_path, {}, update=check_path.split("/")[3]
            )
            if result.verdict == "success":
                submitted.append(check_path.split("/")[3])
            continue
        form = PostForm(page)
        if not form.names:  # refused (submitted by a co-owner): nothing to fill in
            client.send("open the update", path)
            continue
        mark = token()
        data = dict(form.fields)
        for name in form.named("-status"):
            data[name] = ["on_track"]
        for name in form.named("-rag") + ["outcome-overall_rag"]:
            data[name] = ["green"]
        for name in form.named("-progress_note"):
            data[name] = [f"Progress {mark}"]
        for name in form.named("-not_available"):
            data[name] = ["on"]
            prefix = name.removesuffix("not_available")
            data[f"{prefix}not_available_reason"] = ["Not published yet"]
            data[f"{prefix}value"] = [""]
        for name in form.named("-comment"):  # a priority with no figure is reported in words
            data[name] = [f"Comment {mark}"]
        data["outcome-summary"] = [f"Summary of progress {mark}"]
        seen = (data.get("outcome-seen_version") or [""])[0]
        if stale and step == 1 and seen:
            data["outcome-seen_version"] = [str(int(seen) - 1)]
        checking = step == 2
        data["check" if checking else "draft"] = ["1"]
        result, _ = client.send(
            "check the update" if checking else "save a draft",
            path,
            data,
            token=mark,
            period=period_id,
            outcome=outcome_id,
            actions=len(form.named("-progress_note")),
            seen=data["outcome-seen_version"][0],
        )
        if checking and result.verdict == "success":
            check_path = urllib.parse.urlsplit(result.location).path


def owner_editing_action(client, *, action_id, stale_every):
    """Open the action and change its comment, five times; every `stale_every`th post carries
    the version before the one read."""
    path = f"/actions/{action_id}/edit/"
    for step in range(REQUESTS_PER_CLIENT // 2):
        _, page = client.send("open an action", path)
        form = PostForm(page)
        data = dict(form.fields)
        mark = token()
        data["comment"] = [f"Comment {mark}"]
        data["change_reason"] = ["Load test"]
        if stale_every and step % stale_every == stale_every - 1:
            data["seen_version"] = [str(int(data["seen_version"][0]) - 1)]
        client.send(
            "edit an action", path, data, token=mark, action=action_id, seen=data["seen_version"][0]
        )


def chair_accepting(client, *, dashboard, submitted):
    """Accept submitted updates as they come in; look at the dashboard while none have."""
    sent = 0
    while sent < REQUESTS_PER_CLIENT:
        if not submitted:
            client.send("open the dashboard", dashboard)
            sent += 1
            time.sleep(0.05)
            continue
        update = random.choice(list(submitted))
        _, page = client.send("open an update", f"/reviews/updates/{update}/")
        sent += 1
        if sent < REQUESTS_PER_CLIENT and f"/reviews/updates/{update}/accept/" in page:
            client.send("accept an update", f"/reviews/updates/{update}/accept/", {}, update=update)
            sent += 1


# The demo's records, read from the database before the run.


def scenario(database):
    with contextlib.closing(psycopg2.connect(database)) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT o.id, o.number, u.username FROM outcomes_outcome o "
            "JOIN outcomes_outcome_owners oo ON oo.outcome_id = o.id "
            "JOIN lacstrategy_user u ON u.id = oo.user_id ORDER BY o.number, u.username"
        )
        owners = collections.defaultdict(list)
        numbers = {}
        for outcome_id, number, username in cursor.fetchall():
            owners[outcome_id].append(username)
            numbers[number] = outcome_id
        cursor.execute("SELECT id, quarter FROM reviews_reviewperiod WHERE status = 'open'")
        periods = {quarter: pk for pk, quarter in cursor.fetchall()}
        cursor.execute(
            "SELECT outcome_id, status, id FROM reviews_outcomeupdate WHERE period_id = %s",
            [periods[2]],
        )
        q2 = {outcome_id: (status, pk) for outcome_id, status, pk in cursor.fetchall()}
        cursor.execute(
            "SELECT i.outcome_id, MIN(a.id) FROM actionplans_action a "
            "JOIN actionplans_priorityindicator p ON p.id = a.priority_indicator_id "
            "JOIN outcomes_indicator i ON i.id = p.indicator_id GROUP BY i.outcome_id"
        )
        first_action = dict(cursor.fetchall())
    return owners, numbers, periods, q2, first_action


def plan_clients(database):
    """Who does what: CLIENTS (username, job) pairs, a job taking the person's Client."""
    owners, numbers, periods, q2, first_action = scenario(database)
    updates = [(periods[q], outcome) for q in (3, 4) for outcome in sorted(owners)]
    # Q2's returned update (to resubmit) and the one not started.
    updates += [
        (periods[2], outcome)
        for outcome, (status, _) in q2.items()
        if status == "returned" and outcome in owners
    ]
    updates += [(periods[2], outcome) for outcome in sorted(owners) if outcome not in q2]
    # Updates submitted, for the chair to accept: Q2's waiting one, and those the owners submit.
    submitted = [str(pk) for status, pk in q2.values() if status == "submitted"]
    jobs = []
    for n, (period, outcome) in enumerate(updates):
        for username in owners[outcome]:  # co-owners on the same update at once
            job = partial(
                owner_updating,
                period_id=period,
                outcome_id=outcome,
                stale=n % 2 == 1,
                submitted=submitted,
            )
            jobs.append((username, job))
    # The first action of outcomes 1 to 4, which accepting their updates writes back too.
    edited = [numbers[n] for n in (1, 2, 3, 4)]
    for n in range(CLIENTS - len(jobs) - CHAIRS):
        outcome = edited[n % 4]
        username = owners[outcome][n // 4 % len(owners[outcome])]
        job = partial(
            owner_editing_action, action_id=first_action[outcome], stale_every=3 if n % 2 else 0
        )
        jobs.append((username, job))
    dashboard = f"/reviews/periods/{periods[3]}/"
    for _ in range(CLIENTS - len(jobs)):
        jobs.append(("chair", partial(chair_accepting, dashboard=dashboard, submitted=submitted)))
    return jobs


def run_load(bases, database):
    jobs, results = plan_clients(database), []
    # One sign-in a person (a password hash each is the slow part), on the first instance:
    # the session is in the database, so it works on the other too.
    sessions = {name: signed_in_opener(bases[0], name)[1] for name in {name for name, _ in jobs}}
    clients = [
        Client(bases[n % len(bases)], sessions[username], results)
        for n, (username, _) in enumerate(jobs)
    ]
    start = threading.Barrier(len(jobs))

    def person(client, job):
        start.wait()
        job(client)

    threads = [
        threading.Thread(target=person, args=(client, job))
        for client, (_, job) in zip(clients, jobs, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


# What the database says afterwards.


def records_with(cursor, table, column, mark, **where):
    """How many records have `mark` in `column` in some row of their history."""
    conditions = "".join(f" AND {name} = %s" for name in where)
    cursor.execute(
        f"SELECT COUNT(DISTINCT id) FROM {table} WHERE {column} LIKE %s{conditions}",
        [f"%{mark}%", *where.values()],
    )
    return cursor.fetchone()[0]


def landed_on(cursor, table, column, mark):
    """The version that the first history row holding `mark` saved."""
    cursor.execute(
        f"SELECT version FROM {table} WHERE {column} LIKE %s ORDER BY history_id LIMIT 1",
        [f"%{mark}%"],
    )
    return cursor.fetchone()[0]


def lost_and_leaked(cursor, results, since):
    """Successful writes missing from the history or saved over a version their editor did not
    see, and refused ones found in the history."""
    lost, leaked = [], []
    decisions = collections.Counter()
    for result in results:
        write = result.write
        if "token" in write and "action" in write:
            table, column = "actionplans_historicalaction", "comment"
            found = records_with(cursor, table, column, write["token"], id=write["action"])
            expected = 1
        elif "token" in write:
            table, column = "reviews_historicaloutcomeupdate", "summary"
            found = records_with(
                cursor,
                table,
                column,
                write["token"],
                period_id=write["period"],
                outcome_id=write["outcome"],
            ) + records_with(
                cursor, "reviews_historicalactionupdate", "progress_note", write["token"]
            )
            expected = 1 + write["actions"]
        else:
            if "update" in write and result.verdict == "success":
                decisions[(result.kind, str(write["update"]))] += 1
            continue
        if result.verdict == "success":
            # A save lands on the version after the one its form showed (1: a new record).
            version = int(write["seen"] or 0) + 1
            if found != expected:
                lost.append((result.kind, write, f"in {found} of {expected} records"))
            elif (landed := landed_on(cursor, table, column, write["token"])) != version:
                lost.append((result.kind, write, f"saved as version {landed}, not {version}"))
        elif found:
            leaked.append((result.kind, write, found))
    # The reasons the services give (the submit names the council's review group's chair).
    reasons = {
        "submit the update": "Update submitted to the %",
        "accept an update": "Update accepted",
    }
    for kind, reason in reasons.items():
        cursor.execute(
            "SELECT id, COUNT(*) FROM reviews_historicaloutcomeupdate "
            "WHERE history_change_reason LIKE %s AND history_date >= %s GROUP BY id",
            [reason, since],
        )
        stored = {str(pk): count for pk, count in cursor.fetchall()}
        for update in set(stored) | {u for k, u in decisions if k == kind}:
            if stored.get(update, 0) != decisions[(kind, update)]:
                lost.append((kind, update, stored.get(update, 0), decisions[(kind, update)]))
    return lost, leaked


def version_gaps(cursor):
    """Records whose history's versions are not 1, 2, ... n, or whose version is not n."""
    cursor.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE column_name = 'version' AND table_name LIKE '%%historical%%' "
        "AND table_schema = 'public' ORDER BY table_name"
    )
    gaps = []
    for (table,) in cursor.fetchall():
        live = table.replace("historical", "", 1)
        cursor.execute(
            f"SELECT h.id, array_agg(h.version ORDER BY h.history_id), MAX(r.version) "
            f"FROM {table} h LEFT JOIN {live} r ON r.id = h.id "
            f"WHERE h.history_type <> '-' GROUP BY h.id"
        )
        for pk, versions, current in cursor.fetchall():
            expected = list(range(1, len(versions) + 1))
            if versions != expected or (current is not None and current != len(versions)):
                gaps.append((table, pk, versions, current))
    return gaps


def summary(results, wall, lost, leaked, gaps):
    by_status = collections.Counter(result.status for result in results)
    verdicts = collections.Counter(result.verdict for result in results)
    seconds = [result.seconds for result in results]
    cuts = statistics.quantiles(seconds, n=100)
    print(
        f"\n{len(results)} requests from {CLIENTS} threads x {REQUESTS_PER_CLIENT}, in {wall:.1f} s"
    )
    print("by status:    " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items())))
    print(f"{'request':22} {'sent':>5} {'success':>8} {'refused':>8} {'unclear':>8} {'5xx':>5}")
    for kind in sorted({result.kind for result in results}):
        mine = collections.Counter(r.verdict for r in results if r.kind == kind)
        print(
            f"{kind:22} {sum(mine.values()):5} {mine['success']:8} {mine['refused']:8} "
            f"{mine['unclear']:8} {mine['error']:5}"
        )
    print(
        f"{'total':22} {len(results):5} {verdicts['success']:8} {verdicts['refused']:8} "
        f"{verdicts['unclear']:8} {verdicts['error']:5}"
    )
    print("refusals, by what the page said:")
    refusals = collections.Counter(
        (r.kind, r.status, r.title) for r in results if r.verdict != "success"
    )
    for (kind, status, title), count in sorted(refusals.items()):
        print(f"  {count:4} x {status} {kind}: {title}")
    print(f"latency:      p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms")
    print(f"lost writes:  {len(lost)}   (a success not in the history, or over an unseen version)")
    print(f"leaked:       {len(leaked)}   (a refused post found in the history)")
    print(f"version gaps: {len(gaps)}   (a record whose versions are not 1..n)")
    for problem in [*lost, *leaked, *gaps][:20]:
        print("  ", problem)
    for result in [r for r in results if r.verdict in ("error", "unclear")][:20]:
        print("  ", result.kind, result.status, result.title)
    failed = verdicts["error"] + verdicts["unclear"] + len(lost) + len(leaked) + len(gaps)
    return {
        "requests": len(results),
        "by_status": dict(by_status),
        "verdicts": dict(verdicts),
        "by_kind": collections.Counter((r.kind, r.verdict) for r in results),
        "failures": failed + (len(results) != CLIENTS * REQUESTS_PER_CLIENT),
    }


def load_and_check(bases, database):
    """Send the load at the running service `bases` on `database`, then check the database;
    returns summary()'s dict."""
    with contextlib.closing(psycopg2.connect(database)) as db, db.cursor() as cursor:
        cursor.execute("SELECT now()")
        (since,) = cursor.fetchone()
    results, wall = run_load(bases, database)
    with contextlib.closing(psycopg2.connect(database)) as db, db.cursor() as cursor:
        lost, leaked = lost_and_leaked(cursor, results, since)
        gaps = version_gaps(cursor)
    return summary(results, wall, lost, leaked, gaps)


def run(server, name):
    """Start the service on a fresh database `name` with the demo, then load_and_check() it."""
    database = fresh_database(server, name)
    with ProductionSite(database, ports=PORTS, workers=2) as site:
        site.manage("load_demo", "--on-a-live-site")
        print(f"gunicorn x{len(PORTS)} (2 sync workers each), PostgreSQL, the demo loaded")
        return load_and_check(site.web, database)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="lacstrategy_load")
    args = parser.parse_args()
    if not args.database.endswith("_load"):
        # The database is dropped and made again: never a council's own.
        parser.error("--database must end in _load: it is dropped and made again")
    sys.exit(1 if run(args.server, args.database)["failures"] else 0)


if __name__ == "__main__":
    main()
