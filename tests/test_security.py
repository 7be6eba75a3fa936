import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessFailureLog
from django.urls import reverse

from lacstrategy.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_login_page_is_the_only_page_open_to_anonymous_visitors(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_signed_in_user_on_the_login_page_goes_home(client, users):
    client.force_login(users["viewer"])
    assert client.get(reverse("login"))["Location"] == reverse("home")


def test_sign_out_is_a_post(client, users):
    client.force_login(users["viewer"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_works_and_repeated_failures_lock_the_account(client, settings):
    UserFactory(username="katie", password="the-right-password", roles=["Viewer"])
    login = reverse("login")
    response = client.post(login, {"username": "katie", "password": "the-right-password"})
    assert response.status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login, {"username": "katie", "password": "wrong"})
    assert response.status_code in (403, 429)
    assert b"Your account is locked" in response.content
    response = client.post(login, {"username": "katie", "password": "the-right-password"})
    assert b"Your account is locked" in response.content


def test_wrong_password_gets_a_govuk_error(client):
    UserFactory(username="sue", password="the-right-password")
    response = client.post(reverse("login"), {"username": "sue", "password": "nope"})
    assert b"govuk-error-summary" in response.content


def test_pages_send_a_content_security_policy_with_a_nonce(client, users):
    client.force_login(users["viewer"])
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def run_settings(env):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}} | env
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "lacstrategy.settings"},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DEBUG": "false"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_are_secure():
    code = (
        "from django.conf import settings as s;"
        "assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE and s.SECURE_SSL_REDIRECT;"
        "assert s.SECURE_HSTS_SECONDS >= 31536000"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env
        | {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 60,
            "DJANGO_SETTINGS_MODULE": "lacstrategy.settings",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_sign_ins_failures_and_locks_are_visible_to_administrators(client, settings, users):
    UserFactory(username="izzy", password="the-right-password", roles=["Viewer"])
    login = reverse("login")
    client.post(login, {"username": "izzy", "password": "the-right-password"})
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "izzy", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")

    client.force_login(users["administrator"])
    page = client.get(reverse("access_log")).content.decode()
    assert "Signed in" in page and "Signed out" in page and "Failed sign-in" in page
    assert "10.1.2.3" in page
    izzy = User.objects.get(username="izzy")
    assert "Locked out" in client.get(reverse("people_list")).content.decode()
    assert "This account is locked" in client.get(izzy.get_absolute_url()).content.decode()

    response = client.post(reverse("person_unlock", args=[izzy.pk]))
    assert response.status_code == 302
    assert "Locked out" not in client.get(reverse("people_list")).content.decode()
    assert izzy.history.latest().history_change_reason == "Unlocked after repeated failed sign-ins"
    client.post(reverse("logout"))
    signed_in = client.post(login, {"username": "izzy", "password": "the-right-password"})
    assert signed_in.status_code == 302


def test_a_sign_in_leaves_no_row_in_the_persons_change_history(client):
    person = UserFactory(username="pom", password="the-right-password", roles=["Viewer"])
    rows = person.history.count()
    client.post(reverse("login"), {"username": "pom", "password": "the-right-password"})
    person.refresh_from_db()
    assert person.last_login is not None
    assert person.history.count() == rows


def test_password_spraying_from_one_address_is_stopped(client, settings):
    """Many people's usernames, a few guesses each, from one address: the address is locked."""
    for number in range(settings.AXES_FAILURE_LIMIT + 2):
        UserFactory(username=f"person{number}", password="the-right-password", roles=["Viewer"])
    login = reverse("login")
    responses = [
        client.post(login, {"username": f"person{number}", "password": "Winter2026!"})
        for number in range(settings.AXES_FAILURE_LIMIT + 2)
    ]
    assert b"Your account is locked" in responses[-1].content
    assert b"Try again in 15 minutes" in responses[-1].content


def test_a_stranger_behind_the_proxy_cannot_lock_someone_else_out(client, settings):
    """Behind the council's reverse proxy, each person is told apart by the address the proxy
    adds, so guesses from elsewhere do not lock the real person out."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="admin2", password="the-right-password", roles=["Administrator"])
    login = reverse("login")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            login,
            {"username": "admin2", "password": "guess"},
            HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",  # a forged entry, then the real
            **proxy,
        )
    response = client.post(
        login,
        {"username": "admin2", "password": "the-right-password"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert response.status_code == 302 and b"locked" not in response.content


@pytest.mark.parametrize(
    ("forwarded", "seen_as"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.9:51234", "203.0.113.9"),  # some proxies add the port
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("not-an-address", "10.0.0.1"),  # refused: the proxy's own address instead
        ("", "10.0.0.1"),
    ],
)
def test_the_forwarded_address_is_an_address_or_it_is_not_used(rf, settings, forwarded, seen_as):
    from lacstrategy.request_log import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == seen_as


def test_a_forwarded_address_with_a_port_is_counted_as_a_wrong_password_not_a_500(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="sam", password="the-right-password", roles=["Viewer"])
    response = client.post(
        reverse("login"),
        {"username": "sam", "password": "guess"},
        HTTP_X_FORWARDED_FOR="203.0.113.9:51234",
    )
    assert response.status_code == 200
    assert AccessFailureLog.objects.get().ip_address == "203.0.113.9"


def test_a_live_site_must_say_how_many_proxies_stand_in_front(settings):
    from django.core.checks import run_checks

    settings.TRUSTED_PROXY_COUNT = None
    errors = [check.id for check in run_checks(include_deployment_checks=True)]
    assert "lacstrategy.E001" in errors
    settings.TRUSTED_PROXY_COUNT = -1  # would read the wrong end of X-Forwarded-For
    errors = [check.id for check in run_checks(include_deployment_checks=True)]
    assert "lacstrategy.E001" in errors
    settings.TRUSTED_PROXY_COUNT = 0
    errors = [check.id for check in run_checks(include_deployment_checks=True)]
    assert "lacstrategy.E001" not in errors


def test_a_person_changes_their_own_password(client):
    UserFactory(username="ruth", password="the-first-password", roles=["Viewer"])
    client.post(reverse("login"), {"username": "ruth", "password": "the-first-password"})
    url = reverse("password_change")
    page = client.get(url).content.decode()
    assert "Change your password" in page
    weak = {
        "old_password": "the-first-password",
        "new_password1": "password",
        "new_password2": "password",
    }
    response = client.post(url, weak)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    good = {
        "old_password": "the-first-password",
        "new_password1": "a-second-long-passphrase",
        "new_password2": "a-second-long-passphrase",
    }
    assert client.post(url, good)["Location"] == reverse("password_change_done")
    client.post(reverse("logout"))
    new = {"username": "ruth", "password": "a-second-long-passphrase"}
    assert client.post(reverse("login"), new).status_code == 302


def test_every_reason_a_new_password_is_refused_is_shown_under_one_id(client):
    """A field's errors are one message for aria-describedby: several reasons once wrote one
    paragraph each, all with the same id."""
    UserFactory(username="ruth", password="the-first-password", roles=["Viewer"])
    client.post(reverse("login"), {"username": "ruth", "password": "the-first-password"})
    weak = {"old_password": "the-first-password", "new_password1": "1234", "new_password2": "1234"}
    page = client.post(reverse("password_change"), weak).content.decode()
    assert page.count('id="new_password2-error"') == 1
    message = page.split('id="new_password2-error"')[1].split("</p>")[0]
    assert message.count("Error:") >= 2  # too short, too common, entirely numeric
    assert 'aria-describedby="new_password2-error"' in page


def test_a_forgotten_password_is_reset_by_e_mail_without_saying_who_has_an_account(
    client, mailoutbox
):
    UserFactory(username="omar", email="omar@testshire.example", password="lost", roles=["Viewer"])
    url = reverse("password_reset")
    assert "Forgotten your password?" in client.get(reverse("login")).content.decode()
    unknown = client.post(url, {"email": "nobody@testshire.example"})
    known = client.post(url, {"email": "omar@testshire.example"})
    assert unknown["Location"] == known["Location"] == reverse("password_reset_done")
    [mail] = mailoutbox  # only the real account gets one
    assert mail.to == ["omar@testshire.example"] and "reset your password" in mail.subject
    link = next(line for line in mail.body.splitlines() if "/accounts/password/reset/" in line)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    done = client.post(form_page.redirect_chain[-1][0], new)
    assert done["Location"] == reverse("password_reset_complete")
    signed_in = client.post(
        reverse("login"), {"username": "omar", "password": "a-new-long-passphrase"}
    )
    assert signed_in.status_code == 302

    client.post(reverse("logout"))
    used_again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in used_again and "Ask for a new link" in used_again
