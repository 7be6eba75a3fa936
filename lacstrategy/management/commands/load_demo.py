from django.core.management.base import BaseCommand

from lacstrategy.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the Nottinghamshire 2015-18 strategy and 2016-17 action plan demo (safe to repeat)."
    )

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at http://127.0.0.1:8000 with:"))
        width = max(len(username) for username, _, _ in accounts)
        for username, name, role in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {name} ({role})")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
