import datetime

import pytest
from django.urls import reverse

from actionplans.models import Action
from actionplans.services import action_delete
from api.services import token_issue
from figures.models import CouncilProfile, ImportProfile, IndicatorFigure, PendingImport
from frameworks.models import Framework
from frameworks.services import install_shipped_frameworks
from jobs.models import Job
from lacstrategy import roles
from redaction.models import Redaction
from reports.models import CommitteeReport
from reviews.models import OutcomeUpdate
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    CommitmentFactory,
    FrameworkUploadFactory,
    IndicatorFactory,
    OutcomeFactory,
    OutcomeGroupFactory,
    OutcomeUpdateFactory,
    PlanImportFactory,
    PriorityIndicatorFactory,
    ReviewPeriodFactory,
    StrategyFactory,
    StrategySectionFactory,
    UserFactory,
    VoiceFactory,
)

# Synthetic: made up for the tests, in the layout of DfE open data; not DfE's figures.
SYNTHETIC_CSV = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,new_la_code,old_la_code,la_name,percentage\n"
    "2016,Reporting year,National,E92000001,England,,,,,,68\n"
    "2016,Reporting year,Local authority,E92000001,England,E12000004,East Midlands,"
    "E10000099,999,Testshire,71\n"
)


def council_form_defaults():
    """Council settings' words and required statement parts, as the form first shows them."""
    from lacstrategy.forms import WORDS
    from lacstrategy.models import Council

    names = [*WORDS, "accessibility_compliance", "accessibility_enforcement", "small_numbers_below"]
    return {name: getattr(Council(), name) for name in names}


# Each key is a way of being signed in that the permission tests walk through.
ROLE_USERS = {
    "administrator": [roles.ADMINISTRATOR],
    "strategy_group_member": [roles.STRATEGY_GROUP_MEMBER],
    "chair": [roles.STRATEGY_GROUP_MEMBER],
    "outcome_owner": [roles.OUTCOME_OWNER],
    "other_outcome_owner": [roles.OUTCOME_OWNER],
    "committee_officer": [roles.COMMITTEE_OFFICER],
    "participation_worker": [roles.PARTICIPATION_WORKER],
    "viewer": [roles.VIEWER],
    "no_role": [],
}


@pytest.fixture
def users(db):
    return {
        key: UserFactory(username=key, roles=role_names, is_chair=key == "chair")
        for key, role_names in ROLE_USERS.items()
    }


@pytest.fixture
def plan_records(users):
    """A small strategy and plan.

    Outcome 1 is owned by `outcome_owner`, outcome 2 by `other_outcome_owner`.
    """
    strategy = StrategyFactory()
    outcome = OutcomeFactory(strategy=strategy, number=1, owners=[users["outcome_owner"]])
    other_outcome = OutcomeFactory(
        strategy=strategy, number=2, owners=[users["other_outcome_owner"]]
    )
    group = OutcomeGroupFactory(strategy=strategy, number=1)
    section = StrategySectionFactory(strategy=strategy)
    commitment = CommitmentFactory(outcome=outcome)
    indicator = IndicatorFactory(outcome=outcome)
    spare_indicator = IndicatorFactory(outcome=outcome, title="An indicator not yet chosen")
    plan = ActionPlanFactory(strategy=strategy)
    ReviewPeriodFactory(action_plan=plan, quarter=1)
    priority = PriorityIndicatorFactory(action_plan=plan, indicator=indicator)
    action = ActionFactory(priority_indicator=priority)
    other_priority = PriorityIndicatorFactory(
        action_plan=plan, indicator=IndicatorFactory(outcome=other_outcome)
    )
    other_action = ActionFactory(priority_indicator=other_priority)
    period = plan.review_periods.get(quarter=1)
    draft = OutcomeUpdateFactory(period=period, outcome=outcome)
    submitted = OutcomeUpdateFactory(period=period, outcome=other_outcome, status="submitted")
    deleted = ActionFactory(priority_indicator=priority)
    deleted_id = deleted.pk
    action_delete(action=deleted, actor=users["administrator"], reason="Duplicate")
    IndicatorFigure.objects.create(
        indicator=indicator, period_label="2016", period_end=datetime.date(2016, 3, 31), value=70
    )
    CouncilProfile.objects.create(
        name="Testshire", la_code="E10000099", region_code="E12000004", region_name="East Midlands"
    )
    ImportProfile.objects.create(
        indicator=indicator, publication="Synthetic", value_column="percentage"
    )
    pending = PendingImport.objects.create(
        indicator=indicator,
        file_name="synthetic.csv",
        content=SYNTHETIC_CSV,
        uploaded_by=users["administrator"],
    )
    plan_import = PlanImportFactory(
        action_plan=plan,
        uploaded_by=users["administrator"],
        content=f"Outcome number,Priority indicator,Action\n1,{indicator.title},Visit\n".encode(),
    )
    report = CommitteeReport.objects.create(
        period=period,
        body="Corporate Parenting Sub-Committee",
        meeting_on=period.meeting_on,
        title="Q1 progress",
    )
    issued_report = CommitteeReport.objects.create(
        period=period,
        body="Corporate Parenting Sub-Committee",
        meeting_on=period.meeting_on,
        title="Q1 progress, issued",
        number=2,
        status=CommitteeReport.Status.ISSUED,
        issued_pdf=b"%PDF-1.7 issued",
    )
    job = Job.objects.create(
        kind=Job.Kind.DOCUMENT,
        title="PDF of the plan",
        subject=f"pdf:plan:{plan.pk}",
        requested_by=users["committee_officer"],
        status=Job.Status.FAILED,
        file=b"%PDF-1.7 made",
        file_name="action-plan.pdf",
    )
    redaction = Redaction.objects.create(
        redacted_by=users["administrator"],
        reason="A child was named",
        replacement="[redacted]",
        occurrences=1,
        records_changed=1,
        history_rows_changed=2,
        drafts_changed=0,
        files_deleted=0,
    )
    install_shipped_frameworks(actor=users["administrator"])  # a flushed database has none
    framework = Framework.objects.filter(is_current=True).first()
    framework_upload = FrameworkUploadFactory(
        framework=framework, uploaded_by=users["administrator"]
    )
    voice = VoiceFactory(
        strategy=plan.strategy, period=period, recorded_by=users["participation_worker"]
    )
    api_token, _ = token_issue(user=users["viewer"], name="Power BI", actor=users["administrator"])
    return {
        "api_token": api_token,
        "voice": voice,
        "public_text": {"label": "outcomes.outcome", "pk": outcome.pk},
        "framework": framework,
        "framework_upload": framework_upload,
        "redaction": redaction,
        "report": report,
        "issued_report": issued_report,
        "job": {"pk": job.pk},
        "pending_import": pending,
        "plan_import": plan_import,
        "action_version": {"kind": "action", "history_id": action.history.latest().history_id},
        "deleted_action_version": {
            "kind": "action",
            "history_id": Action.history.get(id=deleted_id, history_type="-").history_id,
        },
        "person": users["outcome_owner"],
        "period": period,
        "draft_update": draft,
        "submitted_update": submitted,
        "period_and_outcome": {"period_pk": period.pk, "outcome_pk": outcome.pk},
        "plan_and_outcome": {"plan_pk": plan.pk, "outcome_pk": outcome.pk},
        "period_and_outcome_review": {"pk": period.pk, "outcome_pk": outcome.pk},
        "strategy": strategy,
        "group": group,
        "section": section,
        "commitment": commitment,
        "outcome": outcome,
        "other_outcome": other_outcome,
        "indicator": indicator,
        "spare_indicator": spare_indicator,
        "plan": plan,
        "priority": priority,
        "action": action,
        "other_action": other_action,
    }


def update_url(period, outcome):
    return reverse("reviews:update_form", args=[period.pk, outcome.pk])


def form_data(period, outcome, *, status="on_track", rag="green", value="80", **overrides):
    """What the owner's browser posts: every action and priority indicator of the outcome."""
    update = OutcomeUpdate.objects.filter(period=period, outcome=outcome).first()
    data = {
        "outcome-overall_rag": "green",
        "outcome-summary": "Good progress",
        "outcome-seen_version": update.version if update else 0,  # as the form shows it now
    }
    for action in Action.objects.filter(
        priority_indicator__action_plan=period.action_plan,
        priority_indicator__indicator__outcome=outcome,
    ):
        data |= {f"action-{action.pk}-status": status, f"action-{action.pk}-rag": rag}
    for priority in period.action_plan.priority_indicators.filter(indicator__outcome=outcome):
        data[f"figure-{priority.pk}-value"] = value
    return data | overrides


def build_plan(*, outcomes, actions_per_outcome):
    """A plan of a given size, for the query-count tests: outcomes in groups, with
    commitments, and actions that also serve the previous outcome's priority."""
    strategy = StrategyFactory()
    StrategySectionFactory(strategy=strategy)
    plan = ActionPlanFactory(strategy=strategy)
    previous = None
    for number in range(1, outcomes + 1):
        owners = UserFactory.create_batch(2)
        group = OutcomeGroupFactory(strategy=strategy, number=number)
        outcome = OutcomeFactory(strategy=strategy, group=group, number=number, owners=owners)
        commitment = CommitmentFactory(outcome=outcome)
        CommitmentFactory(outcome=outcome)  # one with no action
        for _ in range(2):
            priority = PriorityIndicatorFactory(
                action_plan=plan, indicator=IndicatorFactory(outcome=outcome)
            )
            for _ in range(actions_per_outcome // 2):
                action = ActionFactory(priority_indicator=priority, lead_users=owners[:1])
                action.commitments.set([commitment])
                if previous:
                    action.also_serves.set([previous])
        previous = priority
    return plan


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs a quarter of a second a user; the tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def chart_cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("chart-cache")


@pytest.fixture(autouse=True)
def empty_chart_cache(settings, chart_cache_dir):
    """Every test starts with no drawn charts, in a folder of this run's own (runs side by side
    must not empty each other's)."""
    settings.CACHES = {
        **settings.CACHES,
        "charts": {**settings.CACHES["charts"], "LOCATION": str(chart_cache_dir)},
    }
    from django.core.cache import caches

    caches["charts"].clear()
