"""An administrator gives a strategy the shape its council wrote: a group of outcomes, a named
section and an outcome's commitment, by keyboard; then the strategy page shows the outcomes
under their group and the plan page names the actions by number and lists the commitments no
action delivers yet (issue 13, items 2 and 4). Axe checks each new page at 1280 and 320 px."""

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
    plan = ActionPlanFactory(strategy=strategy)
    for number, statement in ((1, "Children are safe"), (2, "Children are healthy")):
        outcome = OutcomeFactory(strategy=strategy, number=number, statement=statement)
        priority = PriorityIndicatorFactory(
            action_plan=plan, indicator=IndicatorFactory(outcome=outcome, title=f"Measure {number}")
        )
        ActionFactory(priority_indicator=priority, reference=f"{number}.1")
    return plan


def fill_and_save(page, fields):
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label(list(fields)[-1], exact=True).focus()
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")


def test_an_administrator_gives_the_strategy_its_shape(new_page, plan):
    page = new_page()
    sign_in(page, "admin", PASSWORD)
    strategy = plan.strategy

    page.goto(strategy.get_absolute_url())
    page.get_by_role("link", name="Add a theme").click()
    assert_accessible(page, "shapes-group-form")
    fill_and_save(page, {"Number": "1", "The theme": "Safe and settled"})
    page.get_by_role("heading", name="Safe and settled").wait_for()
    assert_accessible(page, "shapes-group")

    page.goto(strategy.get_absolute_url())
    page.get_by_role("link", name="Add a section").click()
    fill_and_save(page, {"Heading": "Our approach", "Text": "We work as one.\n\nWe listen."})
    page.get_by_role("heading", name="Our approach").wait_for()
    assert_accessible(page, "shapes-section")

    outcome = strategy.outcomes.get(number=1)
    page.goto(outcome.get_absolute_url())
    page.get_by_role("link", name="Add a commitment").click()
    fill_and_save(page, {"Commitment": "We will see every child alone"})
    page.get_by_role("heading", name="We will see every child alone").wait_for()
    assert_accessible(page, "shapes-commitment")

    page.goto(f"/strategies/outcomes/{outcome.pk}/edit/")
    page.get_by_label("Theme (optional)").select_option(label="Theme 1: Safe and settled")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Theme 1: Safe and settled").first.wait_for()

    page.goto(strategy.get_absolute_url())
    main = page.locator("main").inner_text()
    assert main.index("Theme 1: Safe and settled") < main.index("Outcome 1: Children are safe")
    assert "Our approach" in main
    assert_accessible(page, "shapes-strategy")

    page.goto(plan.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Action 1.1" in main and "Action 2.1" in main
    assert "Commitments with no action in this plan" in main
    assert "We will see every child alone" in main
    assert_accessible(page, "shapes-plan")

    page.set_viewport_size({"width": 320, "height": 800})
    for name, url in (
        ("strategy", strategy.get_absolute_url()),
        ("group", strategy.groups.get().get_absolute_url()),
        ("section", strategy.sections.get().get_absolute_url()),
        ("commitment", outcome.commitments.get().get_absolute_url()),
    ):
        page.goto(url)
        assert_accessible(page, f"shapes-{name}-320")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
