from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.services import jobs_prune
from lacstrategy.services import system_account


class Command(BaseCommand):
    help = (
        "Forget background jobs that ended more than --days days ago, their files, and the "
        "queue's record of the tasks that ran them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        count = jobs_prune(actor=system_account(), older_than_days=days)
        self.stdout.write(f"Forgot {count} jobs that ended more than {days} days ago")
        if settings.TASKS_BACKEND == "database":
            call_command("prune_db_task_results", min_age_days=days, stdout=self.stdout)
