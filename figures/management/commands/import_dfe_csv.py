from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from figures import services
from lacstrategy.services import system_account
from outcomes.models import Indicator


class Command(BaseCommand):
    help = (
        "Import an indicator's England, regional and local authority figures from a DfE "
        "open-data CSV, using the indicator's import profile. All rows or none are saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("indicator", type=int, help="The indicator's number (its id)")
        parser.add_argument("path", help="The CSV file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change only")

    def handle(self, *args, indicator, path, dry_run, **options):
        indicator = Indicator.objects.filter(pk=indicator).first()
        if indicator is None:
            raise CommandError("There is no indicator with that number")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"There is no file {path}")
        actor = system_account()
        try:
            pending = services.pending_import_create(
                indicator=indicator, actor=actor, file_name=file.name, data=file.read_bytes()
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        preview = services.import_preview(
            indicator=indicator, text=pending.content, source=file.name
        )
        if preview.errors:
            services.pending_import_discard(pending=pending, actor=actor)
            raise CommandError("Nothing was saved:\n" + "\n".join(preview.errors))
        summary = (
            f"{len(preview.created)} new, {len(preview.revised)} revised, "
            f"{preview.unchanged} unchanged"
        )
        if dry_run:
            services.pending_import_discard(pending=pending, actor=actor)
            self.stdout.write(f"Dry run, nothing saved: {summary}")
            return
        services.import_apply(pending=pending, actor=actor)
        self.stdout.write(self.style.SUCCESS(f"Imported {file.name}: {summary}"))
