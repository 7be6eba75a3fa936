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
    }
    response = client.post(reverse("reports:report_edit", args=[report.pk]), edit)
    assert response.status_code == 400 and b"cannot change" in response.content
    assert CommitteeReport.objects.get(pk=report.pk).title == "LAC Strategy: Q1 progress"


def test_plan_and_strategy_documents_in_every_format(client, users, plan_records):
    client.force_login(users["viewer"])
    plan, strategy = plan_records["plan"], plan_records["strategy"]
    html = client.get(reverse("reports:plan_document", args=[plan.pk])).content.decode()
    assert "How are we going to achieve these priorities in 2016/17?" in html
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
