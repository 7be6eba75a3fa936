import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jobs.models import Job


def job_detail(*, pk):
    return get_object_or_404(Job.objects.select_related("requested_by").defer("file"), pk=pk)


def _quiet_for_too_long(moment, now=None):
    limit = datetime.timedelta(seconds=settings.JOB_STALLED_AFTER_SECONDS)
    return (now or timezone.now()) - moment > limit


def job_is_stalled(job, *, now=None):
    """Running, but not moved on for a while: its worker died part-way."""
    return job.status == Job.Status.RUNNING and _quiet_for_too_long(job.heartbeat_at, now)


def job_is_waiting_long(job, *, now=None):
    """Still waiting for a worker after a while: none is running, or all are busy."""
    return job.status == Job.Status.QUEUED and _quiet_for_too_long(job.created_at, now)


def active_job_for(subject):
    return Job.objects.filter(subject=subject, status__in=Job.ACTIVE).defer("file").first()
