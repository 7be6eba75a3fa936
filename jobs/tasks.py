from django_tasks import task

from jobs import services


@task()
def run_job(job_id):
    """The one task the background worker runs: a job's handler is chosen by its kind."""
    services.job_run(job_id=job_id)
