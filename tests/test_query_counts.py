"""The strategy and plan pages cost the same number of queries whatever the size of the plan."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actionplans import services
from tests.conftest import build_plan

pytestmark = pytest.mark.django_db

# Session and user, the user's roles, the council's names, then the page's own reads.
PLAN_PAGE_QUERIES = 14  # with each priority indicator's figures
STRATEGY_PAGE_QUERIES = 10
LIST_PAGE_QUERIES = 7
REPORT_QUERIES = 17  # every kind of record it reports on, and the council named in it


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (12, 40)])
def test_plan_page_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    client.force_login(users["strategy_group_member"])
    with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
        response = client.get(reverse("actionplans:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("app-plan-outcome__heading") == outcomes


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (12, 40)])
def test_strategy_page_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(STRATEGY_PAGE_QUERIES):
        response = client.get(reverse("outcomes:strategy_detail", args=[plan.strategy.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("extra_people", [1, 60])
def test_people_list_queries_do_not_grow(
    client, users, django_assert_max_num_queries, extra_people
):
    build_plan(outcomes=extra_people // 2 or 1, actions_per_outcome=2)  # owners are people too
    client.force_login(users["administrator"])
    with django_assert_max_num_queries(LIST_PAGE_QUERIES + 1):  # and who is locked out
        response = client.get(reverse("people_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("strategies", [1, 25])
@pytest.mark.parametrize("page", ["home", "outcomes:strategy_list"])
def test_home_and_strategy_list_queries_do_not_grow(
    client, users, django_assert_max_num_queries, strategies, page
):
    for _ in range(strategies):
        build_plan(outcomes=2, actions_per_outcome=2)
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (10, 30)])
def test_report_and_plan_document_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    from reports.models import CommitteeReport
    from reviews.models import ReviewPeriod

    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    period = ReviewPeriod.objects.create(
        action_plan=plan, quarter=1, updates_due_on="2016-07-14", meeting_on="2016-07-28"
    )
    report = CommitteeReport.objects.create(
        period=period, body="Corporate Parenting Sub-Committee", meeting_on="2016-09-12", title="Q1"
    )
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(REPORT_QUERIES):
        assert client.get(reverse("reports:report_print", args=[report.pk])).status_code == 200
    with django_assert_max_num_queries(REPORT_QUERIES):
        assert client.get(reverse("reports:plan_document", args=[plan.pk])).status_code == 200


SPREADSHEET_QUERIES = 9
IMPORT_QUERIES = 14  # the upload, then the plan's outcomes, indicators, actions and people


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (12, 40)])
def test_plan_spreadsheet_and_import_preview_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    client.force_login(users["administrator"])
    with django_assert_max_num_queries(SPREADSHEET_QUERIES):
        exported = client.get(reverse("actionplans:plan_spreadsheet", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(exported.content))["Action plan"]
    column = [cell.value for cell in sheet[1]].index("Status") + 1
    for (status,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        status.value = "Complete"  # every action changes
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    upload = services.plan_import_create(
        action_plan=plan, actor=users["administrator"], file_name="p.xlsx", data=buffer.getvalue()
    )
    with django_assert_max_num_queries(IMPORT_QUERIES):
        response = client.get(reverse("actionplans:plan_import_preview", args=[upload.pk]))
    assert response.status_code == 200
    assert response.context["preview"].updated_count == outcomes * actions_per_outcome


@pytest.mark.parametrize("plans", [1, 12])
def test_report_list_queries_do_not_grow(client, users, django_assert_max_num_queries, plans):
    from reports.models import CommitteeReport
    from reviews.models import ReviewPeriod

    for year in range(plans):
        plan = build_plan(outcomes=1, actions_per_outcome=2)
        for quarter in (1, 2):
            period = ReviewPeriod.objects.create(
                action_plan=plan,
                quarter=quarter,
                updates_due_on="2016-07-14",
                meeting_on="2016-07-28",
            )
            for number in (1, 2):
                CommitteeReport.objects.create(
                    period=period,
                    body="Committee",
                    meeting_on="2016-09-12",
                    title=f"Report {year}-{quarter}",
                    number=number,
                )
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get(reverse("reports:report_list"))
    assert response.content.decode().count("version 2") == plans * 2
