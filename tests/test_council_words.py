"""The council's own words: with a distinctive set of terms saved in Council settings, no page,
document or e-mail shows the default words any more (issue 13, item 1)."""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from frameworks.models import Framework, FrameworkItem
from lacstrategy.models import Council
from lacstrategy.services import council_save
from outcomes.models import Strategy
from reports.models import CommitteeReport
from reviews.services import send_update_reminders
from tests.test_permissions_matrix import EXPECTED, POST_ONLY, url_for

WORDS = {
    "service_name": "Kappa Tracker",
    "strategy_name": "Zeta Promise to Young People",
    "outcome_singular": "zeta aim",
    "outcome_plural": "zeta aims",
    "priority_singular": "quux measure",
    "priority_plural": "quux measures",
    "group_singular": "omega cluster",
    "group_plural": "omega clusters",
    "delivery_kind": "sigma",
    "outcome_kind": "tau",
    "review_group": "Omicron Panel",
    "children_council": "Voices Forum",
    "committee": "Quux Board",
}

# Every default phrase that now comes from Council settings. Matched without regard to case,
# as whole words, so "outcomes" and "Outcome owner" are caught too.
DEFAULT_PHRASES = [
    "Strategy Group",
    "Children in Care Council",
    "Corporate Parenting Sub-Committee",
    "Looked After Children and Care Leavers Strategy",
    "LAC Strategy",
    # The defaults of a new installation.
    "Corporate Parenting Group",
    "Corporate Parenting Committee",
    "Corporate Parenting Strategy",
    "outcome",
    "outcomes",
    "priority indicator",
    "priority indicators",
    "priority area",
    "priority areas",
    # "Priority next year" where the council says "quux measure next year".
    "priority",
    "priorities",
    "theme",
    "themes",
    # The body that receives the reports, and the role that writes them for it.
    "committee",
    "committees",
]
DEFAULTS = re.compile(r"\b(" + "|".join(map(re.escape, DEFAULT_PHRASES)) + r")\b", re.IGNORECASE)

# The plan spreadsheet's column headings are the file format the import reads back (with
# aliases), not words shown to people on a page: they stay fixed.
FILE_FORMATS = {"actionplans:plan_spreadsheet", "actionplans:plan_spreadsheet_template"}
# Binary answers checked by what they contain, below.
BINARY = {"figures:indicator_chart", "jobs:job_file"}
BINARY |= {"reports:report_pdf"}
# Council settings shows the default words as examples in its hints, on purpose; the standard
# measures' library quotes the DfE's publications ("OC2 outcomes data").
NOT_THE_COUNCILS_WORDS = {"council_settings", "figures:library"}


CELL = "\x1f"  # where one cell or block of a page ends and the next begins


class VisibleText(HTMLParser):
    """The words a person sees or hears: text outside scripts and styles, and the labels."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self.hidden = 0

    # Separate cells, options and blocks: "Priority" in one column heading and "Indicator" in
    # the next are two words, not the phrase "priority indicator".
    BOUNDARIES = {"td", "th", "option", "li", "p", "div", "dt", "dd", "h1", "h2", "h3", "h4"}

    def handle_starttag(self, tag, attrs):
        if tag in self.BOUNDARIES:
            self.parts.append(CELL)
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder") and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html, *, cells=False):
    """The page's words; with `cells`, its cells and blocks apart ("a | b")."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts).replace(CELL, " | " if cells else " ")
    return " ".join(text.split())


def defaults_in(text):
    found = {}
    for match in DEFAULTS.finditer(text):
        start = max(0, match.start() - 60)
        found.setdefault(match.group(0), text[start : match.end() + 60])
    return found


def docx_text(content):
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    properties = document.core_properties
    parts += [properties.title or "", properties.subject or "", properties.author or ""]
    parts += [properties.last_modified_by or "", properties.keywords or ""]
    return "\n".join(parts)


def xlsx_text(content):
    book = load_workbook(io.BytesIO(content))
    parts = [book.properties.title or "", book.properties.creator or ""]
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts += [str(value) for value in row if value is not None]
    return "\n".join(parts)


def without_quotations(text, url):
    """The text without what pages quote from the national frameworks (the law's "the best
    outcomes"; on a framework's own pages, the National Framework's part "Outcomes"): their
    words, not the council's."""
    quoted = {item.title for item in FrameworkItem.objects.all()}
    if url.startswith(reverse("frameworks:framework_list")):
        quoted |= {item.part for item in FrameworkItem.objects.all()}
    quoted |= {framework.source for framework in Framework.objects.all()}
    quoted |= {framework.note for framework in Framework.objects.all()}
    for words in sorted(filter(None, quoted), key=len, reverse=True):
        text = text.replace(words, "")
    return text


@pytest.fixture
def distinct_words(users):
    council_save(actor=users["administrator"], name="Testshire County Council", **WORDS)
    # The fixture's reports were written for the default committee: a record's words, not code.
    CommitteeReport.objects.update(body=WORDS["committee"])
    CommitteeReport.history.update(body=WORDS["committee"])
    # Who approved the strategy is the record's words too (the fixture's says Policy Committee).
    mine = {"principles": "Listen to children and young people", "approved_by": "Quux Board"}
    Strategy.objects.update(**mine)
    Strategy.history.update(**mine)
    return Council.objects.get()


def answer_text(response, *, cells=False):
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "wordprocessingml" in kind:
        return docx_text(content)
    if "spreadsheetml" in kind:
        return xlsx_text(content)
    return visible_text(content.decode(), cells=cells)


@pytest.mark.django_db
def test_no_page_or_document_shows_a_default_word(client, users, plan_records, distinct_words):
    problems = {}
    for name, (record_key, allowed, is_write) in sorted(EXPECTED.items()):
        if is_write == POST_ONLY or name in FILE_FORMATS | BINARY | NOT_THE_COUNCILS_WORDS:
            continue
        url = url_for(name, record_key, plan_records)
        client.force_login(users[sorted(allowed)[0]])
        response = client.get(url)
        assert response.status_code == 200, url
        if found := defaults_in(without_quotations(answer_text(response, cells=True), url)):
            problems[url] = found
    assert not problems, "Default words still shown:\n" + "\n".join(
        f"{url}: {found}" for url, found in problems.items()
    )


@pytest.mark.django_db
def test_the_council_words_are_used(client, users, plan_records, distinct_words):
    client.force_login(users["administrator"])
    home = visible_text(client.get("/").content.decode())
    assert "Zeta Promise to Young People" in home
    plan = visible_text(
        client.get(url_for("actionplans:plan_detail", "plan", plan_records)).content.decode()
    )
    assert "Zeta aim 1" in plan or "zeta aim 1" in plan
    assert "Quux measures for" in plan
    report = client.get(url_for("reports:report_print", "report", plan_records)).content.decode()
    assert "Quux measures" in visible_text(report)


@pytest.mark.django_db
def test_no_email_shows_a_default_word(client, users, plan_records, distinct_words):
    users["chair"].email = "chair@example.org"
    users["chair"].save()
    period = plan_records["period"]
    send_update_reminders(
        today=period.updates_due_on + datetime.timedelta(days=1), actor=users["administrator"]
    )
    client.post(reverse("password_reset"), {"email": users["viewer"].email})
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert not defaults_in(text), text
    overdue = next(m for m in mail.outbox if "overdue" in m.subject)
    assert "Omicron Panel" in overdue.body and "Kappa Tracker" in overdue.subject


@pytest.mark.django_db
def test_reports_of_every_type_are_in_the_council_words(
    client, users, plan_records, distinct_words
):
    from lacstrategy.services import council_save

    council_save(
        actor=users["administrator"],
        name="Testshire County Council",
        report_sections=["financial_implications", "background_papers"],
        **WORDS,
    )
    client.force_login(users["committee_officer"])
    for report_type in ("approval", "annual", "other"):
        report = CommitteeReport.objects.create(
            report_type=report_type,
            strategy=plan_records["strategy"],
            action_plan=plan_records["plan"],
            body=WORDS["committee"],
            meeting_on=datetime.date(2017, 4, 4),
            title="For the board",
        )
        for name in ("report_detail", "report_edit", "report_print", "report_docx"):
            response = client.get(reverse(f"reports:{name}", args=[report.pk]))
            assert response.status_code == 200
            assert not defaults_in(answer_text(response, cells=True)), (report_type, name)
    page = visible_text(client.get(reverse("reports:report_list")).content.decode())
    assert not defaults_in(page)


@pytest.mark.django_db
def test_the_committee_is_named_in_the_council_words_where_pages_speak_of_it(
    client, users, plan_records, distinct_words
):
    client.force_login(users["viewer"])
    dashboard = client.get(plan_records["period"].get_absolute_url()).content.decode()
    assert f"As the report to the {WORDS['committee']} gives them" in dashboard
    reports = client.get(reverse("reports:report_list")).content.decode()
    assert f"what the {WORDS['committee']} was told" in reports


def test_labels_kept_in_the_code_name_no_committee_or_group():
    """Job kinds, settings fields and app names are the product's own words: the council's
    committee and group are named only from its settings."""
    from django.apps import apps

    from jobs.models import Job

    labels = [str(label) for _, label in Job.Kind.choices]
    field = Council._meta.get_field("report_sections")
    labels += [str(field.verbose_name), str(field.help_text)]
    labels += [str(config.verbose_name) for config in apps.get_app_configs()]
    for label in labels:
        assert not re.search(r"\b(committee|strategy group)\b", label, re.I), label
