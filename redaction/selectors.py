"""Where a piece of text stands: in the records, every earlier version of them, the draft and
issued reports, and the documents made for download. What a redaction would change.

A fixed number of queries whatever the data: per kind of record, one for the records that hold
the text (the database narrows them down) and one for their history rows; then Python counts
the whole-word matches.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import reduce
from html import unescape
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.text import capfirst

from actionplans.models import PlanImport
from jobs.models import Job
from redaction.models import Redaction
from reports.models import CommitteeReport

# Short texts would match parts of too many ordinary words.
MIN_LENGTH = 3
# Free text is where someone writes, and so where a child's name can land: every text field,
# multi-line or a single line such as a title, that has no fixed choices, on every record with
# a history. But not these records, where nobody writes about a child: people's own accounts
# and the council's settings (adults' names and contact details, kept under People and roles),
# the system's own (jobs, whose files are deleted instead; reminders sent, which hold e-mail
# addresses; redactions), the national figures' codes and import settings, and uploads
# waiting to be confirmed or discarded.
LEFT_OUT = {
    "lacstrategy.User",
    "lacstrategy.Council",
    "jobs.Job",
    "reviews.ReminderSent",
    "redaction.Redaction",
    "figures.CouncilProfile",
    "figures.BenchmarkFigure",
    "figures.ImportProfile",
    "figures.PendingImport",
    "actionplans.PlanImport",
    "frameworks.FrameworkUpload",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
}
# A history row's own free text: why the change was made.
REASON = "history_change_reason"


def pattern_for(text):
    """The text as typed, in any case, as a whole: "Ann" does not match "annual"."""
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def _variants(text):
    # The database narrows the rows down with a case-insensitive LIKE, which SQLite applies to
    # ASCII letters only; asking for the lower and upper case forms too finds "ZOË" for "Zoë".
    return {text, text.lower(), text.upper()}


def _holding(names, values):
    return reduce(or_, (Q(**{f"{name}__icontains": v}) for name in names for v in values))


def text_fields(model):
    """The record's free-text fields, which its history keeps too."""
    kept = {f.name for f in model.history.model._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if (isinstance(f, models.TextField) or type(f) is models.CharField)
        and f.editable
        and not f.choices
        and f.name in kept
    ]


def searched_fields(model):
    """The fields searched on `model`; every history's reasons for changes are searched too."""
    return [] if model._meta.label in LEFT_OUT else text_fields(model)


def models_with_history():
    return [
        model
        for model in apps.get_models()
        # simple-history marks the models it keeps a history of. A redaction's own reason is
        # the administrator's, written knowing the text is being removed.
        if getattr(model._meta, "simple_history_manager_attribute", None) == "history"
        and model._meta.label != "redaction.Redaction"
    ]


@dataclass
class FieldCount:
    label: str
    now: int = 0  # times in the record as it is
    versions: int = 0  # earlier versions (history rows) that hold it


@dataclass
class RecordFinding:
    model: type
    pk: int
    record: object  # None for a deleted record, which only its history keeps
    history_rows: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # field name: FieldCount

    @property
    def kind(self):
        return capfirst(self.model._meta.verbose_name)

    @property
    def name(self):
        if self.record is None:
            return f"{self.kind} {self.pk} (deleted)"
        return str(self.record)

    @property
    def url(self):
        if self.record is None:
            return ""
        if hasattr(self.record, "get_absolute_url"):
            return self.record.get_absolute_url()
        # An update's entries (an action's or an indicator's) are shown on the update's page.
        update = getattr(self.record, "outcome_update", None)
        return update.get_absolute_url() if update is not None else ""

    @property
    def now(self):
        return sum(count.now for count in self.fields.values())

    @property
    def is_draft_report(self):
        return self.model is CommitteeReport

    def count(self, name, label):
        return self.fields.setdefault(name, FieldCount(label=label))


@dataclass
class Findings:
    records: list
    issued_reports: list
    job_files: list
    uploads: list = field(default_factory=list)  # plan uploads waiting, that hold the text

    @property
    def occurrences(self):
        return sum(finding.now for finding in self.records)

    @property
    def history_rows(self):
        return sum(len(finding.history_rows) for finding in self.records)

    @property
    def drafts(self):
        return [finding for finding in self.records if finding.is_draft_report]

    @property
    def found(self):
        return bool(self.records or self.issued_reports)

    @property
    def fingerprint(self):
        """What was found, to tell whether the records changed between preview and confirm."""
        parts = [
            (f.model._meta.label, f.pk, sorted((n, c.now, c.versions) for n, c in f.fields.items()))
            for f in self.records
        ]
        parts += [("issued", report.pk) for report in self.issued_reports]
        parts += [("file", str(job.pk)) for job in self.job_files]
        parts += [("upload", upload.pk) for upload in self.uploads]
        return hashlib.sha256(repr(sorted(map(repr, parts))).encode()).hexdigest()[:32]


def _matches(pattern, value):
    return len(pattern.findall(value or ""))


def _scan(model, pattern, values, *, issued_ids, lock):
    """The records of `model` that hold the text, now or in an earlier version."""
    fields = searched_fields(model)
    names = [f.name for f in fields]
    labels = {f.name: capfirst(f.verbose_name) for f in fields}
    labels[REASON] = "Reason given for a change"
    current = model._default_manager.filter(_holding(names, values)) if names else []
    if lock and names:
        # An editor's save waits until the redaction is done, then meets the new version.
        current = current.select_for_update(of=("self",))
    found = {}
    for record in current.select_related() if names else []:
        finding = RecordFinding(model=model, pk=record.pk, record=record)
        for name in names:
            if times := _matches(pattern, getattr(record, name)):
                finding.count(name, labels[name]).now = times
        if finding.fields:
            found[record.pk] = finding
    rows = model.history.filter(_holding([*names, REASON], values)).order_by("history_id")
    for row in rows:
        holding = [name for name in [*names, REASON] if _matches(pattern, getattr(row, name))]
        if not holding:
            continue
        if row.id not in found:
            found[row.id] = RecordFinding(model=model, pk=row.id, record=None)
        found[row.id].history_rows.append(row)
        for name in holding:
            found[row.id].count(name, labels[name]).versions += 1
    missing = [pk for pk, finding in found.items() if finding.record is None]
    if missing:  # records whose text was changed since, or deleted ones
        others = model._default_manager.filter(pk__in=missing)
        if lock:
            others = others.select_for_update(of=("self",))
        for record in others.select_related():
            found[record.pk].record = record
    if model is CommitteeReport:
        return [f for pk, f in found.items() if pk not in issued_ids], [
            pk for pk in found if pk in issued_ids
        ]
    return list(found.values()), []


def _issued_reports(pattern, values, also):
    """Issued reports that hold the text: in what the officer wrote, in the report as issued
    (its HTML, which has everything drawn from the records), or in their history."""
    names = [f.name for f in text_fields(CommitteeReport)]
    in_html = {escape(v) for v in values} | set(values)
    candidates = CommitteeReport.objects.filter(status=CommitteeReport.Status.ISSUED).filter(
        Q(pk__in=also) | _holding(names, values) | _holding(["issued_html"], in_html)
    )
    return [
        report
        for report in candidates.select_related("period__action_plan").defer("issued_pdf")
        if report.pk in also
        or any(_matches(pattern, getattr(report, name)) for name in names)
        or _matches(pattern, unescape(report.issued_html))
    ]


def documents_made():
    """Files made for download (PDFs, Word and Excel documents of drafts, plans and
    strategies): made from the records, they may hold the text, and cannot be searched
    reliably; each can be made again."""
    return list(Job.objects.exclude(file_name="").defer("file").order_by("created_at"))


def find_text(*, text, lock=False):
    """Everywhere `text` stands. With `lock`, the records that hold it now are locked until
    the transaction ends."""
    pattern, values = pattern_for(text), _variants(text)
    issued_ids = set(
        CommitteeReport.objects.filter(status=CommitteeReport.Status.ISSUED).values_list(
            "pk", flat=True
        )
    )
    records, issued_in_history = [], []
    for model in models_with_history():
        found, issued = _scan(model, pattern, values, issued_ids=issued_ids, lock=lock)
        records += found
        issued_in_history += issued
    return Findings(
        records=records,
        issued_reports=_issued_reports(pattern, values, issued_in_history),
        job_files=documents_made(),
        uploads=_uploads_waiting(pattern, values),
    )


def _uploads_waiting(pattern, values):
    """Plan uploads waiting for confirmation whose rows hold the text: confirming one would
    write the text back, so they are discarded (their rows are JSON: searched as text)."""
    waiting = PlanImport.objects.defer("content").select_related("action_plan")
    return [
        upload
        for upload in waiting
        if _matches(pattern, json.dumps(upload.parsed, ensure_ascii=False))
        or _matches(pattern, upload.file_name)
    ]


def redaction_list():
    return Redaction.objects.select_related("redacted_by")


def redaction_detail(*, pk):
    return get_object_or_404(
        Redaction.objects.select_related("redacted_by").prefetch_related("issued_reports"), pk=pk
    )
