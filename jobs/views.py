from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobs import selectors, services
from lacstrategy import permissions
from lacstrategy.downloads import attachment

# A running job's page asks for itself this often (static/js/job-status.js; without JavaScript,
# a refresh the person can stop).
REFRESH_SECONDS = 2


def job_detail(request, pk):
    job = selectors.job_detail(pk=pk)
    permissions.require(request.user, "jobs.view_job", job)
    stalled = selectors.job_is_stalled(job)
    follows = job.is_active and not stalled and request.GET.get("refresh") != "off"
    context = {
        "job": job,
        "stalled": stalled,
        "waiting_long": selectors.job_is_waiting_long(job),
        "refresh_seconds": REFRESH_SECONDS if follows else None,
        "breadcrumbs": [],
    }
    return render(request, "jobs/job_detail.html", context)


def job_file(request, pk):
    job = selectors.job_detail(pk=pk)
    permissions.require(request.user, "jobs.view_job", job)
    if not job.has_file:
        raise Http404("This job has no file")
    job = type(job).objects.only("file", "file_name").get(pk=job.pk)
    return attachment(bytes(job.file), job.file_name)


@require_POST
def job_retry(request, pk):
    job = selectors.job_detail(pk=pk)
    permissions.require(request.user, "jobs.start_again", job)
    return redirect(services.job_retry(job=job, actor=request.user))
