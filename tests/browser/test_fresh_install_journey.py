"""A council installs the service without the demo: `setup_council` names it, its first
administrator signs in, and no page the browser visits names any other council."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
    PriorityIndicatorFactory,
    ReviewPeriodFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def testshire(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    call_command(
        "setup_council",
        "--no-input",
        "--name=Testshire County Council",
        "--username=a.patel",
        "--full-name=Asha Patel",
        "--job-title=Systems Officer",
        "--email=a.patel@testshire.example",
        stdout=io.StringIO(),
    )
    strategy = StrategyFactory(title="Testshire Children in Care Strategy 2026-29")
    outcome = OutcomeFactory(strategy=strategy, number=1)
    plan = ActionPlanFactory(strategy=strategy, financial_year_start=2026)
    period = ReviewPeriodFactory(action_plan=plan, quarter=1)
    priority = PriorityIndicatorFactory(
        action_plan=plan, indicator=IndicatorFactory(outcome=outcome)
    )
    ActionFactory(priority_indicator=priority)
    return {"strategy": strategy, "outcome": outcome, "plan": plan, "period": period}


def names_only_testshire(page, name, *, header=True):
    text = page.locator("body").inner_text()
    assert "Nottinghamshire" not in text, f"{name} names the demo council"
    if header:
        assert "Testshire County Council" in page.locator("header").inner_text(), name
    assert_accessible(page, f"fresh-{name}")


def test_a_fresh_install_shows_its_own_council_on_every_page(new_page, testshire):
    page = new_page()
    page.goto("/accounts/login/")
    names_only_testshire(page, "sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill("nobody@testshire.example")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    names_only_testshire(page, "password-reset-sent")
    sign_in(page, "a.patel", PASSWORD)
    assert "Signed in as Asha Patel" in page.locator("header").inner_text()
    names_only_testshire(page, "home")
    assert "Testshire County Council" in page.locator("footer").inner_text()

    pages = {
        "strategies": "/strategies/",
        "strategy": testshire["strategy"].get_absolute_url(),
        "outcome": testshire["outcome"].get_absolute_url(),
        "plan": testshire["plan"].get_absolute_url(),
        "my-updates": "/reviews/my-updates/",
        "dashboard": testshire["period"].get_absolute_url(),
        "reports": "/reports/",
        "recent-changes": "/changes/",
        "people": "/people/",
        "council-settings": "/council/",
        "standard-measures": "/figures/library/",
        "privacy-notice": "/privacy/",
        "change-password": "/accounts/password/change/",
    }
    for name, url in pages.items():
        page.goto(url)
        names_only_testshire(page, name)

    page.goto(f"/reports/plans/{testshire['plan'].pk}/")
    assert "Testshire County Council" in page.locator("main").inner_text()
    names_only_testshire(page, "plan-document", header=False)

    # The administrator renames the service; every page follows.
    page.goto("/council/")
    page.get_by_label("Service name").fill("Corporate Parenting Online")
    page.get_by_label("Why are you making this change? (optional)").fill("Our own name")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    assert page.title().endswith("Corporate Parenting Online")
    assert "Corporate Parenting Online" in page.locator("header").inner_text()
    names_only_testshire(page, "council-settings-saved")
