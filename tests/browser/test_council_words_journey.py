"""An administrator sets the council's own words in Council settings and sees them on the home
page, a plan page and the plan document, at 1280 and 320 px (issue 13, item 1)."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
    PriorityIndicatorFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def plan(db):
    UserFactory(username="admin", password=PASSWORD, roles=["Administrator"])
    strategy = StrategyFactory(title="Testshire Strategy 2026-29")
    outcome = OutcomeFactory(strategy=strategy, number=1, statement="Children are safe")
    plan = ActionPlanFactory(strategy=strategy)
    priority = PriorityIndicatorFactory(
        action_plan=plan, indicator=IndicatorFactory(outcome=outcome, title="Placement moves")
    )
    ActionFactory(priority_indicator=priority)
    return plan


def test_an_administrator_sets_the_councils_words(new_page, plan):
    page = new_page()
    sign_in(page, "admin", PASSWORD)
    page.goto("/council/")
    page.get_by_label("Council's name", exact=True).fill("Testshire County Council")
    fieldset = page.get_by_role("group", name="Words used")
    fieldset.get_by_label("The strategy's name").fill("Promise to Young People")
    fieldset.get_by_label("What one outcome is called").fill("strategic priority statement")
    fieldset.get_by_label("More than one outcome").fill("strategic priority statements")
    fieldset.get_by_label("What one priority indicator is called").fill("priority area")
    fieldset.get_by_label("More than one priority indicator").fill("priority areas")
    fieldset.get_by_label("The group that reviews progress").fill("Corporate Parenting Panel")
    fieldset.get_by_label("The Children in Care Council's name").fill("No Labels")
    fieldset.get_by_label("The committee or board").fill("Children's Trust Board")
    assert_accessible(page, "words-settings")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Council settings saved").wait_for()

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Promise to Young People"
    assert "Corporate Parenting Panel" in page.locator("main").inner_text()
    assert_accessible(page, "words-home")

    page.goto(plan.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Progress by strategic priority statement" in main
    assert "Priority areas for" in main
    assert_accessible(page, "words-plan")

    page.goto(f"/reports/plans/{plan.pk}/")
    text = page.locator("body").inner_text()
    assert "Strategy strategic priority statement 1: Children are safe" in text
    assert_accessible(page, "words-plan-document")

    # At 320 px a table wider than the screen scrolls in its own box, not the whole page.
    page.set_viewport_size({"width": 320, "height": 800})
    for name, url in (("home", "/"), ("plan", plan.get_absolute_url()), ("settings", "/council/")):
        page.goto(url)
        assert_accessible(page, f"words-{name}-320")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
