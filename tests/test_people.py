import pytest
from django.urls import reverse

from lacstrategy import roles
from lacstrategy.models import User

pytestmark = pytest.mark.django_db


def test_administrator_adds_a_person_who_can_then_sign_in(client, users):
    client.force_login(users["administrator"])
    response = client.post(
        reverse("person_create"),
        {
            "full_name": "Terri Johnson",
            "username": "terri.johnson",
            "email": "terri.johnson@example.org",
            "job_title": "Safeguarding Children Manager (Strategic)",
            "roles": [roles.OUTCOME_OWNER, roles.STRATEGY_GROUP_MEMBER],
            "password": "a-long-enough-password",
        },
    )
    person = User.objects.get(username="terri.johnson")
    assert response["Location"] == person.get_absolute_url()
    assert person.role_names == [roles.OUTCOME_OWNER, roles.STRATEGY_GROUP_MEMBER]
    client.post(reverse("logout"))
    signed_in = client.post(
        reverse("login"), {"username": "terri.johnson", "password": "a-long-enough-password"}
    )
    assert signed_in["Location"] == reverse("home")


def test_a_weak_password_is_refused_with_a_clear_error(client, users):
    client.force_login(users["administrator"])
    response = client.post(
        reverse("person_create"),
        {
            "full_name": "A Person",
            "username": "a.person",
            "email": "a@example.org",
            "password": "123",
        },
    )
    assert response.status_code == 400
    assert b"This password is too short" in response.content
    assert not User.objects.filter(username="a.person").exists()


def test_changing_roles_is_in_the_history(client, users):
    person = users["viewer"]
    client.force_login(users["administrator"])
    client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "full_name": person.full_name,
            "username": person.username,
            "email": person.email,
            "is_active": "on",
            "roles": [roles.COMMITTEE_OFFICER],
            "change_reason": "Joined democratic services",
        },
    )
    person.refresh_from_db()
    assert person.role_names == [roles.COMMITTEE_OFFICER]
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Joined democratic services" in page
    assert "Roles" in page and "Viewer" in page and "Corporate Parenting Committee officer" in page


def test_closing_an_account_stops_sign_in_but_keeps_the_person(client, users):
    person = users["viewer"]
    client.force_login(users["administrator"])
    client.post(
        reverse("person_edit", args=[person.pk]),
        {"full_name": person.full_name, "username": person.username, "email": person.email},
    )
    person.refresh_from_db()
    assert not person.is_active
    assert "Cannot sign in" in client.get(reverse("people_list")).content.decode()


def test_an_administrator_names_the_chair_from_the_person_form(client, users):
    person = users["strategy_group_member"]
    client.force_login(users["administrator"])
    form_page = client.get(reverse("person_edit", args=[person.pk])).content.decode()
    assert "Chair of the Corporate Parenting Group" in form_page  # in the council's words
    client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "full_name": person.full_name,
            "username": person.username,
            "email": person.email,
            "is_active": "on",
            "is_chair": "on",
            "roles": [roles.STRATEGY_GROUP_MEMBER],
            "change_reason": "Elected chair",
        },
    )
    person.refresh_from_db()
    assert person.is_chair
    assert "Elected chair" in client.get(person.get_absolute_url()).content.decode()


def test_the_people_list_says_who_chairs(client, users):
    client.force_login(users["administrator"])
    page = client.get(reverse("people_list")).content.decode()
    assert page.count("Chairs the Corporate Parenting Group") == 1
    detail = client.get(reverse("person_detail", args=[users["chair"].pk])).content.decode()
    assert "Chairs the Corporate Parenting Group" in detail
