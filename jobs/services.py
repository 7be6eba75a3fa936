"""Starting, running and finishing background jobs.

A job's own work is a handler in the app it belongs to (HANDLERS): it reads and renders outside
any transaction, reports its steps through `progress`, and saves its result in one transaction
at its end, so that a worker killed part-way leaves nothing half-saved.
"""

import dataclasses
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import Job
from jobs.selectors import active_job_for, job_is_stalled
from lacstrategy.services import EditConflict, save_record

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


def job_start(*, kind, title, subject, actor, arguments=None):
    """Queue a job, or give back the one already waiting or running for the same subject (a
    double-click, or two people asking at once)."""
    existing = active_job_for(subject)
    if existing is not None:
        if not job_is_stalled(existing):
            return existing
        _job_stop(existing, message=STALLED, reason="Stopped: no progress for too long")
    job = Job(kind=kind, title=title, subject=subject, arguments=arguments or {})
    try:
        save_record(job, actor=actor, reason=f"Asked for: {title}", requested_by=actor)
    except (ValidationError, IntegrityError):
        # The other request of a double-click queued it first.
        return active_job_for(subject) or Job.objects.get(subject=subject)
    _enqueue(job)
    return job


def job_retry(*, job, actor):
    """Start a stopped or failed job again, as a new job for the same work."""
    if job.is_active and not job_is_stalled(job):
        return job
    if job.is_active:
        _job_stop(job, message=STALLED, reason="Stopped: no progress for too long")
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
    job.refresh_from_db()
    save_record(
        job,
        actor=job.requested_by,
        reason="Finished",
        status=Job.Status.FINISHED,
        finished_at=timezone.now(),
        step="",
        steps_done=job.steps_total,
        **dataclasses.asdict(result),
    )
    logger.info("Job %s (%s) finished", job.pk, job.kind)


def job_progress(*, job, step, done, total):
    """Say what the job is doing now. Steps are not history: only the start and end are."""
    Job.objects.filter(pk=job.pk).update(
        step=step, steps_done=done, steps_total=total, heartbeat_at=timezone.now()
    )


def _job_stop(job, *, message, reason):
    job.refresh_from_db()
    save_record(
        job,
        actor=job.requested_by,
        reason=reason,
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        message=message,
    )
