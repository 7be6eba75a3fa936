"""The sign-in records' retention: sign-ins, sign-outs and failed attempts older than --days
(default SIGN_IN_LOG_KEEP_DAYS, a year) are deleted. The daily jobs run it."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Delete sign-in, sign-out and failed sign-in records older than --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SIGN_IN_LOG_KEEP_DAYS)

    def handle(self, *args, days, **options):
        sign_ins = AxesProxyHandler.reset_logs(age_days=days)
        failures = AxesProxyHandler.reset_failure_logs(age_days=days)
        self.stdout.write(
            f"Deleted {sign_ins} sign-in and {failures} failed sign-in records older than "
            f"{days} days"
        )
