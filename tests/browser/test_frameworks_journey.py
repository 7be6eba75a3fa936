"""The national frameworks: a plan's coverage with its gaps, a framework's page, and an action
tagged by keyboard, at 1280 px and on a 320 px phone."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from actionplans.models import Action
from lacstrategy.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_plan_s_coverage_then_an_action_tagged_by_keyboard(new_page, demo_site):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="Action plan 2016-17").click()
    page.get_by_role("link", name="How this plan covers the national frameworks").click()
    page.get_by_role(
        "heading", name="How the 2016-17 action plan covers the national frameworks"
    ).wait_for()
    assert "These tags are illustrative" in page.locator(".govuk-inset-text").inner_text()
    principles = page.locator("#framework-corporate-parenting-principles")
    access = principles.get_by_role("row").filter(has_text="(d) To help those children")
    assert "No action or indicator" in access.inner_text()  # a gap, in words
    views = principles.get_by_role("row").filter(has_text="(b) To encourage")
    assert "Has actions" in views.inner_text()
    assert_accessible(page, "frameworks-01-coverage")

    principles.get_by_role("link", name="About this framework").click()
    page.get_by_role("heading", name="Corporate parenting principles").wait_for()
    assert "Children and Social Work Act 2017, section 1(1)" in page.content()
    assert_accessible(page, "frameworks-02-framework")

    action = Action.objects.order_by("pk").first()
    page.goto(action.get_absolute_url())
    row = page.locator(".govuk-summary-list__row").filter(has_text="National frameworks it serves")
    assert "(d) To help" not in row.inner_text()
    row.get_by_role("link", name="Change the frameworks it serves").click()
    page.get_by_role("heading", name="National frameworks it serves").wait_for()
    assert_accessible(page, "frameworks-03-tags-form")
    page.get_by_role("checkbox", name="(d) To help those children").focus()
    page.keyboard.press("Space")
    reason = page.get_by_label("Why are you making this change? (optional)")
    reason.focus()
    page.keyboard.type("Access to services is this action's aim")
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    row = page.locator(".govuk-summary-list__row").filter(has_text="National frameworks it serves")
    assert "Corporate parenting principles: (d) To help those children" in row.inner_text()
    assert "Access to services is this action's aim" in page.locator("#changes").inner_text()
    assert_accessible(page, "frameworks-04-action-tagged")


def test_the_coverage_page_on_a_phone(new_page, demo_site):
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, "viewer", DEMO_PASSWORD)
    page.get_by_role("link", name="Action plan 2016-17").click()
    page.get_by_role("link", name="How this plan covers the national frameworks").click()
    page.get_by_role("heading", name="How the 2016-17 action plan covers the national frameworks")
    page.locator("#commitments").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "frameworks-05-coverage-320")


def test_an_administrator_adds_a_later_version_from_its_file(new_page, demo_site, tmp_path):
    page = new_page()
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto(reverse("frameworks:framework_list"))
    page.get_by_role("link", name="Children's Social Care National Framework").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this version as a file (.json)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    data.update(edition="March 2026", published_on="2026-03-31")
    data["items"][0]["title"] = "Children, young people and families stay together"
    data["items"].append(
        {"code": "shared-data", "part": "Enablers", "label": "Enabler", "title": "Data is shared"}
    )
    edited = tmp_path / "national-framework-2026.json"
    edited.write_text(json.dumps(data), encoding="utf-8")

    page.get_by_role("link", name="Add a later version").click()
    page.get_by_role("heading", name="Add a later version").wait_for()
    assert_accessible(page, "frameworks-06-version-upload")
    page.get_by_label("Upload the later version's file (.json)").set_input_files(str(edited))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Check the new version before it is added").wait_for()
    new_row = page.get_by_role("row").filter(has_text="Data is shared")
    assert "New" in new_row.inner_text()
    assert "Kept, reworded" in page.get_by_role("row").filter(has_text="stay together").inner_text()
    assert_accessible(page, "frameworks-07-version-preview")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "frameworks-08-version-preview-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Add version March 2026").focus()
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert (
        "March 2026) is now the version in use"
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    assert "Data is shared" in page.locator("main").inner_text()
    assert_accessible(page, "frameworks-09-version-added")
