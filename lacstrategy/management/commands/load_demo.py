from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lacstrategy.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the Nottinghamshire 2015-18 strategy and 2016-17 action plan demo (safe to repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on-a-live-site",
            action="store_true",
            help="Load it even though DEBUG is off. The demo accounts share a published password.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["on_a_live_site"]:
            raise CommandError(
                "This looks like a live site (DEBUG is off). The demo creates accounts with a "
                "published password; add --on-a-live-site if you really mean it."
            )
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at http://127.0.0.1:8000 with:"))
        width = max(len(username) for username, _, _ in accounts)
        for username, name, role in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {name} ({role})")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
