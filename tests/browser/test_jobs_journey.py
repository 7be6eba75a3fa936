"""A job's page while the worker is busy: it says so, stays accessible, and moves on to the
result by itself when the job ends, taking the focus to the news."""

import pytest
from django.test import override_settings

from jobs.models import Job
from jobs.services import job_run
from lacstrategy.demo import DEMO_PASSWORD
from reports.models import CommitteeReport
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_waiting_job_page_follows_the_job_to_its_end(new_page, demo_site):
    draft = CommitteeReport.objects.get(status="draft")
    page = new_page()
    sign_in(page, "committee", DEMO_PASSWORD)
    page.goto(draft.get_absolute_url())
    page.get_by_role("button", name="Issue version 1").click()
    page.get_by_text("Waiting to start").wait_for()
    assert page.get_by_role("status").count() == 1
    assert_accessible(page, "48-job-waiting")

    job_run(job_id=Job.objects.get(kind=Job.Kind.ISSUE_REPORT).pk)  # the worker's turn

    heading = page.get_by_role("heading", name="Report issued")
    heading.wait_for(timeout=20_000)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Report issued"
    assert page.url.endswith(f"/jobs/{Job.objects.get(kind=Job.Kind.ISSUE_REPORT).pk}/")
    assert_accessible(page, "49-job-done-in-place")
