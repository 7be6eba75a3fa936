"""Starting, running and finishing background jobs.

A job's own work is a handler in the app it belongs to (HANDLERS): it reads and renders outside
any transaction, reports its steps through `progress`, and saves its result in one transaction
at its end, so that a worker killed part-way leaves nothing half-saved.
"""

import dataclasses
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import Truncator

from jobs.models import Job
from jobs.selectors import active_job_for, job_is_stalled
from lacstrategy.selectors import council_read_once
from lacstrategy.services import EditConflict, delete_record, save_record

logger = logging.getLogger(__name__)

HANDLERS = {
    Job.Kind.ISSUE_REPORT: "reports.services.issue_report_job",
    Job.Kind.DOCUMENT: "reports.services.document_job",
    Job.Kind.DFE_IMPORT: "figures.services.dfe_import_job",
}

# What the person reads when a job fails in a way nobody foresaw; the details go to the log.
UNEXPECTED_FAILURE = (
    "Something went wrong and the job stopped. Nothing was saved. Start it again; if it stops "
    "again, tell the service's support team, who can see what happened in the logs."
)
STALLED = (
    "The job stopped without finishing, perhaps because the background worker was restarted. "
    "Nothing was saved."
)


@dataclasses.dataclass
class JobResult:
    """What a handler gives back: a sentence for the person and where to go next, or a file."""

    message: str
    result_url: str = ""
    result_label: str = ""
    file: bytes | None = None
    file_name: str = ""
    content_type: str = ""


def _fits(model_field, text):
    return Truncator(text).chars(Job._meta.get_field(model_field).max_length)


def job_start(*, kind, title, subject, actor, arguments=None):
    """Queue a job, or give back the one already waiting or running for the same subject (a
    double-click, or two people asking at once)."""
    existing = active_job_for(subject)
    if existing is not None:
        if not job_is_stalled(existing):
            return existing
        _job_stop_if_stalled(existing)
    job = Job(kind=kind, title=_fits("title", title), subject=subject, arguments=arguments or {})
    try:
        save_record(job, actor=actor, reason=f"Asked for: {job.title}", requested_by=actor)
    except (ValidationError, IntegrityError):
        # The other request of a double-click queued it between our look and our save.
        existing = active_job_for(subject)
        if existing is None:
            raise
        return existing
    _enqueue(job)
    return job


def job_retry(*, job, actor):
    """Start a job that failed or stalled again, as a new job for the same work. A job that
    finished, or is still moving, is left as it is."""
    if job.is_active and not job_is_stalled(job):
        return job
    if job.status == Job.Status.FINISHED:
        return job
    return job_start(
        kind=job.kind, title=job.title, subject=job.subject, actor=actor, arguments=job.arguments
    )


def _enqueue(job):
    # Imported here: the task module imports this one.
    from jobs.tasks import run_job

    run_job.enqueue(str(job.pk))


def job_run(*, job_id):
    """The worker's side: claim the job, run its handler, record how it ended."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            logger.info("Job %s is not waiting to run; nothing to do", job_id)
            return
        save_record(
            job,
            actor=job.requested_by,
            reason="Started by the background worker",
            status=Job.Status.RUNNING,
            started_at=timezone.now(),
            attempts=job.attempts + 1,
            heartbeat_at=timezone.now(),
        )
    logger.info("Job %s (%s) started", job.pk, job.kind)
    handler = import_string(HANDLERS[job.kind])

    def progress(step, done, total):
        job_progress(job=job, step=step, done=done, total=total)

    try:
        with council_read_once():  # a document asks for the council's words many times
            result = handler(job=job, progress=progress)
    except (ValidationError, EditConflict) as error:
        message = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else "The record changed while the job ran. Nothing was saved: start it again."
        )
        _job_stop(job, message=message, reason="Did not finish")
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _job_stop(job, message=UNEXPECTED_FAILURE, reason="Failed: see the log")
        raise
    _job_finish(job, result)
    logger.info("Job %s (%s) finished", job.pk, job.kind)


def job_progress(*, job, step, done, total):
    """Say what the job is doing now. Steps are not history: only the start and end are."""
    Job.objects.filter(pk=job.pk).update(
        step=step, steps_done=done, steps_total=total, heartbeat_at=timezone.now()
    )


@transaction.atomic
def _job_finish(job, result):
    job = Job.objects.select_for_update().get(pk=job.pk)
    save_record(
        job,
        actor=job.requested_by,
        reason="Finished",
        status=Job.Status.FINISHED,
        finished_at=timezone.now(),
        step="",
        steps_done=job.steps_total,
        message=result.message,
        result_url=result.result_url,
        result_label=_fits("result_label", result.result_label),
        file=result.file,
        file_name=_fits("file_name", result.file_name),
        content_type=result.content_type,
    )


@transaction.atomic
def _job_stop(job, *, message, reason):
    job = Job.objects.select_for_update().get(pk=job.pk)
    save_record(
        job,
        actor=job.requested_by,
        reason=reason,
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        message=message,
    )


@transaction.atomic
def _job_stop_if_stalled(job):
    """Mark a stalled job as stopped, unless its worker finished it in the meantime."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job_is_stalled(job):
        _job_stop(job, message=STALLED, reason="Stopped: no progress for too long")


@transaction.atomic
def jobs_prune(*, actor, older_than_days):
    """Forget jobs that ended long ago, and the files they made: the documents can be made
    again, and a PDF about children should not be kept longer than it is needed."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    ended = Job.objects.exclude(status__in=Job.ACTIVE).filter(created_at__lt=cutoff)
    count = 0
    for job in ended.defer("file"):
        delete_record(job, actor=actor, reason=f"Ended more than {older_than_days} days ago")
        count += 1
    return count
