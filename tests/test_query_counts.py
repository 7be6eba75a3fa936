"""The strategy and plan pages cost the same number of queries whatever the size of the plan."""

import datetime
import io
from collections import Counter
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import _user_has_perm
from django.db.models.signals import post_init
from django.urls import URLResolver, reverse
from openpyxl import load_workbook

from actionplans import services
from actionplans.models import Action, PriorityIndicator
from figures.models import IndicatorFigure
from lacstrategy import roles
from lacstrategy.roles import role_groups
from outcomes.models import Commitment, OutcomeGroup, Strategy, StrategySection
from reports.models import CommitteeReport
from tests.conftest import build_plan
from tests.factories import ActionFactory, IndicatorFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

# Session and user, the user's roles, the council's names, then the page's own reads.
# With each priority indicator's latest two figures and its sparkline's values, the outcomes
# of each action's other priorities, and the commitments with no action.
# The filter's choices of outcome and owner come from the outcomes read for the sections, which
# share the plan's strategy, as does its change history.
# With the records' version (page_cache).
PLAN_PAGE_QUERIES = 16
STRATEGY_PAGE_QUERIES = 13  # with its groups, sections and outcomes' commitments
LIST_PAGE_QUERIES = 7
# Every kind of record it reports on, what changed in the plan up to the moment it describes,
# and the council named in it. (Before reports described the records now, this test drew an
# empty report as at a past meeting, with fewer queries.)
REPORT_QUERIES = 29
# The updates with their entries, each priority's figures, the plan's changes from the history
# and the committee report's exceptions. The same on SQLite and PostgreSQL: states_at is one
# query on both, at each end of the period.
DASHBOARD_QUERIES = 29


def add_figures(plan, count):
    """`count` yearly figures for each of the plan's priority indicators."""
    for priority in plan.priority_indicators.all():
        IndicatorFigure.objects.bulk_create(
            IndicatorFigure(
                indicator_id=priority.indicator_id,
                period_label=str(1990 + year),
                period_end=datetime.date(1990 + year, 3, 31),
                value=50 + year % 7,
            )
            for year in range(count)
        )


@pytest.mark.parametrize("outcomes,actions_per_outcome,figures_each", [(1, 2, 2), (6, 20, 30)])
def test_plan_page_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome, figures_each
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    add_figures(plan, figures_each)
    client.force_login(users["strategy_group_member"])
    built = Counter()

    def count(sender, **kwargs):
        built[sender] += 1

    post_init.connect(count)
    try:
        with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
            response = client.get(reverse("actionplans:plan_detail", args=[plan.pk]))
    finally:
        post_init.disconnect(count)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("app-plan-outcome__heading") == outcomes
    # Only the latest two figures an indicator are read as records; the sparklines are drawn in
    # the page, not fetched one request each.
    priorities = outcomes * 2
    assert built[IndicatorFigure] <= 2 * priorities
    assert page.count('class="app-trend"') == priorities
    assert "trend.svg" not in page


def test_plan_page_reverses_urls_and_checks_permissions_by_outcome_not_by_action(client, users):
    """reverse() and the permission rules cost the same for 2 actions an outcome as for 40."""
    calls = {}
    for actions_per_outcome in (2, 40):
        plan = build_plan(outcomes=2, actions_per_outcome=actions_per_outcome)
        client.force_login(users["outcome_owner"])
        url = reverse("actionplans:plan_detail", args=[plan.pk])
        with (
            mock.patch.object(
                URLResolver,
                "_reverse_with_prefix",
                autospec=True,
                side_effect=URLResolver._reverse_with_prefix,
            ) as reversing,
            mock.patch(
                "django.contrib.auth.models._user_has_perm", side_effect=_user_has_perm
            ) as checking,
        ):
            response = client.get(url)
        assert response.status_code == 200
        calls[actions_per_outcome] = (reversing.call_count, checking.call_count)
    assert calls[2] == calls[40]


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
def test_filtered_plan_page_queries_do_not_grow(
    client, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    owner = plan.strategy.outcomes.first().owners.first()  # leads actions, owns an outcome
    owner.groups.add(*role_groups([roles.OUTCOME_OWNER]))
    client.force_login(owner)
    filters = {"mine": "on", "status": ["not_started", "on_track"], "rag": ["not_rated", "red"]}
    # Filtered in the same queries; the commitments with no action and the history are left out.
    with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
        response = client.get(reverse("actionplans:plan_detail", args=[plan.pk]), filters)
    assert response.status_code == 200
    assert response.context["matches"]() == actions_per_outcome


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
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
    # The home page's task list reads the open periods, decisions and actions (two more).
    with django_assert_max_num_queries(LIST_PAGE_QUERIES + (2 if page == "home" else 0)):
        assert client.get(reverse(page)).status_code == 200


# The task list: the open periods, my outcomes in them and my updates, the updates waiting for
# a decision (the oldest few, and how many in all), my actions at risk; for administrators,
# what is not set up. (An administrator's decisions also ask whether anyone chairs: one
# query.) Not every plan's outcomes, owners, updates and reminders: home reads what it shows.
# (My actions at risk: their ids first, then those actions, so that the database does not read
# every action at risk to find mine.)
HOME_QUERIES = {"owner": 13, "chair": 13, "administrator": 18}


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
@pytest.mark.parametrize("who", ["owner", "chair", "administrator"])
def test_home_task_list_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome, who
):
    from reviews.models import OutcomeUpdate, ReviewPeriod

    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    period = ReviewPeriod.objects.create(
        action_plan=plan, quarter=1, updates_due_on="2016-07-14", meeting_on="2016-07-28"
    )
    owner = users["outcome_owner"]
    for number, outcome in enumerate(plan.strategy.outcomes.all()):
        outcome.owners.add(owner)
        OutcomeUpdate.objects.create(
            period=period,
            outcome=outcome,
            status=["submitted", "returned", "draft"][number % 3],
            decided_by=users["chair"],
        )
        OutcomeFactory(strategy=plan.strategy, number=100 + number)  # with no owner yet
    Action.objects.filter(priority_indicator__action_plan=plan).update(rag="red")
    if who == "administrator":  # decisions wait for an administrator when nobody chairs
        get_user_model().objects.filter(is_chair=True).update(is_chair=False)
    user = {"owner": owner, "chair": users["chair"], "administrator": users["administrator"]}
    client.force_login(user[who])
    with django_assert_max_num_queries(HOME_QUERIES[who]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    if who == "owner":
        assert page.count('app-home-action"') == outcomes * actions_per_outcome
    else:
        assert page.count('app-home-decision"') == len(range(0, outcomes, 3))


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (5, 16)])
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


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
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
    # Strategies, their plans, quarters and each one's reports: annual, quarterly, the others.
    with django_assert_max_num_queries(LIST_PAGE_QUERIES + 3):
        response = client.get(reverse("reports:report_list"))
    assert response.content.decode().count("version 2") == plans * 2


def build_shaped_plan(*, outcomes, actions_per_outcome):
    """A plan in the other councils' shapes: outcomes of both kinds under groups, with
    commitments, a plan heading, numbered actions that also serve other priorities and
    deliver commitments, and priorities that say where they came from."""
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    strategy = plan.strategy
    strategy.status, strategy.version_label = "draft", "Draft v3"
    strategy.save()
    StrategySection.objects.create(strategy=strategy, heading="Our approach", body="A\n\nB")
    groups = [
        OutcomeGroup.objects.create(strategy=strategy, number=n, title=f"G{n}", description="D")
        for n in (101, 102)  # after build_plan's own groups
    ]
    priorities = list(PriorityIndicator.objects.filter(action_plan=plan))
    PriorityIndicator.objects.filter(action_plan=plan).update(
        origin="survey", survey_rating="red", rationale="Why"
    )
    for index, outcome in enumerate(strategy.outcomes.all()):
        outcome.group = groups[index % 2]
        outcome.kind = ("delivery", "outcome")[index % 2]
        outcome.save()
        Commitment.objects.create(outcome=outcome, text="We will listen")
        Commitment.objects.create(outcome=outcome, text="We will act")
    heading = OutcomeFactory(strategy=strategy, number=outcomes + 1, kind="heading")
    heading_priority = PriorityIndicator.objects.create(
        action_plan=plan, indicator=IndicatorFactory(outcome=heading)
    )
    ActionFactory(priority_indicator=heading_priority, reference="H1")
    for number, action in enumerate(Action.objects.filter(priority_indicator__action_plan=plan)):
        action.reference = str(number + 1)
        action.save()
        action.also_serves.set(priorities[:3])
        action.commitments.set(
            Commitment.objects.filter(outcome__indicators=action.priority_indicator.indicator_id)[
                :1
            ]
        )
    return plan


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (5, 16)])
def test_documents_of_other_shapes_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_shaped_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    client.force_login(users["viewer"])
    pages = {}
    for name, pk in [
        ("reports:plan_document", plan.pk),
        ("reports:plan_docx", plan.pk),
        ("reports:plan_xlsx", plan.pk),
        ("reports:strategy_document", plan.strategy.pk),
        ("reports:strategy_docx", plan.strategy.pk),
    ]:
        with django_assert_max_num_queries(REPORT_QUERIES):
            response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200
        pages[name] = response.content
    plan_page = pages["reports:plan_document"].decode()
    assert plan_page.count("Also serves: ") == outcomes * actions_per_outcome + 1  # and H1
    assert "Delivery outcome 1" in plan_page and "Commitments with no action" in plan_page


@pytest.mark.parametrize("outcomes,actions_per_outcome,grouped", [(1, 2, False), (6, 20, True)])
def test_strategy_approval_and_annual_reports_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome, grouped
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    strategy = plan.strategy
    if grouped:  # numbered within each group: every outcome's number needs its group
        Strategy.objects.filter(pk=strategy.pk).update(outcome_numbering="group")
        for number, outcome in enumerate(strategy.outcomes.filter(group=None), start=100):
            group = OutcomeGroup.objects.create(strategy=strategy, number=number, title="Group")
            outcome.group = group
            outcome.save()
    approval, annual = (
        CommitteeReport.objects.create(
            report_type=report_type,
            strategy=strategy,
            action_plan=plan,
            body="Committee",
            meeting_on="2016-09-12",
            title=report_type,
        )
        for report_type in ("approval", "annual")
    )
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(APPROVAL_QUERIES):
        response = client.get(reverse("reports:report_print", args=[approval.pk]))
    assert response.content.decode().count("<tr>") == 2 * outcomes + outcomes  # with headers
    with django_assert_max_num_queries(ANNUAL_QUERIES):
        assert client.get(reverse("reports:report_print", args=[annual.pk])).status_code == 200


# The report and its strategy and plan, the outcomes with their numbers, then the priorities
# (an annual report: the actions, the next plans and the indicators with their figures, and
# the national frameworks part by part with what is tagged with each, and the year's "You said,
# we did": eleven more).
APPROVAL_QUERIES = 11
ANNUAL_QUERIES = APPROVAL_QUERIES + 11


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
def test_dashboard_queries_do_not_grow_with_figures_entries_and_changes(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    import datetime

    from figures.models import IndicatorFigure
    from reviews.models import ActionUpdate, IndicatorUpdate, OutcomeUpdate, ReviewPeriod

    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    period = ReviewPeriod.objects.create(
        action_plan=plan, quarter=1, updates_due_on="2016-07-14", meeting_on="2016-07-28"
    )
    in_the_quarter = datetime.datetime(2016, 5, 2, tzinfo=datetime.UTC)
    for priority in PriorityIndicator.objects.filter(action_plan=plan).select_related("indicator"):
        for year in (2015, 2016):
            IndicatorFigure.objects.create(
                indicator=priority.indicator,
                period_label=str(year),
                period_end=datetime.date(year, 3, 31),
                value=60 + year % 10,
            )
    for outcome in plan.strategy.outcomes.all():
        update = OutcomeUpdate.objects.create(period=period, outcome=outcome, status="submitted")
        for priority in PriorityIndicator.objects.filter(
            action_plan=plan, indicator__outcome=outcome
        ):
            IndicatorUpdate.objects.create(
                outcome_update=update, priority_indicator=priority, value=62
            )
            for action in priority.actions.all():
                ActionUpdate.objects.create(
                    outcome_update=update, action=action, status="on_track", rag="amber"
                )
    for action in Action.objects.filter(priority_indicator__action_plan=plan):
        services.action_update(
            action=action, actor=users["administrator"], recorded_at=in_the_quarter, rag="red"
        )
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(period.get_absolute_url())
    assert response.status_code == 200
    assert (
        response.content.decode().count('app-bar__fill--amber" width="100"') == 1
    )  # as the entries rate them


@pytest.mark.parametrize("outcomes", [1, 8])
def test_a_report_s_charts_and_their_tables_cost_no_query_each(
    client, users, django_assert_max_num_queries, outcomes
):
    """Every priority charted with four years of figures and England's: the print view and the
    Word file read them in the same queries whatever the number of charts."""
    import datetime

    from figures.models import BenchmarkFigure, IndicatorFigure
    from reviews.models import ReviewPeriod

    plan = build_plan(outcomes=outcomes, actions_per_outcome=2)
    for priority in PriorityIndicator.objects.filter(action_plan=plan):
        for year in range(2013, 2017):
            end = datetime.date(year, 3, 31)
            IndicatorFigure.objects.create(
                indicator=priority.indicator, period_label=str(year), period_end=end, value=60
            )
            BenchmarkFigure.objects.create(
                indicator=priority.indicator,
                level="national",
                area_code="E92000001",
                area_name="England",
                period_label=str(year),
                period_end=end,
                value=62,
            )
    period = ReviewPeriod.objects.create(
        action_plan=plan, quarter=1, updates_due_on="2016-07-14", meeting_on="2016-07-28"
    )
    report = CommitteeReport.objects.create(
        period=period, body="Committee", meeting_on=datetime.date.today(), title="Q1"
    )
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(REPORT_QUERIES):
        page = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert page.count('class="doc-chart-table"') == 2 * outcomes
    with django_assert_max_num_queries(REPORT_QUERIES):
        assert client.get(reverse("reports:report_docx", args=[report.pk])).status_code == 200


# Session and user, the user's roles and the council's names and contact: nothing grows.
CHROME_PAGE_QUERIES = 6


@pytest.mark.parametrize("url", ["/accessibility/", "/help/", "/contact/"])
@pytest.mark.parametrize("outcomes", [1, 12])
def test_the_statement_help_and_contact_pages_cost_the_same_queries(
    client, users, django_assert_max_num_queries, url, outcomes
):
    build_plan(outcomes=outcomes, actions_per_outcome=2)
    client.force_login(users["administrator"])
    with django_assert_max_num_queries(CHROME_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# Session, user, roles and the council's names; the period, outcome and its owners, the
# priorities and actions, and this quarter's and last quarter's updates with their entries;
# what children and young people said about the outcome this year.
UPDATE_FORM_QUERIES = 18


@pytest.mark.parametrize("actions_per_outcome", [2, 40])
def test_update_form_and_check_page_queries_do_not_grow(
    client, users, django_assert_max_num_queries, actions_per_outcome
):
    from reviews import services as review_services
    from reviews.models import ReviewPeriod

    plan = build_plan(outcomes=1, actions_per_outcome=actions_per_outcome)
    outcome = plan.strategy.outcomes.get()
    owner = users["outcome_owner"]
    outcome.owners.add(owner)
    q1, q2 = (
        ReviewPeriod.objects.create(
            action_plan=plan, quarter=q, updates_due_on="2016-07-14", meeting_on="2016-07-28"
        )
        for q in (1, 2)
    )
    last_quarter = {
        "action_entries": {
            a: {"status": "on_track", "rag": "green"}
            for a in Action.objects.filter(priority_indicator__indicator__outcome=outcome)
        },
        "indicator_entries": {
            p: {"value": 50} for p in PriorityIndicator.objects.filter(action_plan=plan)
        },
    }
    first = review_services.update_save(
        period=q1, outcome=outcome, actor=owner, overall_rag="green", summary="Q1", **last_quarter
    )
    actions = list(Action.objects.filter(priority_indicator__indicator__outcome=outcome))
    review_services.update_submit(
        update=first,
        actor=owner,
        actions=actions,
        priority_indicators=list(PriorityIndicator.objects.filter(action_plan=plan)),
    )
    review_services.update_accept(update=first, actor=users["chair"])
    update = review_services.update_save(
        period=q2, outcome=outcome, actor=owner, action_entries={}, indicator_entries={}
    )
    client.force_login(owner)
    with django_assert_max_num_queries(UPDATE_FORM_QUERIES):
        page = client.get(reverse("reviews:update_form", args=[q2.pk, outcome.pk]))
    # Every action and priority starts as "no change since last quarter".
    assert page.content.decode().count('value="same" checked') == actions_per_outcome + 2
    with django_assert_max_num_queries(UPDATE_FORM_QUERIES):
        check = client.get(reverse("reviews:update_check", args=[update.pk]))
    assert check.content.decode().count("Change<span") == 3 * actions_per_outcome + 2 + 4


# Session and user, the user's roles, the council's words, then a page of hits for each of the
# six kinds and, where a kind has more than a page, its count (10 queries on a small plan).
SEARCH_QUERIES = 16


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
@pytest.mark.parametrize("words", ["children", "safe placement"])
def test_search_queries_do_not_grow(
    client, users, django_assert_max_num_queries, outcomes, actions_per_outcome, words
):
    build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    client.force_login(users["administrator"])
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("search:results"), {"q": words})
    assert response.status_code == 200
    assert response.context["results"].total >= 1
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("search:results"), {"q": words, "kind": "actions"})
    assert response.status_code == 200
