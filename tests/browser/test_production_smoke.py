"""The production smoke test: the service as a council runs it (DEBUG off, gunicorn, PostgreSQL,
collected static files, the background worker), two web instances sharing one database, and a
person's journey through both in headless Chromium.

Run by .ci/run after the suites (`pytest -m production`), with PRODUCTION_DATABASE_URL naming a
PostgreSQL server it may create a database on (PRODUCTION_DATABASE_NAME, default
lacstrategy_production_smoke), and the web instances on PRODUCTION_PORTS (default 8101,8102).
Last, scripts/load_test.py sends its 50 people at once at the same two instances.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.production_site import ProductionSite, fresh_database

pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parents[2]
TIMINGS = ROOT / "test-results" / "production" / "timings.txt"
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture(scope="module")
def site():
    server = os.environ.get("PRODUCTION_DATABASE_URL")
    if not server:
        pytest.fail("Set PRODUCTION_DATABASE_URL to a PostgreSQL server for the smoke test")
    name = os.environ.get("PRODUCTION_DATABASE_NAME", "lacstrategy_production_smoke")
    ports = [int(port) for port in os.environ.get("PRODUCTION_PORTS", "8101,8102").split(",")]
    with ProductionSite(fresh_database(server, name), ports=ports) as running:
        running.manage("load_demo", "--on-a-live-site")
        yield running


@pytest.fixture
def open_page(browser, axe_every_page):
    contexts, problems = [], []

    def open_(base_url):
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        axe_every_page.watch(context)
        context.add_init_script(WATCH_CSP)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                problems.append(f"{page.url}: {message.text}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        return page

    yield open_, problems
    try:
        axe_every_page.finish([page for context in contexts for page in context.pages])
    finally:
        for context in contexts:
            context.close()


def check(page, name, problems):
    """Each page: axe-core finds nothing, no CSP violation, no console error."""
    assert page.evaluate("window.cspViolations") == [], f"CSP violations on {name}"
    assert_accessible(page, f"production-{name}")
    assert problems == [], f"console errors: {problems}"


def test_health_check_and_static_files_as_a_load_balancer_and_a_browser_see_them(site):
    for base in site.web:
        with urllib.request.urlopen(f"{base}/healthz") as response:
            assert response.status == 200
    with urllib.request.urlopen(f"{site.web[0]}/accounts/login/") as response:
        page = response.read().decode()
    css = re.search(r'href="(/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', page)
    assert css, "the stylesheet is served under its hashed name"
    request = urllib.request.Request(
        f"{site.web[1]}{css.group(1)}", headers={"Accept-Encoding": "br, gzip"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] in {"br", "gzip"}
        assert "max-age=315360000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
    # DEBUG is off: an unknown address is the service's own 404 page, not Django's debug page.
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{site.web[0]}/no-such-page/")
    assert missing.value.code == 404 and b"Page not found" in missing.value.read()


def test_a_quarter_through_two_web_instances_and_the_worker(site, open_page):
    open_, problems = open_page

    # An outcome owner, on the first instance: the plan with its styles, then her update.
    owner = open_(site.web[0])
    sign_in(owner, "izzy.martin", DEMO_PASSWORD)
    check(owner, "home", problems)
    owner.locator("main table a").first.click()
    owner.get_by_role("heading", level=1).wait_for()
    font = owner.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "arial" in font.lower(), "GOV.UK Frontend's stylesheet loaded"
    check(owner, "plan", problems)

    owner.get_by_role("link", name="My updates").click()
    owner.get_by_role(
        "link",
        name="Outcome 6: Looked after children and care leavers build positive relationships",
    ).click()
    # Wait for the form: .all() below does not wait, and on the old page it finds nothing.
    owner.get_by_role("button", name="Save and check your answers").wait_for()
    # Every action and priority starts as "no change since last quarter": this one has changed.
    for radio in owner.locator("input[name$='-change'][value='changed']").all():
        radio.check()
    for radio in owner.locator("input[name$='-status'][value='on_track']").all():
        radio.check()
    for radio in owner.locator("input[name$='-rag'][value='green']").all():
        radio.check()
    owner.locator("input[name='outcome-overall_rag'][value='green']").check()
    owner.get_by_label("Summary of progress").fill("Every child placed out of area was visited.")
    for checkbox in owner.locator("input[name$='-not_available']").all():
        checkbox.check()
    for reason in owner.locator("input[name$='-not_available_reason']").all():
        reason.fill("Survey results due in November")
    # A priority with no figure is reported in words.
    for words in owner.get_by_label("What has happened on this priority area this quarter").all():
        words.fill("The pledge was reviewed with the young people in October.")
    check(owner, "update-form", problems)
    owner.get_by_role("button", name="Save and check your answers").click()
    owner.get_by_role("button", name="Submit update").click()
    owner.locator(".govuk-notification-banner--success").wait_for()
    assert "Submitted" in owner.locator(".govuk-task-list").inner_text()
    check(owner, "update-submitted", problems)

    # The committee officer signs in on the first instance and carries on on the second: the
    # session is in the shared database, not in either process.
    officer = open_(site.web[0])
    sign_in(officer, "committee", DEMO_PASSWORD)
    officer.goto(f"{site.web[1]}/reports/")
    assert "Signed in as Priya Shah" in officer.locator("header").inner_text()
    officer.get_by_role("link", name=re.compile("progress in Q2 2016-17")).first.click()
    check(officer, "report-draft", problems)
    started = time.monotonic()
    officer.get_by_role("button", name="Issue version 1").click()
    officer.get_by_role("heading", name="Report issued").wait_for(timeout=180_000)
    issue_seconds = time.monotonic() - started
    check(officer, "report-issued-by-the-worker", problems)
    officer.get_by_role("link", name="Go to the issued report").click()
    report_path = officer.url.removeprefix(site.web[1])

    # The PDF the worker made, downloaded from the other instance.
    officer.goto(f"{site.web[0]}{report_path}")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "progress in Q2 2016-17" in text
    check(officer, "issued-report-on-the-other-instance", problems)

    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(f"Issue to issued PDF, demo Q2 report: {issue_seconds:.1f} s\n")
    print(f"Issue to issued PDF, demo Q2 report: {issue_seconds:.1f} s")


def test_fifty_people_saving_drafts_submitting_editing_and_accepting_at_once_lose_nothing(site):
    """scripts/load_test.py against this site: 50 threads x 10 requests, after the journey."""
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "scripts" / "load_test.py")
    load_test = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load_test)

    result = load_test.load_and_check(site.web, site.env["DATABASE_URL"])

    assert result["failures"] == 0, "a 500, an unclear page, a lost write or a version gap"
    assert result["requests"] == 500
    for kind in ("save a draft", "edit an action", "submit the update", "accept an update"):
        assert result["by_kind"][(kind, "success")], f"no '{kind}' landed: the load tested nothing"
    for kind in ("save a draft", "edit an action"):
        assert result["by_kind"][(kind, "refused")], f"no '{kind}' was refused: no race happened"
