"""A refused write is a clear page that keeps what was typed, never the error page."""

from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from lacstrategy.services import EditConflict
from outcomes.models import Indicator
from reports import services as report_services
from reviews.models import OutcomeUpdate

pytestmark = pytest.mark.django_db


def test_two_chairs_accepting_at_once_get_a_clear_page_not_a_500(client, users, plan_records):
    update = plan_records["submitted_update"]
    client.force_login(users["chair"])
    with mock.patch(
        "reviews.services.update_accept", side_effect=EditConflict(update, update.version)
    ):
        response = client.post(reverse("reviews:update_accept", args=[update.pk]))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this at the same time" in page
    assert "your change was not saved" in page
    assert OutcomeUpdate.objects.get(pk=update.pk).status == "submitted"


def test_a_refusal_by_a_service_is_shown_with_what_was_typed(client, users, plan_records):
    from django.core.exceptions import ValidationError

    update = plan_records["submitted_update"]
    client.force_login(users["chair"])
    with mock.patch(
        "reviews.services.update_return",
        side_effect=ValidationError("This period is closed: reopen it first"),
    ):
        response = client.post(
            reverse("reviews:update_return", args=[update.pk]),
            {"comment": "Say how many children were visited out of area."},
            HTTP_REFERER=f"http://testserver{update.get_absolute_url()}",
        )
    page = response.content.decode()
    assert response.status_code == 400 and "This period is closed: reopen it first" in page
    assert "Say how many children were visited out of area." in page  # nothing typed is lost
    assert f'href="http://testserver{update.get_absolute_url()}"' in page


def test_the_second_half_of_a_double_click_refused_by_the_database_is_explained(
    client, users, plan_records
):
    report = plan_records["issued_report"]
    report_services.report_new_version(report=report, actor=users["committee_officer"])

    def the_other_click_made_it_first(**kwargs):
        with transaction.atomic():  # as every service is
            type(report).objects.create(
                period=report.period, number=3, previous=report, meeting_on=report.meeting_on
            )

    client.force_login(users["committee_officer"])
    with mock.patch.object(
        report_services, "report_new_version", side_effect=the_other_click_made_it_first
    ):
        response = client.post(reverse("reports:report_new_version", args=[report.pk]))
    assert response.status_code == 409
    assert "This was done at the same moment by someone else" in response.content.decode()


def test_a_database_refusal_that_is_not_a_double_click_is_a_bug_not_a_409(
    client, users, plan_records
):
    report = plan_records["issued_report"]
    client.force_login(users["committee_officer"])
    client.raise_request_exception = True
    not_null = IntegrityError("NOT NULL constraint failed: reports_report.period_id")
    with (
        mock.patch.object(report_services, "report_new_version", side_effect=not_null),
        pytest.raises(IntegrityError),
    ):
        client.post(reverse("reports:report_new_version", args=[report.pk]))


def test_a_page_that_only_reads_is_not_dressed_as_a_refused_write(client, users, plan_records):
    from django.core.exceptions import ValidationError

    client.force_login(users["viewer"])
    client.raise_request_exception = True
    with (
        mock.patch("lacstrategy.views.strategy_list", side_effect=ValidationError("bug")),
        pytest.raises(ValidationError),
    ):
        client.get(reverse("home"))


def test_a_refused_password_is_never_shown_back(client, users, plan_records):
    from django.core.exceptions import ValidationError

    update = plan_records["submitted_update"]
    client.force_login(users["chair"])
    with mock.patch("reviews.services.update_return", side_effect=ValidationError("Closed")):
        response = client.post(
            reverse("reviews:update_return", args=[update.pk]),
            {"comment": "Say how many were visited.", "password": "correct horse battery"},
        )
    page = response.content.decode()
    assert "Say how many were visited." in page and "correct horse" not in page


def test_the_database_keeps_one_adoption_of_a_standard_measure(plan_records):
    outcome = plan_records["outcome"]
    Indicator.objects.create(outcome=outcome, title="Stability", standard_code="stability")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(outcome=outcome, title="Stability", standard_code="stability")
    Indicator.objects.create(outcome=outcome, title="Local measure")  # no code: any number
    Indicator.objects.create(outcome=outcome, title="Another local measure")


def test_the_database_keeps_one_new_version_of_a_report(plan_records, users):
    # Two reports on one period are allowed (the same progress can go to another board), but a
    # version has one next version: a double-click on "new version" cannot make two.
    issued = plan_records["issued_report"]
    report_services.report_new_version(report=issued, actor=users["committee_officer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        type(issued).objects.create(
            period=issued.period, number=3, previous=issued, meeting_on=issued.meeting_on, title="x"
        )


@pytest.mark.parametrize("outcome", ["abc", "99999999999999999999999", ""])
def test_adopting_a_measure_for_no_real_outcome_is_a_message_not_a_500(client, users, outcome):
    client.force_login(users["administrator"])
    response = client.post(reverse("figures:adopt_standard"), {"outcome": outcome, "code": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("figures:library")


@pytest.mark.parametrize("length", [201, 255])
def test_an_upload_with_a_very_long_name_is_kept_under_a_shortened_name(
    client, users, plan_records, length
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from figures.models import PendingImport
    from tests.conftest import SYNTHETIC_CSV

    name = "n" * (length - 4) + ".csv"
    client.force_login(users["administrator"])
    upload = SimpleUploadedFile(name, SYNTHETIC_CSV.encode(), content_type="text/csv")
    indicator = plan_records["indicator"]
    response = client.post(reverse("figures:import_upload", args=[indicator.pk]), {"file": upload})
    assert response.status_code == 302
    stored = PendingImport.objects.latest("pk").file_name
    assert len(stored) == 200 and stored.endswith("….csv")


def test_a_co_owner_who_loses_the_submit_race_is_told_what_happened(client, users, plan_records):
    submitted = plan_records["submitted_update"]  # outcome 2's, owned by other_outcome_owner
    client.force_login(users["other_outcome_owner"])
    response = client.post(reverse("reviews:update_check", args=[submitted.pk]))
    page = response.content.decode()
    assert response.status_code == 403 and "This update has been submitted" in page
    assert "Your role does not allow this" not in page


def test_a_second_chair_deciding_an_update_already_decided_is_told_so(client, users, plan_records):
    draft = plan_records["draft_update"]  # not submitted, so not waiting for a decision
    client.force_login(users["chair"])
    response = client.post(reverse("reviews:update_accept", args=[draft.pk]))
    assert response.status_code == 403
    assert "not waiting for a decision" in response.content.decode()


def test_someone_without_the_role_is_still_told_it_is_their_role(client, users, plan_records):
    client.force_login(users["viewer"])
    response = client.post(reverse("reviews:update_accept", args=[plan_records["draft_update"].pk]))
    assert "Your role does not allow this" in response.content.decode()


def test_an_id_past_the_database_s_range_is_a_choice_not_offered(client, users, plan_records):
    """Anyone can post any id: on SQLite one past 64 bits raised OverflowError, a 500."""
    action = plan_records["action"]
    client.force_login(users["outcome_owner"])
    response = client.post(
        reverse("actionplans:action_edit", args=[action.pk]),
        {
            "lead_users": "99999999999999999999999",
            "priority_indicator": "99999999999999999999999",
            "description": "Visit every child placed out of area",
            "seen_version": action.version,
        },
    )
    assert response.status_code == 400
    assert "Select one of the" in response.content.decode()
    client.force_login(users["viewer"])
    changes = client.get(reverse("recent_changes"), {"person": "99999999999999999999999"})
    assert changes.status_code in (200, 400)


@pytest.mark.parametrize("odd_id", ["²", "١٢"])  # digits to str.isdigit(), not to int()
def test_an_id_of_other_digits_is_a_choice_not_offered(client, users, plan_records, odd_id):
    """The fuzzer found a superscript two in a list of people answering 500."""
    outcome = plan_records["outcome"]
    client.force_login(users["administrator"])
    response = client.post(
        reverse("outcomes:outcome_edit", args=[outcome.pk]),
        {"owners": odd_id, "priority_indicator": odd_id},
    )
    assert response.status_code == 400
