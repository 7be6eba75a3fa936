"""Search as an outcome owner would, and sort a table by keyboard, on a wide and a narrow screen."""

import pytest

from actionplans.models import PriorityIndicator
from lacstrategy.demo import DEMO_PASSWORD
from reviews.models import ReviewPeriod
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 800}


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_an_owner_searches_and_follows_a_result(new_page, demo_site):
    page = new_page()
    sign_in(page, "izzy.martin", DEMO_PASSWORD)  # owns outcome 6

    page.goto("/search/")
    assert_accessible(page, "search-01-empty")
    page.get_by_label("Search the records").fill("positive relationships")
    page.get_by_role("button", name="Search").click()

    heading = page.locator("#results-heading")
    assert " results for ‘positive relationships’" in heading.inner_text()
    assert "People (" not in page.locator("main").inner_text()  # not for an owner
    assert_accessible(page, "search-02-results-1280")
    page.set_viewport_size(NARROW)
    assert_accessible(page, "search-03-results-320")
    assert_no_sideways_scroll(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    outcomes = page.locator("#results-outcomes")
    link = outcomes.get_by_role("link").first
    title = link.inner_text()
    assert "build positive relationships" in title
    link.click()
    page.get_by_role("heading", name=title.split(": ", 1)[1]).first.wait_for()

    page.goto("/search/?q=zebra+crossing")
    assert "There are no matching results" in page.locator("main").inner_text()
    page.set_viewport_size(NARROW)
    assert_accessible(page, "search-04-no-results-320")
    assert_no_sideways_scroll(page)


def test_an_administrator_finds_people_and_sees_all_of_a_kind(new_page, demo_site):
    priority = PriorityIndicator.objects.first()
    ActionFactory.create_batch(22, priority_indicator=priority, description="Mentoring circle")
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto("/search/?q=children")
    assert "People (" in page.locator("main").inner_text()
    page.goto("/search/?q=mentoring")
    page.get_by_role("link", name="Show all 22 actions").click()
    assert page.locator("#results-heading").inner_text() == "22 results for ‘mentoring’ in actions"
    page.get_by_role("link", name="Next page").click()
    page.wait_for_load_state()
    page.locator(".app-search-result").first.wait_for()
    assert page.locator(".app-search-result").count() == 2
    assert_accessible(page, "search-05-one-kind-1280")


def overall_rags(page):
    return page.locator(".app-dashboard-table tbody tr td:nth-child(3)").all_inner_texts()


def test_the_chair_sorts_the_dashboard_by_keyboard(new_page, demo_site):
    period = ReviewPeriod.objects.get(quarter=2)
    page = new_page()
    sign_in(page, "chair", DEMO_PASSWORD)
    page.goto(period.get_absolute_url())
    table = page.locator(".app-dashboard-table")
    header = table.locator("th", has_text="Overall RAG")
    button = header.get_by_role("button", name="Overall RAG")
    assert header.get_attribute("aria-sort") == "none"
    before = overall_rags(page)

    button.focus()
    page.keyboard.press("Enter")

    assert header.get_attribute("aria-sort") == "ascending"
    order = ["Red", "Amber", "Green", "Not rated"]
    after = overall_rags(page)
    assert sorted(before, key=order.index) == after
    status = page.locator("[role=status]", has_text="Sort by")
    assert status.inner_text() == "Sort by Overall RAG (ascending)"
    assert table.locator("th[aria-sort='ascending']").count() == 1
    assert_accessible(page, "search-06-dashboard-sorted-1280")

    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert overall_rags(page) == list(reversed(after))

    # Back to the plan's order by the first column.
    table.get_by_role("button").first.press("Enter")
    references = table.locator("tbody tr td:first-child a").all_inner_texts()
    numbers = [int(text.split(".")[0]) for text in references if text.split(".")[0].isdigit()]
    assert numbers == sorted(numbers)
    page.set_viewport_size(NARROW)
    assert_accessible(page, "search-07-dashboard-sorted-320")


def test_tables_read_the_same_without_javascript(browser, live_server, demo_site):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto("/people/")
    header = page.locator("th", has_text="Name")
    assert header.locator("button").count() == 0
    names = page.locator("table tbody tr td:first-child a").all_inner_texts()
    assert len(names) > 3  # in the order the server gave
    page.goto("/search/?q=care")
    assert "results for ‘care’" in page.locator("#results-heading").inner_text()
    context.close()
