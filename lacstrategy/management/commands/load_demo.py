from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lacstrategy.demo import DEFAULT_COUNCIL, DEMO_PASSWORD, DemoRefused, councils, load_demo


class Command(BaseCommand):
    help = (
        "Load a demo council's strategy, action plan and illustrative year so far (safe to "
        "repeat). The default is Nottinghamshire's 2015-18 strategy and 2016-17 action plan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--council",
            default=DEFAULT_COUNCIL,
            help=f"Which demo council: {', '.join(councils())} (default {DEFAULT_COUNCIL}). "
            "An installation holds one council.",
        )
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
        try:
            accounts = load_demo(options["council"])
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at http://127.0.0.1:8000 with:"))
        width = max(len(username) for username, _, _ in accounts)
        for username, name, role in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {name} ({role})")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
