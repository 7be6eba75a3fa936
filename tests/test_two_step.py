"""Two-step sign-in: setting it up, signing in with it, backup codes, the council's requirement
for administrators, and an administrator removing someone's devices."""

from binascii import unhexlify

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lacstrategy import services, two_step
from lacstrategy.models import Council
from tests.conftest import council_form_defaults
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "the-right-password"


def code_for(key, *, steps_ahead=0):
    """The code an authenticator app with `key` shows now (or a time step later)."""
    return f"{totp(unhexlify(key), drift=steps_ahead):06d}"


def set_up(client, user):
    """Go through the set-up pages as `user`; return the device and the backup codes shown."""
    client.force_login(user)
    page = client.get(reverse("two_step_setup"))
    assert page.status_code == 200
    key = client.session[two_step.SETUP_KEY]
    response = client.post(reverse("two_step_setup"), {"code": code_for(key)})
    assert response["Location"] == reverse("two_step_backup_codes")
    codes = client.get(reverse("two_step_backup_codes")).context["codes"]
    return TOTPDevice.objects.get(user=user), codes


def sign_in(client, username, **extra):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, **extra)


@pytest.fixture
def person(db):
    return UserFactory(username="katie", password=PASSWORD, roles=["Viewer"])


def test_set_up_shows_a_qr_code_and_the_key_as_text_and_confirms_with_a_correct_code(
    client, person
):
    client.force_login(person)
    page = client.get(reverse("two_step_setup")).content.decode()
    key = client.session[two_step.SETUP_KEY]
    assert "<svg" in page and 'role="img"' in page
    assert two_step._key_text(key) in page  # for people who cannot scan
    assert not TOTPDevice.objects.exists()  # nothing is stored until a code confirms the app

    response = client.post(reverse("two_step_setup"), {"code": code_for(key)})

    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=person)
    assert device.confirmed and device.key == key
    assert two_step.SETUP_KEY not in client.session
    codes = client.get(reverse("two_step_backup_codes")).context["codes"]
    assert len(codes) == services.BACKUP_CODE_COUNT
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    # Shown once: the next visit offers to make new ones instead.
    assert client.get(reverse("two_step_backup_codes")).context["codes"] is None


def test_a_wrong_code_at_set_up_is_refused_with_a_govuk_error_and_nothing_saved(client, person):
    client.force_login(person)
    client.get(reverse("two_step_setup"))
    key = client.session[two_step.SETUP_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two_step_setup"), {"code": wrong})

    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "The code is not right" in page
    assert client.session[two_step.SETUP_KEY] == key  # the same key, so the app need not change
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()


def test_sign_in_asks_for_the_code_and_no_other_page_opens_until_it_is_given(client, person):
    device, _ = set_up(client, person)
    client.post(reverse("logout"))

    response = sign_in(client, "katie")
    assert response.status_code == 302
    for url in [reverse("home"), reverse("recent_changes"), reverse("two_step"), "/nowhere/"]:
        response = client.get(url)
        if response.status_code != 404:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("two_step_verify")), url
    page = client.get(reverse("two_step_verify"))
    assert page.status_code == 200 and "Enter your sign-in code" in page.content.decode()
    # Not signed in yet: no warning of a sign-out whose "stay signed in" could not work.
    assert "timeout-warning" not in page.content.decode()

    wrong = client.post(reverse("two_step_verify"), {"code": "000000", "next": "/changes/"})
    assert wrong.status_code == 400 and "govuk-error-summary" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the test need not wait out django-otp's throttle
    device.save()

    right = client.post(
        reverse("two_step_verify"),
        {"code": code_for(device.key, steps_ahead=1), "next": "/changes/"},
    )
    assert right["Location"] == "/changes/"
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_throttled_and_counts_towards_the_lock_out(client, person, settings):
    device, _ = set_up(client, person)
    client.post(reverse("logout"))
    sign_in(client, "katie")

    client.post(reverse("two_step_verify"), {"code": "000000"})
    # Straight away, even the right code waits: django-otp's throttling.
    response = client.post(reverse("two_step_verify"), {"code": code_for(device.key)})
    assert response.status_code == 400
    assert "Too many wrong codes. Wait 1 second" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # to reach axes' limit without waiting
    tries = 2
    while response.status_code == 400:
        response = client.post(reverse("two_step_verify"), {"code": "000000"})
        tries += 1
    assert tries == settings.AXES_FAILURE_LIMIT  # the throttled try counted as well
    assert b"Your account is locked" in response.content
    # axes keeps what was posted, with the codes masked as passwords are.
    attempt = AccessAttempt.objects.get(username="katie")
    assert "000000" not in attempt.post_data and code_for(device.key) not in attempt.post_data
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))  # signed out


def test_the_code_page_sends_someone_without_a_pending_step_on(client, person):
    client.force_login(person)
    assert client.get(reverse("two_step_verify"))["Location"] == reverse("home")


def test_a_backup_code_signs_in_once(client, person):
    _, codes = set_up(client, person)
    client.post(reverse("logout"))

    sign_in(client, "katie")
    response = client.post(reverse("two_step_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post(reverse("logout"))

    sign_in(client, "katie")
    again = client.post(reverse("two_step_verify"), {"code": codes[0]})
    assert again.status_code == 400
    assert client.get(reverse("home")).status_code == 302


def test_new_backup_codes_replace_the_old(client, person):
    _, old_codes = set_up(client, person)
    client.post(reverse("two_step_backup_codes"))
    new_codes = client.get(reverse("two_step_backup_codes")).context["codes"]
    assert len(new_codes) == services.BACKUP_CODE_COUNT
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    assert not set(old_codes) & set(new_codes)


def test_turning_it_off_asks_for_a_current_code(client, person):
    device, codes = set_up(client, person)
    refused = client.post(reverse("two_step_turn_off"), {"code": "000000"})
    assert refused.status_code == 400 and TOTPDevice.objects.exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()

    done = client.post(reverse("two_step_turn_off"), {"code": codes[1]})
    assert done["Location"] == reverse("two_step")
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    client.post(reverse("logout"))
    sign_in(client, "katie")
    assert client.get(reverse("home")).status_code == 200  # password alone now


def test_the_secret_key_is_never_in_the_history(client, person):
    device, _ = set_up(client, person)
    historical = TOTPDevice.history.model
    field_names = {f.name for f in historical._meta.fields}
    assert "key" not in field_names and "last_t" not in field_names
    row = TOTPDevice.history.get(id=device.pk)
    assert (row.history_user, row.history_change_reason) == (person, "Set up two-step sign-in")
    assert device.key not in str(list(historical.objects.values()))
    assert person.history.filter(history_change_reason="Turned on two-step sign-in").exists()


def test_signing_in_with_a_code_writes_no_history(client, person):
    device, _ = set_up(client, person)
    client.post(reverse("logout"))
    rows = TOTPDevice.history.count()
    sign_in(client, "katie")
    client.post(reverse("two_step_verify"), {"code": code_for(device.key, steps_ahead=1)})
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.history.count() == rows


@pytest.fixture
def admins_must(db):
    system = services.system_account()
    return services.council_save(actor=system, name="Testshire", admins_need_two_step=True)


def test_the_council_setting_is_on_the_council_settings_page(client, users):
    client.force_login(users["administrator"])
    page = client.get(reverse("council_settings")).content.decode()
    assert "Administrators must use two-step sign-in" in page
    words = council_form_defaults()  # as the form shows them
    data = {"name": "Testshire", "service_name": "LAC Strategy", "admins_need_two_step": "on"}
    assert client.post(reverse("council_settings"), data | words).status_code == 302
    assert Council.objects.get().admins_need_two_step


def test_an_administrator_without_a_device_must_set_it_up_when_the_council_requires(
    client, admins_must
):
    UserFactory(username="admin", password=PASSWORD, roles=["Administrator"])
    UserFactory(username="viewer", password=PASSWORD, roles=["Viewer"])

    sign_in(client, "viewer")
    assert client.get(reverse("home")).status_code == 200  # only administrators are asked
    client.post(reverse("logout"))

    sign_in(client, "admin")
    response = client.get(reverse("people_list"))
    assert response["Location"].startswith(reverse("two_step_setup"))
    assert client.get(reverse("two_step_setup")).status_code == 200
    assert "asks administrators" in client.get(reverse("two_step_setup")).content.decode()
    assert client.post(reverse("logout")).status_code == 302  # they can always sign out

    sign_in(client, "admin")
    client.get(reverse("two_step_setup"))
    key = client.session[two_step.SETUP_KEY]
    client.post(reverse("two_step_setup"), {"code": code_for(key)})
    assert client.get(reverse("people_list")).status_code == 200


def test_an_administrator_removes_a_person_s_devices_with_who_and_why(client, users, person):
    device, _ = set_up(client, person)
    admin = users["administrator"]
    client.force_login(admin)
    url = reverse("person_two_step_remove", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Why are you removing it?" in page.content.decode()
    assert "Remove" in client.get(person.get_absolute_url()).content.decode()

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Enter the reason" in refused.content.decode()
    assert TOTPDevice.objects.exists()

    response = client.post(url, {"reason": "Lost phone, checked by call-back"})
    assert response["Location"] == person.get_absolute_url()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    deleted = TOTPDevice.history.get(id=device.pk, history_type="-")
    assert deleted.history_user == admin
    assert deleted.history_change_reason == "Lost phone, checked by call-back"
    latest = person.history.latest()
    assert latest.history_user == admin
    assert latest.history_change_reason == (
        "Two-step sign-in removed: Lost phone, checked by call-back"
    )
    assert "Lost phone" in client.get(person.get_absolute_url()).content.decode()


def test_a_person_signing_in_after_their_device_was_removed_is_let_through(client, person):
    set_up(client, person)
    client.post(reverse("logout"))
    sign_in(client, "katie")
    services.two_step_remove(user=person, actor=person, reason="Lost phone")
    assert client.get(reverse("two_step_verify"))["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("odd", ["²²²²²²", "١٢٣٤٥٦", "a" * 41, "\x00", "   "])
def test_odd_codes_get_a_govuk_error_never_a_500(client, person, odd):
    set_up(client, person)
    client.post(reverse("logout"))
    client.force_login(person)
    assert client.post(reverse("two_step_verify"), {"code": odd}).status_code == 400
    client.post(reverse("logout"))
    other = UserFactory(username="sam", password=PASSWORD)
    client.force_login(other)
    client.get(reverse("two_step_setup"))
    assert client.post(reverse("two_step_setup"), {"code": odd}).status_code == 400
    assert not TOTPDevice.objects.filter(user=other).exists()
