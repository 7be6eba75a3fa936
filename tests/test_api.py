"""The records feed for reporting tools: tokens (issued, logged, revoked), the same rights as
the pages (a generated test over every list and role), a valid OpenAPI schema, cursor pages
with flat query counts, and CSV."""

import csv
import io

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import Action
from api.models import ApiCall, ApiToken
from api.services import token_issue, token_revoke
from lacstrategy import permissions
from lacstrategy.services import user_update
from tests.conftest import build_plan
from tests.test_permissions_matrix import EXPECTED, FEED

pytestmark = pytest.mark.django_db

# Each list of the feed, and the page that shows the same records: the feed allows whom the
# page allows.
SAME_RECORDS_AS = {
    "api:schema": "home",
    "api:plans": "actionplans:plan_detail",
    "api:actions": "actionplans:action_detail",
    "api:updates": "reviews:update_detail",
    "api:figures": "outcomes:indicator_detail",
    "api:framework_tags": "frameworks:framework_detail",
}


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_every_list_of_the_feed_is_covered():
    assert set(SAME_RECORDS_AS) == FEED


@pytest.mark.parametrize("name", sorted(FEED))
def test_each_role_reads_the_feed_as_it_reads_the_pages(client, users, plan_records, name):
    admin = users["administrator"]
    page_allows = EXPECTED[SAME_RECORDS_AS[name]][1]
    assert client.get(reverse(name)).status_code == 401  # no token
    for role, user in users.items():
        _, key = token_issue(user=user, name=f"{role} tool", actor=admin)
        response = client.get(reverse(name), **_bearer(key))
        expected = 200 if role in page_allows else 403
        assert response.status_code == expected, role
        assert permissions.allows(user, "lacstrategy.view_records") == (expected == 200)


def test_a_revoked_token_or_a_closed_account_reads_nothing(client, users, plan_records):
    admin, viewer = users["administrator"], users["viewer"]
    token, key = token_issue(user=viewer, name="Power BI dashboard", actor=admin)
    url = reverse("api:plans")
    assert client.get(url, **_bearer(key)).status_code == 200
    assert client.get(url, **_bearer(key + "x")).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key} extra").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="é x").status_code == 401  # not UTF-8

    token_revoke(token=token, actor=admin, reason="Dashboard retired")
    refused = client.get(url, **_bearer(key))
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Bearer"
    assert token.history.latest().history_change_reason == "Dashboard retired"

    _, other = token_issue(user=viewer, name="Excel", actor=admin)
    user_update(user=viewer, actor=admin, is_active=False, reason="Left the council")
    assert client.get(url, **_bearer(other)).status_code == 401


def test_every_call_is_logged_against_its_token(client, users, plan_records):
    token, key = token_issue(
        user=users["viewer"], name="Power BI dashboard", actor=users["administrator"]
    )
    client.get(reverse("api:actions") + "?plan=1", **_bearer(key))
    client.get(reverse("api:figures"), **_bearer(key))
    calls = list(ApiCall.objects.filter(token=token).order_by("pk"))
    assert [(c.path, c.status, c.user_id) for c in calls] == [
        ("/api/v1/actions/?plan=1", 200, users["viewer"].pk),
        ("/api/v1/figures/", 200, users["viewer"].pk),
    ]
    client.force_login(users["administrator"])
    page = client.get(reverse("api_token_detail", args=[token.pk])).content.decode()
    assert "/api/v1/figures/" in page and "In use" in page


def test_the_schema_is_valid_openapi(tmp_path, client, users, plan_records):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    assert {"/api/v1/plans/", "/api/v1/actions/", "/api/v1/framework-tags/"} <= set(schema["paths"])
    # The product serves it, to whom may read the records.
    client.force_login(users["viewer"])
    assert client.get(reverse("api:schema")).status_code == 200


def test_pages_follow_a_cursor_to_the_end_and_csv_is_the_whole_list(client, users):
    plan = build_plan(outcomes=3, actions_per_outcome=7)
    _, key = token_issue(user=users["viewer"], name="Power BI", actor=users["administrator"])
    url, seen = reverse("api:actions") + f"?plan={plan.pk}&page_size=5", []
    while url:
        data = client.get(url, **_bearer(key)).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
    in_plan = Action.objects.filter(priority_indicator__action_plan=plan).count()
    assert in_plan > 10 and len(seen) == in_plan and seen == sorted(set(seen))

    answer = client.get(reverse("api:actions"), {"plan": plan.pk, "format": "csv"}, **_bearer(key))
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert len(rows) == in_plan and {"id", "description", "status", "framework_items"} <= set(
        rows[0]
    )
    # A filter no record matches lists nothing, whatever it says.
    for odd in ("not-a-number", "²", "9" * 30):
        none = client.get(reverse("api:actions"), {"plan": odd}, **_bearer(key))
        assert none.status_code == 200 and none.json()["results"] == []


def test_figures_stay_numbers_in_json_and_csv(client, users, plan_records):
    figure = plan_records["indicator"].figures.first()
    type(figure).objects.filter(pk=figure.pk).update(value="-0.30")
    _, key = token_issue(user=users["viewer"], name="Excel", actor=users["administrator"])
    data = client.get(reverse("api:figures"), **_bearer(key)).json()["results"]
    assert [row["value"] for row in data if row["id"] == figure.pk] == [-0.3]
    answer = client.get(reverse("api:figures"), {"format": "csv"}, **_bearer(key))
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert [row["value"] for row in rows if row["id"] == str(figure.pk)] == ["-0.30"]


def test_a_csv_cell_never_runs_as_a_formula(client, users, plan_records):
    action = plan_records["action"]
    type(action).objects.filter(pk=action.pk).update(description='=HYPERLINK("http://x")')
    _, key = token_issue(user=users["viewer"], name="Excel", actor=users["administrator"])
    answer = client.get(reverse("api:actions"), {"format": "csv"}, **_bearer(key))
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    descriptions = {row["id"]: row["description"] for row in rows}
    assert descriptions[str(action.pk)] == '\'=HYPERLINK("http://x")'


def test_an_administrator_issues_a_token_shown_once_then_revokes_it(client, users):
    viewer = users["viewer"]
    client.force_login(users["administrator"])
    url = reverse("api_token_create", args=[viewer.pk])
    assert client.post(url, {"name": ""}).status_code == 400
    answer = client.post(url, {"name": "Power BI dashboard"})
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    key = answer.context["key"]
    token = ApiToken.objects.get(name="Power BI dashboard")
    assert key not in str(token.__dict__)  # only its hash is kept
    assert key not in client.get(reverse("api_token_detail", args=[token.pk])).content.decode()
    assert client.get(reverse("api:plans"), **_bearer(key)).status_code == 200
    # A second click on "Issue the token" adds no second key that nobody saw.
    again = client.post(url, {"name": "Power BI dashboard"})
    assert again.status_code == 400
    assert "already has a token in use for this" in again.content.decode()
    assert ApiToken.objects.filter(name="Power BI dashboard").count() == 1
    client.post(reverse("api_token_revoke", args=[token.pk]))
    client.post(reverse("api_token_revoke", args=[token.pk]))  # a double click
    assert ApiToken.objects.get(pk=token.pk).history.count() == 2
    assert client.get(reverse("api:plans"), **_bearer(key)).status_code == 401
    # Once revoked, a new token for the same purpose can be issued.
    assert client.post(url, {"name": "Power BI dashboard"}).status_code == 200


@pytest.mark.parametrize("name", sorted(FEED - {"api:schema"}))
@pytest.mark.parametrize("page_size", [5, 50])
def test_feed_queries_do_not_grow_with_the_page(
    client, users, django_assert_max_num_queries, name, page_size
):
    build_plan(outcomes=6, actions_per_outcome=10)
    _, key = token_issue(user=users["viewer"], name="Power BI", actor=users["administrator"])
    with django_assert_max_num_queries(FEED_QUERIES):
        answer = client.get(reverse(name), {"page_size": page_size}, **_bearer(key))
    assert answer.status_code == 200


# The token with its person, the roles, the page with its prefetches (leads and tags), and
# the log row of the call.
FEED_QUERIES = 7
