"""Throughput and latency of the service as a council runs it, and the time to issue a report.

Starts the production set-up (scripts/start-production.sh: DEBUG off, gunicorn with 2 workers,
PostgreSQL, the background worker) on 127.0.0.1 with the demo loaded, then:
  - sends 8 concurrent clients at the plan page and at the Q2 review dashboard, a bounded number
    of requests each, and prints requests per second, p50 and p95 latency and the errors;
  - issues the demo's Q2 committee report and times it from the click to the issued PDF.
Every process it starts is stopped at the end.

    .venv/bin/python scripts/bench_production.py [--server postgres://postgres@127.0.0.1/postgres]
"""

import argparse
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.production_site import (  # noqa: E402
    ProductionSite,
    csrf_token,
    fresh_database,
    signed_in_opener,
)

CLIENTS = 8
REQUESTS_PER_CLIENT = 40


def load(base, path, username):
    """CLIENTS threads, each signed in, each sending REQUESTS_PER_CLIENT requests in turn."""
    openers = [signed_in_opener(base, username)[0] for _ in range(CLIENTS)]
    for opener in openers:  # warm every gunicorn worker and connection
        opener.open(f"{base}{path}").read()
    latencies, errors = [], []
    lock = threading.Lock()

    def client(opener):
        for _ in range(REQUESTS_PER_CLIENT):
            started = time.perf_counter()
            try:
                with opener.open(f"{base}{path}", timeout=60) as response:
                    response.read()
                    # A lost session would be a 200 too: the sign-in page.
                    problem = None if response.url == f"{base}{path}" else response.url
            except OSError as error:
                problem = str(error)
            with lock:
                latencies.append(time.perf_counter() - started)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=client, args=(opener,)) for opener in openers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "errors": len(errors),
    }


def issue_q2_report(base):
    opener, jar = signed_in_opener(base, "committee")
    reports = opener.open(f"{base}/reports/").read().decode()
    q2 = re.search(r'href="(/reports/\d+/)">[^<]*progress in Q2', reports).group(1)
    page = opener.open(f"{base}{q2}").read().decode()
    action = re.search(r'action="(/reports/\d+/issue/)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf_token(jar)}).encode()
    started = time.perf_counter()
    response = opener.open(
        urllib.request.Request(f"{base}{action}", data=form, headers={"Referer": f"{base}{q2}"})
    )
    job_url = response.url
    while "Report issued" not in opener.open(job_url).read().decode():
        time.sleep(0.1)
        if time.perf_counter() - started > 300:
            raise TimeoutError("the report was not issued in 5 minutes")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    database = fresh_database(args.server, "lacstrategy_bench")
    with ProductionSite(database, ports=(8111,), workers=2) as site:
        site.manage("load_demo", "--on-a-live-site")
        base = site.web[0]
        home = signed_in_opener(base, "chair")[0].open(f"{base}/").read().decode()
        plan = re.search(r'href="(/plans/\d+/)"', home).group(1)
        opener = signed_in_opener(base, "chair")[0]
        dashboards = re.findall(
            r'href="(/reviews/periods/\d+/)"', opener.open(f"{base}{plan}").read().decode()
        )
        pages = {"plan page": plan}
        pages["Q2 review dashboard"] = dashboards[1]  # Q1 to Q4, in order
        print(f"gunicorn, 2 sync workers, PostgreSQL, {CLIENTS} clients x {REQUESTS_PER_CLIENT}")
        for name, path in pages.items():
            result = load(base, path, "chair")
            print(
                f"{name:17} {path:24} {result['requests']} requests, {result['rps']:.1f} req/s, "
                f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
                f"{result['errors']} errors"
            )
        print(f"Issue to issued PDF, demo Q2 report: {issue_q2_report(base):.1f} s")


if __name__ == "__main__":
    main()
