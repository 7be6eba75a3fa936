"""Long jobs run in the background worker: issuing a report, PDFs, national imports."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from jobs import services as job_services
from jobs.models import Job
from jobs.selectors import job_is_stalled
from lacstrategy import roles
from lacstrategy.models import User
from reports import services
from reports.models import CommitteeReport

ROOT = Path(__file__).resolve().parents[1]
# Jobs wait in the queue and nothing runs them: what a site sees while its worker is stopped.
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def report(plan_records):
    return plan_records["report"]  # a draft


@pytest.mark.django_db
def test_issuing_runs_as_a_job_whose_page_says_what_happened(client, users, report):
    client.force_login(users["committee_officer"])
    response = client.post(reverse("reports:report_issue", args=[report.pk]))
    job = Job.objects.get(kind=Job.Kind.ISSUE_REPORT)
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.FINISHED and job.steps_done == job.steps_total == 4
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Report issued" in page and "Version 1 is issued" in page
    assert report.get_absolute_url() in page
    assert 'http-equiv="refresh"' not in page  # a finished job's page stops reloading
    report.refresh_from_db()
    assert report.is_issued and bytes(report.issued_pdf).startswith(b"%PDF")
    assert [row.history_change_reason for row in job.history.order_by("history_id")] == [
        f"Asked for: {job.title}",
        "Started by the background worker",
        "Finished",
    ]


@pytest.mark.django_db
@override_settings(TASKS=NO_WORKER)
def test_a_waiting_job_page_reloads_itself_and_a_double_click_starts_one_job(client, users, report):
    client.force_login(users["committee_officer"])
    first = client.post(reverse("reports:report_issue", args=[report.pk]))
    second = client.post(reverse("reports:report_issue", args=[report.pk]))
    assert (
        first["Location"] == second["Location"]
        and Job.objects.filter(kind=Job.Kind.ISSUE_REPORT).count() == 1
    )
    page = client.get(first["Location"]).content.decode()
    assert "Waiting to start" in page
    # It asks for itself again: with JavaScript in place, without it by a refresh in <noscript>
    # that the person can stop.
    assert "js/job-status.js" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    stopped = client.get(first["Location"] + "?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in stopped and "js/job-status.js" not in stopped


@pytest.mark.django_db
def test_the_database_allows_one_active_job_per_subject(users):
    fields = {"kind": Job.Kind.DOCUMENT, "subject": "pdf:plan:x", "requested_by": users["viewer"]}
    Job.objects.create(title="First", **fields)
    Job.objects.create(title="Done before", status=Job.Status.FINISHED, **fields)
    with pytest.raises(IntegrityError):
        Job.objects.create(title="Second", **fields)


@pytest.mark.django_db
def test_a_stalled_job_says_so_and_starts_again(client, users, report):
    client.force_login(users["committee_officer"])
    with override_settings(TASKS=NO_WORKER):
        job = services.report_issue_start(report=report, actor=users["committee_officer"])
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now()
        - datetime.timedelta(seconds=settings.JOB_STALLED_AFTER_SECONDS + 1),
    )
    job.refresh_from_db()
    assert job_is_stalled(job)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "stopped without finishing" in page and "Nothing was saved" in page
    assert 'http-equiv="refresh"' not in page

    response = client.post(reverse("jobs:job_retry", args=[job.pk]))
    again = Job.objects.filter(kind=Job.Kind.ISSUE_REPORT).exclude(pk=job.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == Job.Status.FINISHED
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert CommitteeReport.objects.get(pk=report.pk).is_issued


@pytest.mark.django_db
@override_settings(TASKS=NO_WORKER)
def test_a_job_waiting_long_for_a_worker_is_not_taken_for_stopped(client, users, report):
    client.force_login(users["committee_officer"])
    job = services.report_issue_start(report=report, actor=users["committee_officer"])
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALLED_AFTER_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(created_at=long_ago, heartbeat_at=long_ago)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The background worker may not be running" in page and "Start it again" not in page
    # Asking again does not queue the same work twice.
    assert services.report_issue_start(report=report, actor=users["administrator"]) == job


@pytest.mark.django_db
def test_a_double_click_that_races_past_the_first_look_still_starts_one_job(
    users, report, monkeypatch
):
    with override_settings(TASKS=NO_WORKER):
        first = services.report_issue_start(report=report, actor=users["committee_officer"])
        # The second request looked before the first had saved: the database has the last word.
        looks = iter([None, first])
        monkeypatch.setattr(job_services, "active_job_for", lambda subject: next(looks))
        second = services.report_issue_start(report=report, actor=users["committee_officer"])
    assert second == first and Job.objects.filter(kind=Job.Kind.ISSUE_REPORT).count() == 1


@pytest.mark.django_db
def test_a_finished_job_is_not_started_again_and_starting_again_needs_the_role(
    client, users, report
):
    officer = users["committee_officer"]
    finished = services.report_issue_start(report=report, actor=officer)
    client.force_login(officer)
    client.post(reverse("jobs:job_retry", args=[finished.pk]))
    assert Job.objects.filter(kind=Job.Kind.ISSUE_REPORT).count() == 1

    Job.objects.filter(pk=finished.pk).update(status=Job.Status.FAILED)
    officer.groups.remove(*officer.groups.filter(name=roles.COMMITTEE_OFFICER))
    officer.groups.add(*roles.role_groups([roles.VIEWER]))
    assert client.post(reverse("jobs:job_retry", args=[finished.pk])).status_code == 403


@pytest.mark.django_db
def test_long_titles_are_shortened_to_fit_not_refused(users, report):
    long_title = "A" * 300
    CommitteeReport.objects.filter(pk=report.pk).update(title=long_title)
    report.refresh_from_db()
    job = services.report_issue_start(report=report, actor=users["committee_officer"])
    job.refresh_from_db()
    assert job.status == Job.Status.FINISHED and job.title.endswith("…")
    pdf = services.document_pdf_start(document="report", record=report, actor=users["viewer"])
    pdf.refresh_from_db()
    assert pdf.status == Job.Status.FINISHED and len(pdf.result_label) <= 200


@pytest.mark.django_db
def test_a_job_that_fails_saves_nothing_and_says_so_without_a_500(client, users, report):
    client.force_login(users["committee_officer"])
    with mock.patch(
        "reports.documents.render_pdf", side_effect=RuntimeError("WeasyPrint fell over")
    ):
        response = client.post(reverse("reports:report_issue", args=[report.pk]))
    job = Job.objects.get(kind=Job.Kind.ISSUE_REPORT)
    assert job.status == Job.Status.FAILED and job.message == job_services.UNEXPECTED_FAILURE
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Start it again" in page.content.decode()
    report.refresh_from_db()
    assert not report.is_issued and report.issued_data is None and report.issued_pdf is None


@pytest.mark.django_db
def test_a_report_edited_while_it_was_being_issued_is_not_issued(users, report):
    def someone_edits(*args, **kwargs):
        fresh = CommitteeReport.objects.get(pk=report.pk)
        services.report_update(report=fresh, actor=users["administrator"], title="Renamed")
        return b"%PDF"

    with mock.patch("reports.documents.render_pdf", side_effect=someone_edits):
        job = services.report_issue_start(report=report, actor=users["committee_officer"])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "changed while the job ran" in job.message
    assert not CommitteeReport.objects.get(pk=report.pk).is_issued


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_made_outside_any_database_transaction(users, report):
    seen = []

    def render_pdf(template, context):
        seen.append(connection.in_atomic_block)
        return b"%PDF"

    with mock.patch("reports.documents.render_pdf", side_effect=render_pdf):
        job_services.job_run(
            job_id=Job.objects.create(
                kind=Job.Kind.ISSUE_REPORT,
                title="Issue",
                subject="issue-report:x",
                arguments={"report_id": report.pk},
                requested_by=users["committee_officer"],
            ).pk
        )
    assert seen == [False]
    assert CommitteeReport.objects.get(pk=report.pk).is_issued


@pytest.mark.django_db
def test_only_the_person_who_asked_or_an_administrator_sees_a_job(client, users, report):
    job = services.report_issue_start(report=report, actor=users["committee_officer"])
    for role, status in [("committee_officer", 200), ("administrator", 200), ("viewer", 403)]:
        client.force_login(users[role])
        assert client.get(job.get_absolute_url()).status_code == status, role


@pytest.mark.django_db
def test_a_national_file_is_imported_by_a_job(client, users, plan_records):
    client.force_login(users["administrator"])
    pending = plan_records["pending_import"]
    response = client.post(reverse("figures:import_preview", args=[pending.pk]))
    job = Job.objects.get(kind=Job.Kind.DFE_IMPORT)
    assert response["Location"] == job.get_absolute_url() and job.status == Job.Status.FINISHED
    assert job.message == "Imported 2 new and 1 revised figures from synthetic.csv."
    assert not type(pending).objects.filter(pk=pending.pk).exists()
    # The same confirmation again (a second tab) is told plainly, not given a 500.
    again = job_services.job_start(
        kind=Job.Kind.DFE_IMPORT,
        title="Again",
        subject=f"dfe-import:{pending.pk}",
        actor=users["administrator"],
        arguments={"pending_import_id": pending.pk},
    )
    again.refresh_from_db()
    assert again.status == Job.Status.FAILED
    assert again.message == "This upload has already been imported or discarded"


def _worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_job_saves_nothing_and_the_job_runs_again():
    if connection.vendor != "postgresql":
        pytest.skip("a second process shares the test database on PostgreSQL only")
    # The demo's Q2 report: its PDF takes long enough (over a second) to be killed while made.
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    report = CommitteeReport.objects.get(status="draft")
    officer = User.objects.get(username="committee")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "true",
        "TASKS_BACKEND": "database",
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@"
        f"{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        job = services.report_issue_start(report=report, actor=officer)
        worker = _worker(env)
        try:
            assert _wait_for(lambda: Job.objects.filter(pk=job.pk, step="Making the PDF").exists())
            os.killpg(worker.pid, signal.SIGKILL)  # the worker dies mid-job
            worker.wait(10)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        report.refresh_from_db()
        assert not report.is_issued and report.issued_data is None and report.issued_pdf is None
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and job.steps_done == 2

        with override_settings(JOB_STALLED_AFTER_SECONDS=0):
            again = job_services.job_retry(job=job, actor=officer)
        worker = _worker(env)
        try:
            assert _wait_for(
                lambda: Job.objects.filter(pk=again.pk, status=Job.Status.FINISHED).exists()
            )
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
    report.refresh_from_db()
    assert report.is_issued and bytes(report.issued_pdf).startswith(b"%PDF")
    assert report.history.filter(history_change_reason__startswith="Issued to").count() == 1
