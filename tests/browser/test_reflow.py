"""WCAG 1.4.10 reflow: every page in the URL list, opened 320 px wide, fits without sideways
scrolling, and reads as one service (one typeface, tags that hold their words, radio labels on
one line). Pages are opened with the demo council's records (long names, full tables) as the
person who would use them; one failure lists every page and what is wrong with it."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from actionplans.models import Action, ActionPlan, PriorityIndicator
from actionplans.services import action_delete
from api.services import token_issue
from figures.models import ImportProfile, PendingImport
from frameworks.models import Framework
from jobs.models import Job
from lacstrategy.demo import DEMO_PASSWORD
from outcomes.models import Indicator, Outcome, Strategy
from redaction.models import Redaction
from reports.models import CommitteeReport
from reviews.models import OutcomeUpdate
from tests.browser.conftest import sign_in
from tests.conftest import SYNTHETIC_CSV
from tests.factories import (
    ActionFactory,
    CommitmentFactory,
    FrameworkUploadFactory,
    OutcomeGroupFactory,
    PlanImportFactory,
    StrategySectionFactory,
)
from tests.test_permissions_matrix import EXPECTED, POST_ONLY, url_for
from voices.models import Voice

WIDTH = 320
# Files and images, not pages: nothing to reflow.
NOT_PAGES = {
    "jobs:job_file",
    "reports:report_pdf",
    "reports:report_docx",
    "reports:plan_docx",
    "reports:plan_xlsx",
    "reports:strategy_docx",
    "reports:strategy_xlsx",
    "actionplans:plan_spreadsheet",
    "actionplans:plan_spreadsheet_template",
    "figures:indicator_chart",
    "frameworks:version_file",
}
# Pages whose content depends on who is signed in: opened as each of these too.
PERSONAL_PAGES = {"home", "reviews:my_updates"}
DEMO_SIGN_INS = {
    "administrator": "admin",
    "chair": "chair",
    "committee_officer": "committee",
    "viewer": "viewer",
}
# Sign-in pages (see AUTH_PAGES and PUBLIC_PAGES in the permissions matrix) that render a page.
SIGNED_OUT_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/MQ/expired-token/",  # a link that no longer works
    "/accounts/password/reset/done/",
    "/privacy/",
]
SIGNED_IN_AUTH_PAGES = ["password_change", "password_change_done"]

# What a person on a phone would find wrong with a page: content wider than the screen (its
# deepest elements past the edge, so a failure says what to fix), text in the browser's serif
# instead of the service's typeface, tag text spilling out of its box, an inline radio's label
# broken over two lines ("Not / started").
PROBLEMS = """(width) => {
    const name = (element) => element.tagName.toLowerCase() +
        (typeof element.className === "string" && element.className.trim()
            ? "." + element.className.trim().split(/\\s+/).join(".") : "") +
        " " + JSON.stringify((element.textContent || "").trim().slice(0, 40));
    const all = [...document.querySelectorAll("body *")].filter((e) => !e.closest("svg"));
    const past = (element) => element.getBoundingClientRect().right > width + 1;
    const ownText = (element) => [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const lines = (element) => {
        const style = getComputedStyle(element);
        return (element.clientHeight - parseFloat(style.paddingTop) -
            parseFloat(style.paddingBottom)) / parseFloat(style.lineHeight);
    };
    return {
        width: document.documentElement.scrollWidth,
        inlineRadios: Boolean(document.querySelector(".govuk-radios--inline")),
        "too wide": all.filter((e) => past(e) && ![...e.children].some(past)).map(name),
        // Text for screen readers only (GOV.UK's character count status) is never seen.
        "not in the service's typeface": all.filter((e) => ownText(e) && e.offsetParent &&
            !e.closest(".govuk-visually-hidden") &&
            !/arial|monospace/i.test(getComputedStyle(e).fontFamily)).map(name),
        "tag text outside its box": [...document.querySelectorAll(".govuk-tag")].filter(
            (tag) => tag.scrollWidth > tag.clientWidth + 1).map(name),
        "radio label on two lines": [...document.querySelectorAll(
            ".govuk-radios--inline .govuk-radios__label")].filter(
            (label) => lines(label) > 1.5).map(name),
    };
}"""


@pytest.fixture
def demo_records(demo_site):
    """The records each URL is opened on: the demo council's, and for what the demo has not,
    a record made here (a job, an import, a redaction, a deleted action...)."""
    admin = _user("admin")
    strategy = Strategy.objects.get()
    plan = ActionPlan.objects.get()
    outcome = Outcome.objects.annotate(
        actions=Count("indicators__priority_indicators__actions")
    ).order_by("-actions", "number")[0]
    indicator = Indicator.objects.annotate(figure_count=Count("figures")).order_by(
        "-figure_count", "pk"
    )[0]
    priority = PriorityIndicator.objects.filter(indicator=indicator).first()
    action = Action.objects.filter(priority_indicator__indicator__outcome=outcome).first()
    # The quarter under way: one update awaits a decision, one was returned to its owner.
    submitted = OutcomeUpdate.objects.get(status="submitted")
    period = submitted.period
    draft = OutcomeUpdate.objects.get(period=period, status__in=["draft", "returned"])
    deleted = ActionFactory(priority_indicator=priority)
    deleted_id = deleted.pk
    action_delete(action=deleted, actor=admin, reason="Duplicate")
    return {
        "voice": Voice.objects.filter(response__isnull=False).first(),
        "api_token": token_issue(user=admin, name="Power BI", actor=admin)[0],
        "framework": Framework.objects.filter(is_current=True).first(),
        "framework_upload": FrameworkUploadFactory(
            framework=Framework.objects.filter(is_current=True).first(), uploaded_by=admin
        ),
        "strategy": strategy,
        "plan": plan,
        "outcome": outcome,
        "indicator": indicator,
        "priority": priority,
        "action": action,
        "period": period,
        "draft_update": draft,
        "submitted_update": submitted,
        "period_and_outcome": {"period_pk": period.pk, "outcome_pk": draft.outcome_id},
        "period_and_outcome_review": {"pk": period.pk, "outcome_pk": outcome.pk},
        "report": CommitteeReport.objects.filter(status="draft").first(),
        "issued_report": CommitteeReport.objects.filter(status="issued").first(),
        "person": draft.outcome.owners.first(),
        "group": OutcomeGroupFactory(strategy=strategy, number=1),
        "section": StrategySectionFactory(strategy=strategy),
        "commitment": CommitmentFactory(outcome=outcome),
        "job": {
            "pk": Job.objects.create(
                kind=Job.Kind.DOCUMENT,
                title="PDF of the plan",
                subject=f"pdf:plan:{plan.pk}",
                requested_by=admin,
                status=Job.Status.FAILED,
            ).pk
        },
        "pending_import": PendingImport.objects.create(
            indicator=ImportProfile.objects.create(
                indicator=indicator, publication="Synthetic", value_column="percentage"
            ).indicator,
            file_name="synthetic.csv",
            content=SYNTHETIC_CSV,
            uploaded_by=admin,
        ),
        "plan_import": PlanImportFactory(
            action_plan=plan,
            uploaded_by=admin,
            content=f"Outcome number,Priority indicator,Action\n1,{indicator.title},Go\n".encode(),
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
        "action_version": {"kind": "action", "history_id": action.history.latest().history_id},
        "deleted_action_version": {
            "kind": "action",
            "history_id": Action.history.get(id=deleted_id, history_type="-").history_id,
        },
    }


def _user(username):
    return get_user_model().objects.get(username=username)


def pages_to_open(records):
    """(who, url) for every page: each GET page of the URL list as an administrator (who sees
    every tool on it), pages that differ by person as each role too, the owner's update pages
    as the owner, and the sign-in pages."""
    owner = records["person"].username
    visits = [(None, url) for url in SIGNED_OUT_PAGES]
    for name, (record_key, allowed, is_write) in sorted(EXPECTED.items()):
        if is_write == POST_ONLY or name in NOT_PAGES:
            continue
        url = url_for(name, record_key, records)
        visits.append(("admin", url))
        if name in PERSONAL_PAGES:
            visits += [(username, url) for username in list(DEMO_SIGN_INS.values())[1:]]
            visits.append((owner, url))
        elif "outcome_owner" in allowed and name.startswith("reviews:"):
            visits.append((owner, url))
    visits += [("admin", reverse(name)) for name in SIGNED_IN_AUTH_PAGES]
    return visits


def test_every_page_fits_a_320_px_screen_in_one_typeface(new_page, demo_records):
    """WCAG 1.4.10 reflow, and the consistency a person notices on a phone."""
    pages = {}
    problems = []
    with_inline_radios = []

    def check(who, url, width):
        response = pages[who].goto(url)
        assert response.ok, f"{who} could not open {url}: {response.status}"
        found = pages[who].evaluate(PROBLEMS, width)
        if found.pop("inlineRadios") and width == WIDTH:
            with_inline_radios.append((who, url))
        if found.pop("width") <= width:
            found.pop("too wide")
        problems.extend(
            f"{url} as {who or 'signed out'} at {width}px: {kind}: {where[:3]}"
            for kind, where in found.items()
            if where
        )

    visits = pages_to_open(demo_records)
    for who, url in visits:
        if who not in pages:
            pages[who] = new_page(viewport={"width": WIDTH, "height": 640})
            if who:
                sign_in(pages[who], who, DEMO_PASSWORD)
                pages[who].wait_for_url("**/")
        check(who, url, WIDTH)
    # A row of inline radios wraps its labels on a wide screen too ("Not / started").
    for who, url in with_inline_radios:
        pages[who].set_viewport_size({"width": 1280, "height": 900})
        check(who, url, 1280)

    print(f"{len(visits)} pages opened at {WIDTH}px, {len(with_inline_radios)} again at 1280px")
    assert not problems, f"{len(problems)} problems at {WIDTH}px:\n" + "\n".join(problems)
