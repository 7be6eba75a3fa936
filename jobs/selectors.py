import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jobs.models import Job


def job_detail(*, pk):
    return get_object_or_404(Job.objects.select_related("requested_by").defer("file"), pk=pk)


def job_is_stalled(job, *, now=None):
    """Waiting or running, but not moved on for a while: its worker died or none is running."""
    if not job.is_active:
        return False
    limit = datetime.timedelta(seconds=settings.JOB_STALLED_AFTER_SECONDS)
    return (now or timezone.now()) - job.heartbeat_at > limit


def active_job_for(subject):
    return Job.objects.filter(subject=subject, status__in=Job.ACTIVE).defer("file").first()
