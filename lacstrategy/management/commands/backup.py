from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from lacstrategy.backup import write_backup


class Command(BaseCommand):
    help = "Write every record, with its change history, to one .json.gz file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Default: backups/lacstrategy-<time>.json.gz")

    def handle(self, *args, path=None, **options):
        if path is None:
            Path("backups").mkdir(exist_ok=True)
            path = f"backups/lacstrategy-{timezone.now():%Y%m%d-%H%M%S}.json.gz"
        elif not path.endswith(".json.gz"):
            path += ".json.gz"
        count = write_backup(path)
        self.stdout.write(self.style.SUCCESS(f"Backed up {count} records to {path}"))
