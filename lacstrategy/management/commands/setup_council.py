"""A fresh installation's first step: the council's name and its first administrator.

    python manage.py setup_council                      (asks for each answer)
    python manage.py setup_council --no-input --name "Testshire County Council" \
        --username a.patel --full-name "Asha Patel" --job-title "Systems Officer" \
        --email a.patel@testshire.gov.uk        (password from ADMIN_PASSWORD)
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lacstrategy.models import Council
from lacstrategy.services import setup_council

QUESTIONS = [
    ("name", "The council's name (for example, Testshire County Council)"),
    ("service_name", "The service's name in the header"),
    ("username", "The first administrator's username (what they type to sign in)"),
    ("full_name", "Their full name"),
    ("job_title", "Their job title"),
    ("email", "Their work e-mail address"),
]


class Command(BaseCommand):
    help = "Set up a fresh installation: the council's name and its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="The council's name.")
        # The same default as Council settings, so that there is one.
        parser.add_argument(
            "--service-name", default=Council._meta.get_field("service_name").default
        )
        parser.add_argument("--username")
        parser.add_argument("--full-name")
        parser.add_argument("--job-title")
        parser.add_argument("--email")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Ask nothing: every answer comes from the options, the password from the "
            "ADMIN_PASSWORD environment variable.",
        )

    def handle(self, *args, **options):
        if Council.objects.exists():
            raise CommandError(
                f"This installation is already set up for {Council.objects.get()}. Change the "
                "council's names under People and roles > Council settings."
            )
        answers = {key: options.get(key) for key, _ in QUESTIONS}
        for key, question in QUESTIONS:
            if not answers[key]:
                if options["no_input"]:
                    raise CommandError(f"--{key.replace('_', '-')} is needed with --no-input")
                answers[key] = self._ask(question)
        password = os.environ.get("ADMIN_PASSWORD") or (
            None if options["no_input"] else self._ask_password()
        )
        if not password:
            raise CommandError("Set ADMIN_PASSWORD for the first administrator's password")
        administrator = {key: answers[key] for key in ("username", "full_name", "job_title")}
        administrator["email"] = answers["email"]
        self._check_password(password, administrator)
        if get_user_model().objects.filter(username=administrator["username"]).exists():
            raise CommandError(f"Someone already signs in as {administrator['username']}")
        try:
            council, person = setup_council(
                name=answers["name"],
                service_name=answers["service_name"],
                administrator={**administrator, "password": password},
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{council.service_name} is set up for {council}. {person} "
                f"({person.username}) can sign in as its administrator."
            )
        )

    def _ask(self, question):
        while True:
            answer = input(f"{question}: ").strip()
            if answer:
                return answer
            self.stderr.write("An answer is needed.")

    def _ask_password(self):
        while True:
            password = getpass.getpass("Their password: ")
            if password and password == getpass.getpass("The password again: "):
                return password
            self.stderr.write("The two passwords were not the same, or were empty.")

    def _check_password(self, password, administrator):
        try:
            validate_password(password, get_user_model()(**administrator))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
