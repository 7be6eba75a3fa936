"""Headless Chromium from Debian, driven by Playwright; axe-core checks every page visited."""

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Back and forward load the page again, so no document is frozen halfway through its check.
    "--disable-features=BackForwardCache",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: CI must run the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db):
    """The demo council, as `make run` serves it."""
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
# A check takes a second or two; on a slow, busy 2-core CI machine one took over 30 s (the
# action form, 4 December 2026). Past this it is reported as a violation, so the test fails.
AXE_SECONDS = 90
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Runs in every document of a watched context before the page's own scripts. An init script is
# injected by the browser itself, so the page's Content-Security-Policy does not block it.
# `window.lacAxeNow()` checks the document once (at `load`, or sooner if a test leaves it first)
# and reports to Python before its promise resolves.
AXE_ON_LOAD = """
(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) return;
  window.lacAxeStarted(location.href);
  let check = null;
  window.lacAxeNow = () => check || (check = (
    // An image or a PDF opened in the browser is not a page for axe.
    document.contentType !== "text/html" ? Promise.resolve([]) :
      Promise.race([
        axe.run(document, {runOnly: {type: "tag", values: %s}}).then((result) =>
          result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
          }))),
        // A check that never ends would hold the test's next navigation for ever.
        new Promise((resolve) => setTimeout(() => resolve(
          [{id: "axe-timeout", help: "axe-core had not finished after %d seconds"}]), %d)),
      ])
  ).catch((error) => [{id: "axe-error", help: String(error)}])
    .then((violations) => { window.lacAxeReport(location.href, violations); }));
  window.addEventListener("load", () => window.lacAxeNow(), {once: true});
  window.addEventListener("beforeunload", () => { window.lacAxeNow(); });
})();
"""
CHECK_NOW = "() => window.lacAxeNow && window.lacAxeNow()"


class AxeOnEveryPage:
    """axe-core on every document a browser context loads, so no page a test opens is missed.

    A page's next navigation waits (its request is held in a route) until axe has checked the
    document it leaves; at the end of the test one failure lists every page in breach.
    """

    def __init__(self):
        self.checked = {}  # url: violations
        self.unfinished = {}  # page: url of its document not yet checked
        self.held = {}  # page: navigation requests waiting for that check

    def watch(self, context):
        context.expose_binding("lacAxeStarted", self._started)
        context.expose_binding("lacAxeReport", self._report)
        context.add_init_script(
            AXE_SCRIPT.read_text()
            + AXE_ON_LOAD % (json.dumps(AXE_TAGS), AXE_SECONDS, AXE_SECONDS * 1000)
        )
        context.route("**/*", self._route)
        return context

    def _started(self, source, url):
        self.unfinished[source["page"]] = url

    def _report(self, source, url, violations):
        page = source["page"]
        self.checked[url] = self.checked.get(url, []) + violations
        self.unfinished.pop(page, None)
        for proceed in self.held.pop(page, []):
            proceed()

    def _route(self, route, request, proceed=None):
        """Hold a navigation until the document it leaves is checked. A test's own page route
        (which Playwright asks before this one) passes how to go on as `proceed`."""
        proceed = proceed or route.fallback
        page = request.frame.page
        leaving = request.is_navigation_request() and request.frame == page.main_frame
        if leaving and self.unfinished.get(page):
            self.held.setdefault(page, []).append(proceed)  # until _report lets it go
            return
        proceed()

    def finish(self, pages):
        """Check the documents still open; the failure names every page in breach."""
        for page in pages:
            if not page.is_closed():
                # If the document has gone already (its page closed), it is reported as missed.
                with contextlib.suppress(PlaywrightError):
                    page.evaluate(CHECK_NOW)
        # Let any navigation still held go, so closing the context does not wait on it.
        for proceeds in self.held.values():
            for proceed in proceeds:
                with contextlib.suppress(PlaywrightError):
                    proceed()
        self.held.clear()
        failures = {url: found for url, found in self.checked.items() if found}
        message = [f"{url}: {found}" for url, found in failures.items()]
        message += [
            f"{url}: left before axe-core had checked it" for url in self.unfinished.values()
        ]
        if message:
            pytest.fail("axe-core found violations:\n" + "\n".join(message))


@pytest.fixture
def axe_every_page():
    return AxeOnEveryPage()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, so that a fixture can see whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


FAILURES = SCREENSHOTS.parent / "browser-failures.txt"


def record_failure(name, pages, axe):
    """Where each page of a failed test was, a screenshot of it, and any navigation still held
    for axe-core: evidence for a failure that happens only on a busy CI machine."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}:"]
    for number, page in enumerate(pages, start=1):
        lines.append(
            f"  page {number}: {page.url}; navigations held: {len(axe.held.get(page, []))}; "
            f"not yet checked: {axe.unfinished.get(page, '')}"
        )
        with contextlib.suppress(PlaywrightError):
            page.screenshot(path=SCREENSHOTS / f"failed-{name}-{number}.png", timeout=5000)
    with FAILURES.open("a") as failures:
        failures.write("\n".join(lines) + "\n")


@pytest.fixture
def new_page(request, browser, live_server, axe_every_page):
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(axe_every_page.watch(context))
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        pages = [page for context in contexts for page in context.pages]
        record_failure(request.node.name, pages, axe_every_page)
    try:
        axe_every_page.finish([page for context in contexts for page in context.pages])
    finally:
        for context in contexts:
            context.close()


def focused_error_summary(page):
    """The error summary once GOV.UK Frontend has moved focus to it, as it does on load.

    Typing before then races the script: the keys land in a field and focus then jumps away.
    """
    summary = page.locator(".govuk-error-summary")
    page.locator(".govuk-error-summary:focus").wait_for()
    return summary


def assert_accessible(page, name):
    """Save a screenshot, run axe-core (WCAG 2.2 A and AA rules) and fail on any violation.

    Pages of a watched context are checked at load anyway; this checks the page as it is now
    (after what the test has typed or opened), once that first check has finished.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    if not page.evaluate("() => Boolean(window.lacAxeNow)"):
        page.add_script_tag(url="/static/vendor/axe.min.js")
    violations = page.evaluate(
        """async (tags) => {
            await (window.lacAxeNow && window.lacAxeNow());
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)
            }));
        }""",
        AXE_TAGS,
    )
    assert violations == [], f"axe-core found violations on {name}: {violations}"


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
