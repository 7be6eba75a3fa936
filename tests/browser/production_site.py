"""The service as a council runs it, on this machine: PostgreSQL, two gunicorn instances and the
background worker, each started by scripts/start-production.sh with DEBUG off. Used by the
production smoke test and by scripts/bench_production.py and scripts/load_test.py; every process it
starts is stopped.
"""

import contextlib
import http.cookiejar
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "corporate-parent-demo"  # lacstrategy.demo's, without importing Django
START = str(ROOT / "scripts" / "start-production.sh")
PYTHON = str(ROOT / ".venv-production" / "bin" / "python")


def fresh_database(server_url, name):
    """An empty database `name` on the PostgreSQL server of `server_url`; returns its URL."""
    parts = urlsplit(server_url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def wait_until_healthy(base_url, process, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{base_url} stopped (exit code {process.returncode}): see its log")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.5)
    raise TimeoutError(f"{base_url}/healthz did not answer 200 in {seconds} s")


class LoopbackCookies(urllib.request.HTTPCookieProcessor):
    """Send the service's Secure cookies back over plain HTTP to 127.0.0.1, as a browser does
    for a loopback address (TLS ends at the council's proxy, which these clients leave out)."""

    def http_response(self, request, response):
        response = super().http_response(request, response)
        for cookie in self.cookiejar:
            cookie.secure = False
        return response


def signed_in_opener(base, username, *handlers):
    """A urllib opener signed in as `username` (a demo account), and its cookie jar, which holds
    the CSRF token. `handlers` are added to the opener, e.g. one that does not follow redirects."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(LoopbackCookies(jar), *handlers)
    opener.open(f"{base}/accounts/login/").read()
    form = urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": csrf_token(jar)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    try:
        opener.open(request).read()
    except urllib.error.HTTPError as error:
        if error.code != 302:  # a redirect that `handlers` chose not to follow
            raise
    return opener, jar


def csrf_token(jar):
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


class ProductionSite:
    """Start with `with ProductionSite(database_url) as site:`; site.web holds the base URLs."""

    def __init__(self, database_url, *, ports=(8101, 8102), workers=2, log_dir=None):
        self.ports = ports
        self.log_dir = Path(log_dir or ROOT / "test-results" / "production")
        # Not the test run's own settings (pytest's DEBUG, Playwright's async flag).
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DJANGO_") and key not in {"DEBUG", "SECRET_KEY"}
        }
        self.env = {
            **inherited,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            # TLS ends at the council's reverse proxy; here the browser talks HTTP to 127.0.0.1.
            "SECURE_SSL_REDIRECT": "false",
            "TRUSTED_PROXY_COUNT": "0",
            "WEB_CONCURRENCY": str(workers),
            "WORKER_INTERVAL": "0.2",
            "LOG_FORMAT": "json",
        }
        self.processes = []
        self.web = [f"http://127.0.0.1:{port}" for port in ports]

    def _start(self, name, *args, **env):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(
            [START, *args],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so gunicorn's workers stop too
        )
        self.processes.append((process, log))
        return process

    def manage(self, *args):
        """A management command with the site's settings, from the production install."""
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def start_worker(self):
        return self._start("worker", "worker")

    def stop_process(self, process, sig=signal.SIGTERM):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def __enter__(self):
        try:
            # The first instance migrates; the second starts once the schema is there.
            first = self._start("web-1", "web", BIND=f"127.0.0.1:{self.ports[0]}")
            wait_until_healthy(self.web[0], first)
            others = [
                self._start(f"web-{n}", "web", BIND=f"127.0.0.1:{port}", RUN_MIGRATIONS="false")
                for n, port in enumerate(self.ports[1:], start=2)
            ]
            for url, process in zip(self.web[1:], others, strict=True):
                wait_until_healthy(url, process)
            self.worker = self.start_worker()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        for process, log in reversed(self.processes):
            self.stop_process(process)
            log.close()
        self.processes = []

    def __exit__(self, *exc):
        self.stop()
