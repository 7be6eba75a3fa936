from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actionplans import services
from actionplans.models import ActionPlan
from actionplans.plan_import import plan_import_preview
from lacstrategy.services import system_account


class Command(BaseCommand):
    help = (
        "Import an action plan from the spreadsheet template (.xlsx or CSV), as the upload page "
        "does: rows are matched to the plan, and every change or none is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", type=int, help="The action plan's number (its id)")
        parser.add_argument("path", help="The .xlsx or CSV file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change only")
        parser.add_argument(
            "--as",
            dest="email",
            help="Import as this person (by e-mail), with their permissions; by default the "
            "system account imports",
        )

    def handle(self, *args, plan, path, dry_run, email, **options):
        plan = ActionPlan.objects.select_related("strategy").filter(pk=plan).first()
        if plan is None:
            raise CommandError("There is no action plan with that number")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"There is no file {path}")
        actor = system_account()
        if email:
            actor = get_user_model().objects.filter(email__iexact=email).first()
            if actor is None:
                raise CommandError(f"No one has the e-mail address {email}")
        data = file.read_bytes()
        # Someone who runs commands can change the database anyway; a named person's
        # permissions are checked as the upload page would.
        check = bool(email)
        if dry_run:
            preview = plan_import_preview(
                plan=plan, file_name=file.name, data=data, actor=actor, check_permissions=check
            )
            self._warn(preview)
            if preview.errors:
                raise CommandError("Nothing was saved:\n" + "\n".join(preview.errors))
        else:
            try:
                preview = services.plan_import_file(
                    action_plan=plan,
                    file_name=file.name,
                    data=data,
                    actor=actor,
                    check_permissions=check,
                )
            except ValidationError as error:
                if hasattr(error, "preview"):
                    self._warn(error.preview)
                raise CommandError("Nothing was saved:\n" + "\n".join(error.messages)) from error
            self._warn(preview)
        summary = (
            f"{preview.created_count} to add, {preview.updated_count} to change, "
            f"{preview.unchanged_count} already as the file has them"
        )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Imported {file.name}: {summary}"))
            return
        self.stdout.write(f"Dry run, nothing saved: {summary}")
        for planned in preview.writes:
            what = "Add" if planned.is_new else "Change"
            self.stdout.write(f"  Row {planned.row}: {what} {planned.kind} {planned.label!r}")

    def _warn(self, preview):
        for warning in preview.warnings:
            self.stderr.write(self.style.WARNING(warning))
