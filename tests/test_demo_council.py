"""The second demo council (Westmere, invented) loads with `load_demo --council westmere` and
shows its own words on every page, document and e-mail: nothing of Nottinghamshire's and no
default word (issue 13, "Done when")."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from actionplans.models import Action, ActionPlan
from api.services import token_issue
from figures.models import ImportProfile, PendingImport
from frameworks.models import Framework
from frameworks.services import install_shipped_frameworks
from jobs.models import Job
from lacstrategy.demo import councils
from lacstrategy.models import Council, User
from lacstrategy.services import council_save
from outcomes.models import Commitment, Indicator, Outcome, Strategy
from redaction.models import Redaction
from reports.models import CommitteeReport
from reviews import services as review_services
from reviews.models import ReviewPeriod
from tests.conftest import SYNTHETIC_CSV
from tests.factories import FrameworkUploadFactory, PlanImportFactory, StrategyFactory
from tests.test_council_words import (
    BINARY,
    FILE_FORMATS,
    NOT_THE_COUNCILS_WORDS,
    answer_text,
    visible_text,
)
from tests.test_permissions_matrix import EXPECTED, POST_ONLY, url_for
from voices.models import Voice

pytestmark = pytest.mark.django_db

# Nottinghamshire's names, and the defaults that Westmere's words replace.
NOT_WESTMERES = [
    "Nottinghamshire",
    "Notts",
    "No Labels",
    "LAC Strategy",
    "Strategy Group",
    "Corporate Parenting Sub-Committee",
    "Looked After Children and Care Leavers Strategy",
    "Children in Care Council",
    "priority indicator",
    "priority indicators",
    "priority area",
    "priority areas",
]
FOREIGN = re.compile(r"\b(" + "|".join(map(re.escape, NOT_WESTMERES)) + r")\b", re.IGNORECASE)


# Who signs in for each role of the URL x role matrix: Westmere's demo accounts. Rhys Pemberton
# owns priority 7, whose update is the draft below; Gareth Ellis owns another priority.
DEMO_SIGN_INS = {
    "administrator": "admin",
    "strategy_group_member": "member",
    "chair": "chair",
    "outcome_owner": "rhys.pemberton",
    "other_outcome_owner": "gareth.ellis",
    "committee_officer": "committee",
    "participation_worker": "participation",
    "viewer": "viewer",
    "no_role": "no.role",
}


def foreign_words(text):
    found = {}
    for match in FOREIGN.finditer(text):
        start = max(0, match.start() - 60)
        found.setdefault(match.group(0), text[start : match.end() + 60])
    return found


@pytest.fixture
def westmere():
    call_command("load_demo", council="westmere", on_a_live_site=True, stdout=io.StringIO())
    return Council.objects.get()


@pytest.fixture
def records(westmere):
    """The matrix's records, from the Westmere demo; the few kinds the demo has none of (a
    job, the uploads waiting for a preview, a redaction, a draft update) are added here."""
    admin = User.objects.get(username="admin")
    User.objects.create_user(username="no.role", email="no.role@example.org", full_name="No Role")
    plan = ActionPlan.objects.get()
    q2 = plan.review_periods.get(quarter=2)
    outcome = Outcome.objects.get(number=7)  # not started in Q2: its owner starts a draft
    owner = User.objects.get(username="rhys.pemberton")
    draft = review_services.update_save(
        period=q2,
        outcome=outcome,
        actor=owner,
        action_entries={},
        indicator_entries={},
        summary="Two stability meetings held.",
    )
    indicator = Indicator.objects.get(outcome__number=5, unit="percentage", views_based=True)
    action = Action.objects.get(reference="4")  # serves three priorities
    deleted = Action.history.get(history_type="-")
    ImportProfile.objects.create(
        indicator=indicator, publication="Synthetic", value_column="percentage"
    )
    job = Job.objects.create(
        kind=Job.Kind.DOCUMENT,
        title="PDF of the plan",
        subject=f"pdf:plan:{plan.pk}",
        requested_by=User.objects.get(username="committee"),
        status=Job.Status.FAILED,
        file=b"%PDF-1.7 made",
        file_name="action-plan.pdf",
    )
    install_shipped_frameworks(actor=admin)  # a flushed database has none
    return {
        "voice": Voice.objects.filter(response__isnull=False).first(),
        "api_token": token_issue(user=admin, name="Power BI", actor=admin)[0],
        "framework": Framework.objects.filter(is_current=True).first(),
        "framework_upload": FrameworkUploadFactory(
            framework=Framework.objects.filter(is_current=True).first(), uploaded_by=admin
        ),
        "redaction": Redaction.objects.create(
            redacted_by=admin,
            reason="A child was named",
            replacement="[redacted]",
            occurrences=1,
            records_changed=1,
            history_rows_changed=2,
            drafts_changed=0,
            files_deleted=0,
        ),
        "report": CommitteeReport.objects.get(period=q2),
        "issued_report": CommitteeReport.objects.get(status=CommitteeReport.Status.ISSUED),
        "job": {"pk": job.pk},
        "pending_import": PendingImport.objects.create(
            indicator=indicator,
            file_name="synthetic.csv",
            content=SYNTHETIC_CSV.replace(
                "E12000004,East Midlands,E10000099,999,Testshire",
                "E12000006,East of England,E06000099,,Westmere",
            ),
            uploaded_by=admin,
        ),
        "plan_import": PlanImportFactory(
            action_plan=plan,
            uploaded_by=admin,
            content=f"Outcome number,Priority indicator,Action\n5,{indicator},Visit\n".encode(),
        ),
        "action_version": {"kind": "action", "history_id": action.history.latest().history_id},
        "deleted_action_version": {"kind": "action", "history_id": deleted.history_id},
        "person": owner,
        "period": q2,
        "draft_update": draft,
        "submitted_update": q2.updates.get(status="submitted", outcome__number=5),
        "period_and_outcome": {"period_pk": q2.pk, "outcome_pk": outcome.pk},
        "plan_and_outcome": {"plan_pk": plan.pk, "outcome_pk": outcome.pk},
        "period_and_outcome_review": {"pk": q2.pk, "outcome_pk": outcome.pk},
        "strategy": plan.strategy,
        "group": plan.strategy.groups.first(),
        "section": plan.strategy.sections.first(),
        "commitment": Commitment.objects.filter(outcome__number=5).first(),
        "outcome": Outcome.objects.get(number=5),
        "indicator": indicator,
        "plan": plan,
        "priority": action.priority_indicator,
        "action": action,
    }


def test_westmere_loads_in_its_own_shape_and_can_run_again(westmere):
    call_command("load_demo", council="westmere", on_a_live_site=True, stdout=io.StringIO())
    assert "westmere" in councils() and "nottinghamshire" in councils()
    assert westmere.name == "Westmere Borough Council (illustrative demo)"
    strategy = Strategy.objects.get()
    assert strategy.version_display == "DRAFT v3, 4 April 2016"
    assert [s.heading for s in strategy.sections.all()] == [
        "Our approach",
        "Governance",
        "Sufficiency statement",
    ]
    kinds = {o.number: o.kind for o in strategy.outcomes.all()}
    assert [n for n, kind in kinds.items() if kind == "delivery"] == [1, 2, 3, 4]
    assert [n for n, kind in kinds.items() if kind == "outcome"] == list(range(5, 12))
    assert kinds[12] == "heading"
    assert strategy.groups.count() == 4
    for outcome in strategy.outcomes.filter(kind="outcome"):
        assert outcome.commitment and 2 <= outcome.commitments.count() <= 4, outcome
    plan = ActionPlan.objects.get()
    references = list(
        Action.objects.filter(priority_indicator__action_plan=plan).values_list(
            "reference", flat=True
        )
    )
    assert sorted(references, key=int) == [str(n) for n in range(1, 21)]
    shared = Action.objects.get(reference="4")
    assert shared.also_serves.count() == 2  # its own priority and two others
    assert Action.objects.filter(priority_indicator__indicator__outcome__number=12).count() == 2
    assert {a.target_text for a in Action.objects.all()} >= {"Sep 16", "Q3", "Ongoing", ""}
    assert Action.objects.get(reference="1").target_date == datetime.date(2016, 9, 30)
    assert Commitment.objects.filter(actions__isnull=True).exists()  # some without an action
    origins = set(plan.priority_indicators.values_list("origin", "survey_rating"))
    assert {("jsna", ""), ("survey", "red"), ("survey", "amber"), ("professional", "")} <= origins
    assert Indicator.objects.filter(unit="qualitative").exists()
    q2 = ReviewPeriod.objects.get(quarter=2)
    assert set(q2.updates.values_list("status", flat=True)) == {"accepted", "returned", "submitted"}


def test_a_second_council_is_refused_in_one_installation(users):
    council_save(actor=users["administrator"], name="Testshire County Council")
    StrategyFactory()
    with pytest.raises(CommandError, match="already holds Testshire County Council"):
        call_command("load_demo", council="westmere", on_a_live_site=True, stdout=io.StringIO())
    assert not Strategy.objects.filter(title__contains="Children in Care").exists()


def test_no_page_or_document_shows_another_councils_words(client, records):
    """Every page of the URL x role matrix, as each role allowed it, and every document."""
    problems = {}
    for name, (record_key, allowed, is_write) in sorted(EXPECTED.items()):
        if is_write == POST_ONLY or name in FILE_FORMATS | BINARY | NOT_THE_COUNCILS_WORDS:
            continue
        url = url_for(name, record_key, records)
        documents = name.startswith("reports:") and not name.startswith("reports:report_")
        for role in sorted(allowed)[:1] if documents else sorted(allowed):
            client.force_login(User.objects.get(username=DEMO_SIGN_INS[role]))
            response = client.get(url)
            assert response.status_code == 200, f"{role} {url}"
            if found := foreign_words(answer_text(response, cells=True)):
                problems[f"{role} {url}"] = found
    assert not problems, "Words that are not Westmere's:\n" + "\n".join(
        f"{where}: {found}" for where, found in problems.items()
    )


def test_westmeres_words_are_shown(client, records):
    client.force_login(User.objects.get(username="viewer"))
    plan = visible_text(client.get(records["plan"].get_absolute_url()).content.decode())
    assert "Focus areas for 2016/17" in plan and "Corporate parenting" in plan
    strategy = client.get(records["strategy"].get_absolute_url()).content.decode()
    assert "Delivery priority" in visible_text(strategy)
    report = client.get(reverse("reports:report_print", args=[records["report"].pk]))
    assert "Corporate Parenting Board" in visible_text(report.content.decode())


def test_no_email_shows_another_councils_words(client, records):
    period = records["period"]
    review_services.send_update_reminders(
        today=period.updates_due_on + datetime.timedelta(days=1),
        actor=User.objects.get(username="admin"),
    )
    client.post(reverse("password_reset"), {"email": "viewer@example.org"})
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert not foreign_words(text), text
    overdue = next(m for m in mail.outbox if "overdue" in m.subject)
    assert "Children in Care Outcomes Group" in overdue.body
    assert "Children in Care Strategy" in overdue.subject
