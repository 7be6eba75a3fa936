"""What a quarterly committee report says: the moment it describes, and content that is right
(issue 14). The plan in `plan_records` is entered now, years after its quarter's meeting on
12 September 2016: the case of every council that starts using the product mid-year."""

import datetime
import io

import docx
import pytest
from django.urls import reverse

from reports import services
from reports.selectors import report_data
from reviews.models import OutcomeUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(users, plan_records):
    return services.report_create(
        period=plan_records["period"],
        actor=users["committee_officer"],
        body="Corporate Parenting Sub-Committee",
        meeting_on=datetime.date(2016, 9, 12),
        title="LAC Strategy: Q1 progress",
        author="Sam Smith, Service Manager",
        contact_details="Telephone: 0115 977 3000\nsam.smith@example.org",
    )


def _print_view(client, report):
    return client.get(reverse("reports:report_print", args=[report.pk])).content.decode()


def _word_text(client, report):
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    document = docx.Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_plan_entered_after_the_meeting_is_in_the_default_draft(
    client, users, plan_records, report
):
    data = report_data(report=report)
    assert [i["title"] for i in data["indicators"]] == [
        plan_records["indicator"].title,
        plan_records["other_action"].priority_indicator.indicator.title,
    ]
    assert [o["update_state"] for o in data["outcomes"]] == ["Draft", "Submitted"]
    assert data["describes"].startswith("The records as they stood at ")
    assert "entered_after" not in data  # nothing can be later than now
    client.force_login(users["committee_officer"])
    assert f"Drawn from: {data['describes']}." in _print_view(client, report)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "The records as they stand now, up to the moment the report is issued" in detail
    assert "entered or changed after" not in detail


def test_as_at_the_meeting_the_report_warns_and_lists_what_came_later(
    client, users, plan_records, report
):
    services.report_update(report=report, actor=users["committee_officer"], describes="meeting")
    data = report_data(report=report)
    assert data["indicators"] == [] and data["describes"] == (
        "The records as they stood at the end of 12 September 2016, the meeting date"
    )
    later = data["entered_after"]
    records = [row["record"] for row in later["rows"]]
    indicator = plan_records["priority"].indicator
    assert f"Priority indicator: {indicator.title}" in records
    assert f"Action in the plan: {plan_records['action']}" in records
    assert f"Figure: {indicator.title}, 2016" in records
    assert any(record.endswith(": update") for record in records)
    assert later["count"] == len(records) >= 6
    client.force_login(users["committee_officer"])
    for page in (
        client.get(report.get_absolute_url()).content.decode(),
        _print_view(client, report),
        _word_text(client, report),
    ):
        assert f"{later['count']} records describing this quarter were entered or changed" in page
        assert f"Priority indicator: {indicator.title}" in page
        assert "the end of 12 September 2016, the meeting date" in page


def test_a_date_is_asked_for_only_when_the_report_describes_a_date(client, users, report):
    client.force_login(users["committee_officer"])
    form = {
        "body": report.body,
        "meeting_on_0": "12",
        "meeting_on_1": "9",
        "meeting_on_2": "2016",
        "title": report.title,
        "seen_version": report.version,
        "describes": "date",
    }
    edit = reverse("reports:report_edit", args=[report.pk])
    response = client.post(edit, form)
    assert response.status_code == 400 and "Enter the date the report describes" in (
        response.content.decode()
    )
    form.update(describes_on_0="30", describes_on_1="9", describes_on_2="2016")
    assert client.post(edit, form).status_code == 302
    report.refresh_from_db()
    assert report.describes_on == datetime.date(2016, 9, 30)
    assert report_data(report=report)["describes"] == (
        "The records as they stood at the end of 30 September 2016"
    )
    # Choosing "now" again forgets the date.
    form.update(describes="now", seen_version=report.version)
    assert client.post(edit, form).status_code == 302
    report.refresh_from_db()
    assert report.describes_on is None


@pytest.mark.parametrize("describes", ["now", "meeting"])
def test_issuing_freezes_what_the_preview_showed(users, plan_records, report, describes):
    services.report_update(report=report, actor=users["committee_officer"], describes=describes)
    preview = report_data(report=report)
    issued = services.report_issue(report=report, actor=users["committee_officer"]).issued_data
    for key in ("outcomes", "exceptions", "late_updates", "describes"):
        assert issued[key] == preview[key], key
    # The charts' element ids differ from one drawing to the next; the rest is the same.
    for row in preview["indicators"] + issued["indicators"]:
        row.pop("chart_svg")
    assert issued["indicators"] == preview["indicators"]


def test_contact_details_are_in_every_format(client, users, report):
    """Contact was fixed in 7cd8cf0; this keeps it so, and keeps its heading from being alone."""
    client.force_login(users["committee_officer"])
    html = _print_view(client, report)
    assert "sam.smith@example.org" in html.split("<h2>Contact</h2>")[1]
    assert '<section class="doc-keep">\n<h2>Contact</h2>' in html
    assert "sam.smith@example.org" in _word_text(client, report)
    issued = services.report_issue(report=report, actor=users["committee_officer"])
    from tests.test_reports import pdf_text

    assert "sam.smith@example.org" in pdf_text(bytes(issued.issued_pdf))


def test_without_contact_details_there_is_no_empty_contact_heading(client, users, report):
    services.report_update(
        report=report, actor=users["committee_officer"], author="", contact_details=""
    )
    client.force_login(users["committee_officer"])
    assert "<h2>Contact</h2>" not in _print_view(client, report)


def test_an_indicator_without_figures_says_so_in_words(client, users, plan_records, report):
    data = report_data(report=report)
    other = plan_records["other_action"].priority_indicator.indicator.title
    [row] = [i for i in data["indicators"] if i["title"] == other]
    assert row["latest"] == "No figure yet"
    client.force_login(users["committee_officer"])
    for text in (_print_view(client, report), _word_text(client, report)):
        assert "None" not in text and "No figure yet" in text


def test_exceptions_include_late_and_missing_updates(client, users, plan_records, report):
    """Outcome 1's update is a draft and outcome 2's is submitted, both long past due."""
    data = report_data(report=report)
    assert data["exceptions"] == []  # no red or overdue actions
    outcome = plan_records["outcome"]
    assert data["late_updates"] == [
        {
            "outcome": outcome.reference,
            "statement": outcome.statement,
            "state": "Draft",
            "due": plan_records["period"].updates_due_on.isoformat(),
        }
    ]
    client.force_login(users["committee_officer"])
    html = _print_view(client, report)
    assert "There are no red or overdue actions." in html and "late or missing" in html
    assert "and no late updates" not in html
    # An outcome with no update at all is missing.
    OutcomeUpdate.objects.filter(outcome=outcome).delete()
    assert [u["state"] for u in report_data(report=report)["late_updates"]] == ["Not started"]
    assert "Not started" in _word_text(client, report)


def test_exceptions_say_so_when_nothing_is_late(users, plan_records, report):
    period = plan_records["period"]
    for update in OutcomeUpdate.objects.filter(period=period):
        update.status = OutcomeUpdate.Status.ACCEPTED
        update.save()  # with its history, which the report reads
    data = report_data(report=report)
    assert data["late_updates"] == [] and data["exceptions"] == []


def test_a_section_left_empty_says_so_rather_than_leave_its_heading_alone(client, users, report):
    client.force_login(users["committee_officer"])
    html = _print_view(client, report)
    after = html.split("<h2>Other options considered</h2>")[1].lstrip()
    assert after.startswith('<p class="doc-note">No text has been provided for this section.</p>')


def test_the_history_shows_a_list_of_sections_in_words(client, users, report):
    services.report_update(
        report=report,
        actor=users["committee_officer"],
        sections_left_out=["financial_implications", "wards_affected"],
    )
    client.force_login(users["committee_officer"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert "[]" not in page and "[&#x27;" not in page
    assert "Financial implications, Wards affected" in page


def test_a_report_is_not_issued_unseen_after_its_records_changed(
    client, users, plan_records, report
):
    """Issuing "now" freezes what the preview showed: if an action changed after the officer
    opened the page, the Issue button says so instead of issuing something else."""
    from actionplans import services as plan_services

    client.force_login(users["committee_officer"])
    page = client.get(report.get_absolute_url()).content.decode()
    seen_at = page.split('name="seen_at" value="')[1].split('"')[0]
    plan_services.action_update(
        action=plan_records["action"], actor=users["administrator"], rag="red"
    )
    response = client.post(
        reverse("reports:report_issue", args=[report.pk]), {"seen_at": seen_at}, follow=True
    )
    assert "Since you opened this page, 1 record describing the quarter was entered" in (
        response.content.decode()
    )
    report.refresh_from_db()
    assert not report.is_issued
    # Opened again, it issues, with the red action in it.
    page = client.get(report.get_absolute_url()).content.decode()
    seen_at = page.split('name="seen_at" value="')[1].split('"')[0]
    client.post(reverse("reports:report_issue", args=[report.pk]), {"seen_at": seen_at})
    report.refresh_from_db()
    assert report.is_issued
    assert [e["rag"] for e in report.issued_data["exceptions"]] == ["Red"]


def test_exceptions_now_from_the_records_match_those_from_the_history(users, plan_records, report):
    from django.utils import timezone

    from actionplans import services as plan_services
    from reports.selectors import quarter_exceptions

    plan_services.action_update(
        action=plan_records["action"], actor=users["administrator"], rag="red"
    )
    period = plan_records["period"]
    now = quarter_exceptions(period=period)
    assert [row["rag"] for row in now["actions"]] == ["Red"]
    assert [row["state"] for row in now["updates"]] == ["Draft"]
    assert now == quarter_exceptions(period=period, as_at=timezone.now())


def test_an_action_s_short_name_is_cut_at_the_end_of_a_word():
    from actionplans.models import Action

    action = Action(
        description="Strengthened processes for initiation of health review "
        "processes by Children's Social Care and partner agencies in the county"
    )
    assert str(action) == (
        "Strengthened processes for initiation of health review processes by Children's Social…"
    )


def test_word_keeps_the_contact_together(client, users, report):
    client.force_login(users["committee_officer"])
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    paragraphs = docx.Document(io.BytesIO(response.content)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Contact")
    kept = [p.paragraph_format.keep_with_next for p in paragraphs[start : start + 3]]
    assert kept == [True, True, True]  # heading, "please contact", the author; then the lines
    assert "sam.smith@example.org" in paragraphs[start + 3].text


def test_no_page_of_the_demo_report_ends_with_a_heading_or_a_caption(settings):
    """The Q2 demo report's PDF: every heading and table caption is kept with what follows."""
    import re
    import shutil
    import subprocess

    from django.core.management import call_command

    from reports import documents
    from reports.models import CommitteeReport

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    draft = CommitteeReport.objects.get(status="draft")
    context = {"data": report_data(report=draft), "report": draft}
    html = documents.render_html("reports/report_document.html", context, for_pdf=True)
    headings = {
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r"<(?:h[1-4]|caption)[^>]*>(.*?)</(?:h[1-4]|caption)>", html, re.S)
    }
    pdf = documents.render_pdf("reports/report_document.html", context)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = [
        [line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")
    ]
    ends = [
        [line for line in lines if not line.startswith("Page ")][-1]
        for lines in pages
        if len(lines) > 1
    ]
    assert len(ends) > 5
    for page, last in enumerate(ends, start=1):
        assert not any(heading.startswith(last) for heading in headings), (page, last)


def test_the_dashboard_counts_late_updates_as_its_exceptions_list_them(users, plan_records):
    """After the period closed too: a closed quarter's meeting pack still says which updates
    came late, in its overview as in its exceptions."""
    from reports.selectors import quarter_exceptions
    from reviews.selectors import dashboard

    period = plan_records["period"]
    period.status = period.Status.CLOSED
    period.save()
    late = quarter_exceptions(period=period)["updates"]
    rows = dashboard(period=period)["rows"]
    assert len(late) == 1 and sum(row.overdue for row in rows) == len(late)


def test_later_records_name_a_deleted_action_without_failing(users, plan_records, report):
    from actionplans.services import action_delete
    from reviews.models import ActionUpdate

    action = plan_records["action"]
    ActionUpdate.objects.create(
        outcome_update=plan_records["draft_update"], action=action, progress_note="Visited"
    )
    action_delete(action=action, actor=users["administrator"], reason="Duplicate")
    services.report_update(report=report, actor=users["committee_officer"], describes="meeting")
    records = [row["record"] for row in report_data(report=report)["entered_after"]["rows"]]
    assert "Progress note in an update: an action since deleted" in records
