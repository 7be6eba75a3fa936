"""What a council's IT team relies on: the health check, the request log, a clean first install."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse

from lacstrategy import roles
from lacstrategy.models import Council, User
from lacstrategy.services import SYSTEM_USERNAME
from tests.conftest import council_form_defaults

pytestmark = pytest.mark.django_db

TESTSHIRE = [
    "--name",
    "Testshire County Council",
    "--username",
    "a.patel",
    "--full-name",
    "Asha Patel",
    "--job-title",
    "Systems Officer",
    "--email",
    "a.patel@testshire.example",
]


@override_settings(DEBUG=False, ALLOWED_HOSTS=["lacstrategy.example.org"], SECURE_SSL_REDIRECT=True)
def test_the_health_check_answers_a_load_balancer_without_a_sign_in(client):
    # By the server's address and over plain HTTP, as a load balancer asks.
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    # Every other page still insists on a known host.
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_the_health_check_says_when_the_database_does_not_answer(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


@override_settings(REQUEST_LOG=True)
def test_each_request_is_one_log_line_with_the_user_id_not_the_name(client, users, caplog):
    person = users["viewer"]
    client.force_login(person)
    with caplog.at_level(logging.INFO, logger="lacstrategy.requests"):
        client.get(reverse("outcomes:strategy_list") + "?q=a+child%27s+name")
    [record] = [r for r in caplog.records if r.name == "lacstrategy.requests"]
    assert record.getMessage().startswith("GET /strategies/ 200 ")
    assert record.getMessage().endswith(f"user={person.pk}")
    assert record.user_id == person.pk and record.status == 200 and record.duration_ms >= 0
    assert person.full_name not in record.getMessage() and "child" not in record.getMessage()


def test_setup_council_makes_the_council_and_a_named_first_administrator(client, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-and-unusual-passphrase")
    call_command("setup_council", "--no-input", *TESTSHIRE, stdout=io.StringIO())

    council = Council.objects.get()
    assert council.name == "Testshire County Council"
    assert council.service_name == "Corporate Parenting Strategy"  # no council's own name
    admin = User.objects.get(username="a.patel")
    assert admin.full_name == "Asha Patel" and admin.job_title == "Systems Officer"
    assert roles.user_roles(admin) == {roles.ADMINISTRATOR}
    created = admin.history.get()
    assert created.history_user.username == SYSTEM_USERNAME
    assert created.history_change_reason.startswith("First administrator")

    sign_in = {"username": "a.patel", "password": "a-long-and-unusual-passphrase"}
    assert client.post(reverse("login"), sign_in).status_code == 302
    page = client.get("/").content.decode()
    assert "Testshire County Council" in page and "Signed in as Asha Patel" in page
    assert "Nottinghamshire" not in page

    with pytest.raises(CommandError, match="already set up for Testshire County Council"):
        call_command("setup_council", "--no-input", *TESTSHIRE)


def test_setup_council_asks_for_what_it_was_not_given(monkeypatch):
    answers = iter(["Testshire County Council", "a.patel", "Asha Patel", "Officer", "a@t.example"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a-long-and-unusual-passphrase")
    call_command("setup_council", stdout=io.StringIO())
    assert Council.objects.get().name == "Testshire County Council"
    assert User.objects.get(username="a.patel").email == "a@t.example"


def test_setup_council_refuses_a_weak_password_and_saves_nothing(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("setup_council", "--no-input", *TESTSHIRE)
    assert not Council.objects.exists() and not User.objects.filter(username="a.patel").exists()


def test_a_fresh_install_names_no_council(client, users):
    client.force_login(users["administrator"])
    page = client.get("/").content.decode()
    assert "Nottinghamshire" not in page
    assert "The council's name is not set yet" in page


def test_an_administrator_changes_the_council_names_with_history(client, users):
    client.force_login(users["administrator"])
    url = reverse("council_settings")
    # The words used, as the form shows them to start with.
    words = council_form_defaults()  # as the form shows them
    response = client.post(
        url, {"name": "Testshire Council", "service_name": "Testshire Care Tracker", **words}
    )
    assert response.status_code == 302
    council = Council.objects.get()
    response = client.post(
        url,
        {
            "name": "Testshire County Council",
            "service_name": "Testshire Care Tracker",
            "seen_version": council.version,
            "change_reason": "Our full name",
            **words,
        },
    )
    page = client.get("/").content.decode()
    assert (
        "<title>Home - Testshire Care Tracker</title>" in page
        and "Testshire County Council" in page
    )
    assert [row.history_change_reason for row in Council.objects.get().history.all()] == [
        "Our full name",
        "Council settings changed",
    ]


def test_the_names_reach_the_reminder_emails(users, plan_records, mailoutbox):
    from lacstrategy.services import council_save
    from reviews.services import send_update_reminders

    council_save(
        actor=users["administrator"], name="Testshire", service_name="Testshire Care Tracker"
    )
    period = plan_records["period"]
    send_update_reminders(today=period.updates_due_on, actor=users["administrator"])
    assert mailoutbox and all("Testshire Care Tracker" in mail.body for mail in mailoutbox)
    assert all(mail.subject.startswith("Testshire Care Tracker:") for mail in mailoutbox)


def _run_with_settings(code, **env):
    """Python `code` after django.setup(), in a fresh process with `env` added: settings are
    read once, at start, as on a server."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "lacstrategy.settings", **env}
    program = f"import django\ndjango.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=Path(__file__).resolve().parents[1],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_log_format_json_writes_the_request_line_as_json():
    out = _run_with_settings(
        "import logging\n"
        "logging.getLogger('lacstrategy.requests').info('GET / 200 5ms user=3', "
        "extra={'user_id': 3, 'status': 200})",
        LOG_FORMAT="json",
    )
    line = json.loads(out.strip().splitlines()[-1])
    assert line["message"] == "GET / 200 5ms user=3" and line["user_id"] == 3


def test_error_reporting_is_off_by_default_and_sends_no_personal_data_when_on():
    check = "import sentry_sdk\nprint(sentry_sdk.get_client().is_active())"
    assert _run_with_settings(check).strip() == "False"
    options = _run_with_settings(
        "import json, sentry_sdk\no = sentry_sdk.get_client().options\n"
        "print(json.dumps([o['send_default_pii'], o['max_request_body_size'], "
        "o['include_local_variables'], o['traces_sample_rate']]))",
        SENTRY_DSN="https://public@sentry.invalid/1",
    )
    assert json.loads(options) == [False, "never", False, 0]


def test_a_session_left_alone_signs_out_and_the_sign_in_page_says_why(client, users):
    client.force_login(users["viewer"])
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] -= 31 * 60
    session.save()
    response = client.get("/strategies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fstrategies%2F&timed_out=1")
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert client.get("/").status_code == 302  # signed out for good


def test_text_typed_for_longer_than_the_timeout_is_shown_back_not_lost(client, users, plan_records):
    action = plan_records["action"]
    edit = reverse("actionplans:action_edit", args=[action.pk])
    client.force_login(users["outcome_owner"])
    assert client.get(edit).status_code == 200
    session = client.session
    session["last_seen"] -= 45 * 60  # typing a long progress note
    session.save()
    typed = "Every child placed out of area was visited twice this quarter."
    response = client.post(
        edit,
        {"description": typed, "seen_version": action.version},
        HTTP_REFERER=f"http://testserver{edit}",
    )
    page = response.content.decode()
    assert response.status_code == 401 and "You were signed out" in page
    assert "no-store" in response["Cache-Control"]  # it shows what was typed
    assert typed in page and "Sign in again" in page
    assert f"next=http%3A%2F%2Ftestserver{edit.replace('/', '%2F')}" in page
    action.refresh_from_db()
    assert typed != action.description


def test_signed_in_pages_and_downloads_are_not_stored_and_features_are_refused(
    client, users, plan_records
):
    client.force_login(users["viewer"])
    plan = plan_records["plan"]
    for url in ["/", reverse("reports:plan_xlsx", args=[plan.pk])]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "camera=()" in response["Permissions-Policy"], url


def test_hsts_covers_other_services_on_the_domain_only_when_asked():
    check = (
        "from django.conf import settings\n"
        "print(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"
    )
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    assert _run_with_settings(check, **production).split() == ["False", "False"]
    opted_in = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}
    assert _run_with_settings(check, **production, **opted_in).split() == ["True", "True"]


def test_sign_in_records_are_kept_for_a_year_then_forgotten():
    import datetime

    from axes.models import AccessFailureLog, AccessLog
    from django.utils import timezone

    for model in (AccessLog, AccessFailureLog):
        for days in (366, 364):
            row = model.objects.create(username=f"{days} days ago", ip_address="10.0.0.1")
            when = timezone.now() - datetime.timedelta(days=days)
            model.objects.filter(pk=row.pk).update(attempt_time=when)  # it is auto_now_add
    call_command("forget_old_sign_ins", stdout=io.StringIO())
    for model in (AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("username", flat=True)) == ["364 days ago"]


def test_the_privacy_notice_is_public_and_names_the_council_and_its_contact(client, users):
    from lacstrategy.services import council_save

    council_save(
        actor=users["administrator"],
        name="Testshire County Council",
        data_protection_contact="dpo@testshire.example",
    )
    page = client.get("/privacy/")  # not signed in
    text = page.content.decode()
    assert page.status_code == 200 and "run by Testshire County Council" in text
    assert "dpo@testshire.example" in text and "Sign-in records: 365 days." in text
    client.force_login(users["viewer"])
    assert 'href="/privacy/"' in client.get("/").content.decode()  # linked from every footer


@pytest.mark.parametrize("url", ["/accessibility/", "/help/", "/contact/"])
def test_the_accessibility_statement_help_and_contact_are_public_and_in_every_footer(
    client, users, url
):
    assert client.get(url).status_code == 200  # not signed in: a locked-out person needs help
    client.force_login(users["viewer"])
    assert f'href="{url}"' in client.get("/").content.decode()
