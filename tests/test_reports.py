import datetime
import io
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import services as plan_services
from reports import services
from reports.models import CommitteeReport
from reports.selectors import plan_document, report_data

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert('x')</script><b>bold</b>"


@pytest.fixture
def report(users, plan_records):
    return services.report_create(
        period=plan_records["period"],
        actor=users["committee_officer"],
        body="Corporate Parenting Sub-Committee",
        meeting_on=datetime.date(2016, 9, 12),
        title="LAC Strategy: Q1 progress",
        purpose=f"To update the Sub-Committee. {MARKUP}",
        recommendations="That the Sub-Committee notes the progress.\n"
        "That it asks for a further report.",
    )


def pdf_made_in_the_background(client, url):
    """Ask for a PDF as the button does, follow to the job's page and download the file."""
    response = client.post(url)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job_page = client.get(response["Location"]).content.decode()
    assert "Your document is ready" in job_page and "Download" in job_page
    return client.get(f"{response['Location']}file/").content


def pdf_text(pdf):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_an_issued_report_stays_as_issued_when_the_plan_changes(
    client, users, plan_records, report
):
    client.force_login(users["committee_officer"])
    assert client.post(reverse("reports:report_issue", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    issued_html, issued_pdf = report.issued_html, bytes(report.issued_pdf)
    action = plan_records["action"]
    assert str(action) not in [e["action"] for e in report.issued_data["exceptions"]]

    plan_services.action_update(
        action=action, actor=users["administrator"], status="off_track", rag="red"
    )

    assert (
        client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
        == issued_html
    )
    assert bytes(client.get(reverse("reports:report_pdf", args=[report.pk])).content) == issued_pdf
    report.refresh_from_db()
    assert str(action) not in [e["action"] for e in report.issued_data["exceptions"]]
    # A new draft from it shows the plan as it is now.
    draft = services.report_new_version(report=report, actor=users["committee_officer"])
    assert draft.number == 2 and draft.purpose == report.purpose
    now = report_data(report=draft, as_at=timezone.now())
    assert str(action) in [e["action"] for e in now["exceptions"]]
    assert (
        report.history.latest().history_change_reason
        == "Issued to the Corporate Parenting Sub-Committee"
    )


def test_as_at_reproduces_an_earlier_state(users, plan_records):
    action = plan_records["action"]
    before = timezone.now()
    plan_services.action_update(action=action, actor=users["administrator"], status="complete")
    then = plan_document(action_plan=plan_records["plan"], as_at=before)
    now = plan_document(action_plan=plan_records["plan"])

    def status_of(doc):
        actions = [a for o in doc["outcomes"] for a in o["actions"]]
        return [a["status"] for a in actions if a["description"] == action.description]

    assert status_of(then) == ["Not started"] and status_of(now) == ["Complete"]
    plan_services.action_delete(action=action, actor=users["administrator"], reason="x")
    assert status_of(plan_document(action_plan=plan_records["plan"], as_at=before)) == [
        "Not started"
    ]
    assert status_of(plan_document(action_plan=plan_records["plan"])) == []


def test_markup_in_the_narrative_is_text_in_every_output(client, users, report):
    client.force_login(users["viewer"])
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html
    )
    word = docx.Document(
        io.BytesIO(client.get(reverse("reports:report_docx", args=[report.pk])).content)
    )
    assert any(MARKUP in p.text for p in word.paragraphs)
    pdf = pdf_made_in_the_background(client, reverse("reports:report_draft_pdf", args=[report.pk]))
    assert pdf.startswith(b"%PDF")
    # A draft keeps no PDF: it is made from the records each time.
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404
    assert "<script>alert('x')</script><b>bold</b>" in pdf_text(pdf).replace("\n", "")


def test_a_report_with_no_accepted_updates_says_so(client, users, report):
    client.force_login(users["viewer"])
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert "No outcome updates had been accepted for this period" in html
    assert "Recommendations" in html and "That it asks for a further report." in html


def test_only_a_draft_can_be_edited_and_issued_once(client, users, report):
    client.force_login(users["committee_officer"])
    client.post(reverse("reports:report_issue", args=[report.pk]))
    assert client.post(reverse("reports:report_issue", args=[report.pk])).status_code == 302
    assert CommitteeReport.objects.get(pk=report.pk).number == 1
    edit = {
        "body": "Corporate Parenting Sub-Committee",
        "meeting_on_0": "12",
        "meeting_on_1": "9",
        "meeting_on_2": "2016",
        "title": "Changed",
        "describes": "now",
    }
    response = client.post(reverse("reports:report_edit", args=[report.pk]), edit)
    assert response.status_code == 400 and b"cannot change" in response.content
    assert CommitteeReport.objects.get(pk=report.pk).title == "LAC Strategy: Q1 progress"


def test_plan_and_strategy_documents_in_every_format(client, users, plan_records):
    client.force_login(users["viewer"])
    plan, strategy = plan_records["plan"], plan_records["strategy"]
    html = client.get(reverse("reports:plan_document", args=[plan.pk])).content.decode()
    assert "How are we going to achieve these priority indicators in 2016/17?" in html
    plan_pdf = pdf_made_in_the_background(client, reverse("reports:plan_pdf", args=[plan.pk]))
    assert plan_pdf.startswith(b"%PDF")
    assert docx.Document(
        io.BytesIO(client.get(reverse("reports:plan_docx", args=[plan.pk])).content)
    )
    assert client.get(reverse("reports:plan_xlsx", args=[plan.pk])).content.startswith(b"PK")
    assert (
        strategy.title
        in client.get(reverse("reports:strategy_document", args=[strategy.pk])).content.decode()
    )
    strategy_pdf = reverse("reports:strategy_pdf", args=[strategy.pk])
    assert pdf_made_in_the_background(client, strategy_pdf).startswith(b"%PDF")
    for name in ("strategy_docx", "strategy_xlsx"):
        assert client.get(reverse(f"reports:{name}", args=[strategy.pk])).status_code == 200


def test_the_plan_says_each_action_s_comment_and_why_each_priority_was_chosen(
    client, users, plan_records
):
    """Issue 13: the plan page and documents left out the action's comment, and no document
    said why a priority was chosen."""
    from actionplans.services import action_update, priority_indicator_update

    plan, admin = plan_records["plan"], users["administrator"]
    action_update(
        action=plan_records["action"], actor=admin, comment="Target moved to March at the panel"
    )
    priority_indicator_update(
        priority_indicator=plan_records["priority"],
        actor=admin,
        rationale="The children's survey rated it red",
    )
    client.force_login(users["viewer"])
    for url in (plan.get_absolute_url(), reverse("reports:plan_document", args=[plan.pk])):
        page = client.get(url).content.decode()
        assert "Comment: Target moved to March at the panel" in page, url
    html = client.get(reverse("reports:plan_document", args=[plan.pk])).content.decode()
    assert "The children&#x27;s survey rated it red" in html
    word = docx.Document(
        io.BytesIO(client.get(reverse("reports:plan_docx", args=[plan.pk])).content)
    )
    text = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "Comment: Target moved to March at the panel" in text
    assert "The children's survey rated it red" in text


# Issue 13, item 6: reports that are not quarterly progress reports.

NARRATIVE = {
    "body": "Corporate Parenting Board",
    "meeting_on_0": "4",
    "meeting_on_1": "4",
    "meeting_on_2": "2017",
    "title": "Children in Care Strategy for approval",
}
PROGRESS_HEADINGS = (
    "Exceptions: red and overdue actions",
    "Progress by",
    "What changed since the last report",
    "Children and young people's views",
)


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def statements(users, plan_records):
    """The strategy numbered within "statements"; the priority came from the children's
    survey, rated red, with the reason it was chosen."""
    from actionplans.services import priority_indicator_update
    from outcomes.models import OutcomeGroup, Strategy

    strategy = plan_records["strategy"]
    Strategy.objects.filter(pk=strategy.pk).update(outcome_numbering="group")
    group = OutcomeGroup.objects.create(strategy=strategy, number=2, title="Feel safe and settled")
    plan_records["outcome"].group = group
    plan_records["outcome"].save()
    priority_indicator_update(
        priority_indicator=plan_records["priority"],
        actor=users["administrator"],
        origin="survey",
        survey_rating="red",
        origin_detail="Your Life, Your Care 2016",
        rationale="Children told us they move too often",
    )
    return group


def test_a_strategy_approval_report_needs_no_quarter_and_tables_the_priorities(
    client, users, plan_records, statements
):
    strategy, plan = plan_records["strategy"], plan_records["plan"]
    client.force_login(users["committee_officer"])
    url = reverse("reports:strategy_report_create", args=[strategy.pk])
    form = client.get(url).content.decode()
    assert "Strategy approval" in form and "Quarterly progress" not in form
    response = client.post(url, {**NARRATIVE, "report_type": "approval", "action_plan": plan.pk})
    report = CommitteeReport.objects.get(title=NARRATIVE["title"])
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.period is None and report.strategy == strategy and report.action_plan == plan
    assert client.get(report.get_absolute_url()).status_code == 200

    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    word = docx_text(client.get(reverse("reports:report_docx", args=[report.pk])).content)
    for text in (html, word):
        assert "Theme 2: Feel safe and settled" in text
        assert "2.1" in text and plan_records["outcome"].statement in text
        assert plan_records["priority"].indicator.title in text
        assert "survey (Your Life, Your Care 2016), rated Red" in text
        assert "Children told us they move too often" in text
        for heading in PROGRESS_HEADINGS:
            assert heading not in text
    # The other outcome has no group: a table of its own, after the groups.
    for text in (html, word):
        assert text.index("Feel safe and settled") < text.index("Other outcomes")
        assert plan_records["other_outcome"].statement in text


def test_an_annual_report_gives_the_plan_year_as_the_annual_summary_does(
    client, users, plan_records
):
    from actionplans.services import action_update

    plan = plan_records["plan"]
    action_update(action=plan_records["action"], actor=users["administrator"], status="complete")
    client.force_login(users["committee_officer"])
    response = client.post(reverse("reports:annual_create", args=[plan.pk]), NARRATIVE)
    report = CommitteeReport.objects.get(title=NARRATIVE["title"])
    assert response.status_code == 302
    assert (report.report_type, report.period, report.action_plan) == ("annual", None, plan)
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    word = docx_text(client.get(reverse("reports:report_docx", args=[report.pk])).content)
    for text in (html, word):
        assert "The 2016-17 plan year" in text
        assert "1 action completed" in text
        assert str(plan_records["action"]) in text
        assert "How each priority indicator moved" in text
        for heading in PROGRESS_HEADINGS:
            assert heading not in text


def test_an_other_report_is_the_narrative_alone(client, users, plan_records):
    client.force_login(users["committee_officer"])
    url = reverse("reports:strategy_report_create", args=[plan_records["strategy"].pk])
    client.post(url, {**NARRATIVE, "report_type": "other", "purpose": "To note the visit"})
    report = CommitteeReport.objects.get(title=NARRATIVE["title"])
    assert report.report_type == "other" and report.action_plan is None
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert "To note the visit" in html and "from the records" not in html
    for heading in (*PROGRESS_HEADINGS, "doc-approval", "plan year</h3>"):
        assert heading not in html


def test_the_database_refuses_a_quarterly_report_without_a_quarter(plan_records):
    from django.db import IntegrityError, transaction

    fields = {"body": "Board", "meeting_on": datetime.date(2017, 4, 4), "title": "T"}
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeReport.objects.create(report_type="quarterly", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeReport.objects.create(
            report_type="annual", strategy=plan_records["strategy"], **fields
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeReport.objects.create(
            report_type="approval",
            period=plan_records["period"],
            strategy=plan_records["strategy"],
            **fields,
        )


def test_the_form_says_what_a_report_on_the_wrong_plan_needs(client, users, plan_records):
    from tests.factories import ActionPlanFactory

    elsewhere = ActionPlanFactory()  # another strategy's plan
    client.force_login(users["committee_officer"])
    url = reverse("reports:strategy_report_create", args=[plan_records["strategy"].pk])
    response = client.post(
        url, {**NARRATIVE, "report_type": "approval", "action_plan": elsewhere.pk}
    )
    assert (
        response.status_code == 400
        and not CommitteeReport.objects.filter(title=NARRATIVE["title"]).exists()
    )


def _sections_on(users, *sections):
    from lacstrategy.services import council_save

    council_save(
        actor=users["administrator"],
        name="Testshire County Council",
        report_sections=list(sections),
    )


def test_optional_sections_follow_the_council_and_the_report(client, users, report):
    _sections_on(users, "financial_implications", "background_papers")
    client.force_login(users["committee_officer"])
    edit = reverse("reports:report_edit", args=[report.pk])
    form = client.get(edit).content.decode()
    assert 'name="financial_implications"' in form and 'name="background_papers"' in form
    assert 'name="equality_impact"' not in form  # the council's template has no such section

    # Switched on but not written: the draft says so, and it cannot be issued yet.
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert "<h2>Financial implications</h2>" in html and "Not written yet" in html
    assert "None" not in html.split("<h2>Financial implications</h2>")[1][:200]
    response = client.post(reverse("reports:report_issue", args=[report.pk]), follow=True)
    assert "Write the financial implications and the background papers" in (
        response.content.decode()
    )
    assert not CommitteeReport.objects.get(pk=report.pk).is_issued

    # This report leaves background papers out and writes the financial implications.
    data = {
        **NARRATIVE,
        "describes": "now",
        "seen_version": report.version,
        "sections_included": ["financial_implications"],
        "financial_implications": "The placements are within the agreed budget.",
    }
    assert client.post(edit, data).status_code == 302
    report.refresh_from_db()
    assert report.sections_left_out == ["background_papers"]
    assert 'name="background_papers"' not in client.get(edit).content.decode()
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    word = docx_text(client.get(reverse("reports:report_docx", args=[report.pk])).content)
    for text in (html, word):
        assert "The placements are within the agreed budget." in text
        assert "Background papers" not in text and "Not written yet" not in text

    # Issued, it keeps them; a new version starts from the same type and sections.
    assert client.post(reverse("reports:report_issue", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.is_issued
    assert report.issued_data["sections"][0]["text"].startswith("The placements")
    client.post(reverse("reports:report_new_version", args=[report.pk]))
    draft = CommitteeReport.objects.get(previous=report)
    assert draft.report_type == report.report_type and draft.period == report.period
    assert draft.sections_left_out == ["background_papers"]
    assert draft.financial_implications == report.financial_implications


def test_a_section_the_council_switches_off_leaves_the_form_and_the_document(client, users, report):
    CommitteeReport.objects.filter(pk=report.pk).update(consultation="Foster carers were asked")
    _sections_on(users, "consultation")
    client.force_login(users["viewer"])
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert "Foster carers were asked" in html
    _sections_on(users)
    html = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert "Foster carers were asked" not in html and "Consultation" not in html


def test_council_settings_switch_the_sections_and_keep_the_words_fieldset(client, users):
    from lacstrategy.forms import WORDS
    from lacstrategy.models import Council
    from lacstrategy.services import council_save

    council = council_save(actor=users["administrator"], name="Testshire County Council")
    client.force_login(users["administrator"])
    page = client.get(reverse("council_settings")).content.decode()
    assert "Words used" in page and "Optional sections in reports" in page
    data = {field: getattr(council, field) for field in ("name", "service_name", *WORDS)}
    data |= {
        "accessibility_compliance": council.accessibility_compliance,
        "accessibility_enforcement": council.accessibility_enforcement,
        "small_numbers_below": council.small_numbers_below,
        "seen_version": council.version,
        "report_sections": ["equality_impact", "wards_affected"],
    }
    assert client.post(reverse("council_settings"), data).status_code == 302
    assert Council.objects.get().report_sections == ["equality_impact", "wards_affected"]
