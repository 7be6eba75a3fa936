from django.core.management.base import BaseCommand

from lacstrategy.services import system_account
from reviews.services import send_update_reminders


class Command(BaseCommand):
    help = (
        "E-mail outcome owners whose quarterly update is due soon, due today or overdue "
        "(copying the chair on overdue ones). Safe to run from cron daily: nothing is sent twice."
    )

    def handle(self, *args, **options):
        sent = send_update_reminders(actor=system_account())
        for reminder in sent:
            self.stdout.write(f"Sent: {reminder} to {reminder.sent_to}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent")
        )
