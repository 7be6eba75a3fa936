"""Writes for committee reports: each records who and why in the history."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from actionplans.models import ActionPlan
from jobs.models import Job
from jobs.services import JobResult, job_start
from lacstrategy.services import save_record
from outcomes.models import Strategy
from reports import documents
from reports.models import CommitteeReport
from reports.selectors import (
    entered_after,
    parse_as_at,
    plan_document,
    report_data,
    report_moment,
    strategy_document,
    unwritten_sections_message,
)


def report_create(*, actor, reason="Report drafted", recorded_at=None, **fields):
    """A new draft: on a quarter (`period`), or of another type on a `strategy` (and, for an
    annual report, its `action_plan`)."""
    return save_record(
        CommitteeReport(), actor=actor, reason=reason, recorded_at=recorded_at, **fields
    )


def report_update(*, report, actor, reason="Report edited", **fields):
    if report.is_issued:
        raise ValidationError("An issued report cannot change: make a new draft version instead")
    return save_record(report, actor=actor, reason=reason, **fields)


def _no_progress(step, done, total):
    pass


def _check_sections_written(report):
    message = unwritten_sections_message(report)
    if message:
        raise ValidationError(message)


def report_issue(*, report, actor, recorded_at=None, asked_at=None, progress=_no_progress):
    """Freeze the report: keep the data it was built from, its HTML and its PDF, as issued.

    The reading and rendering (seconds on a large plan) happen outside any transaction; the
    three are saved together at the end, and only if nobody changed the report meanwhile."""
    if report.is_issued:
        raise ValidationError("This version has already been issued")
    _check_sections_written(report)
    seen_version = report.version
    moment = recorded_at or timezone.now()
    report.status, report.issued_at, report.issued_by = CommitteeReport.Status.ISSUED, moment, actor
    progress("Reading the records and drawing the charts", 0, 4)
    # What the preview showed: the records at the moment the report describes, which for a
    # report on the records "now" is the moment the officer asked for it to be issued.
    data = report_data(report=report, as_at=report_moment(report, now=asked_at or moment))
    context = {"data": data, "report": report}
    progress("Writing the report", 1, 4)
    html = documents.render_html("reports/report_document.html", context)
    progress("Making the PDF", 2, 4)
    pdf = documents.render_pdf("reports/report_document.html", context)
    progress("Saving the issued report", 3, 4)
    return save_record(
        report,
        actor=actor,
        reason=f"Issued to the {report.body}",
        recorded_at=recorded_at,
        seen_version=seen_version,
        issued_data=data,
        issued_html=html,
        issued_pdf=pdf,
    )


def issue_report_job(*, job, progress):
    """The background job behind the Issue button."""
    report = CommitteeReport.objects.select_related(
        "period__action_plan__strategy", "strategy", "action_plan"
    ).get(pk=job.arguments["report_id"])
    asked_at = job.arguments.get("asked_at")
    report_issue(
        report=report,
        actor=job.requested_by,
        asked_at=datetime.datetime.fromisoformat(asked_at) if asked_at else None,
        progress=progress,
    )
    return JobResult(
        message=f"Version {report.number} is issued to the {report.body}. It will stay as issued.",
        result_url=report.get_absolute_url(),
        result_label="Go to the issued report",
    )


# The PDFs made in the background: what each is of, and how its data and template are found.
DOCUMENTS = {
    "report": (CommitteeReport, "reports/report_document.html"),
    "plan": (ActionPlan, "reports/plan_document.html"),
    "strategy": (Strategy, "reports/strategy_document.html"),
}


def document_pdf_start(*, document, record, actor, as_at=None):
    """Ask the worker for a PDF of a draft report, a plan or a strategy."""
    as_at_text = as_at.date().isoformat() if as_at else ""
    return job_start(
        kind=Job.Kind.DOCUMENT,
        title=f"PDF of {record}" + (f" as at {as_at:%-d %B %Y}" if as_at else ""),
        subject=f"pdf:{document}:{record.pk}:{as_at_text}:{actor.pk}",
        actor=actor,
        arguments={"document": document, "pk": record.pk, "as_at": as_at_text},
    )


def document_job(*, job, progress):
    document, pk = job.arguments["document"], job.arguments["pk"]
    model, template = DOCUMENTS[document]
    record = model.objects.get(pk=pk)
    as_at = parse_as_at(job.arguments.get("as_at"))
    progress("Reading the records", 0, 2)
    if document == "report":  # at the moment the report describes, as its preview shows
        context = {"data": report_data(report=record), "report": record}
        name = f"report-v{record.number}.pdf"
    elif document == "plan":
        context = {"data": plan_document(action_plan=record, as_at=as_at), "plan": record}
        name = f"action-plan-{record.year_label}.pdf"
    else:
        context = {"data": strategy_document(strategy=record), "strategy": record}
        name = "strategy.pdf"
    progress("Making the PDF", 1, 2)
    return JobResult(
        message=f"The PDF of {record} is ready.",
        file=documents.render_pdf(template, context),
        file_name=name,
        content_type="application/pdf",
        result_url=record.get_absolute_url(),
        result_label=f"Back to {record}",
    )


def report_issue_start(*, report, actor, seen_at=None):
    """Ask the worker to issue the report; a second click finds the job already asked for.

    `seen_at` is when the officer opened the report's page: if records the report draws on
    changed since, it is not issued unseen."""
    if report.is_issued:
        raise ValidationError("This version has already been issued")
    _check_sections_written(report)
    asked_at = timezone.now()
    if seen_at and report.is_quarterly and report_moment(report, now=asked_at) > seen_at:
        later = entered_after(period=report.period, moment=seen_at)
        if later["count"]:
            raise ValidationError(
                f"Since you opened this page, {later['count']} record"
                f"{'s' if later['count'] != 1 else ''} describing the quarter "
                f"{'were' if later['count'] != 1 else 'was'} entered or changed. Preview the "
                "report again, then issue it."
            )
    return job_start(
        kind=Job.Kind.ISSUE_REPORT,
        title=f"Issue version {report.number} of {report.title}",
        subject=f"issue-report:{report.pk}",
        actor=actor,
        arguments={"report_id": report.pk, "asked_at": asked_at.isoformat()},
    )


def report_new_version(*, report, actor):
    """A new draft from an issued report, with its narrative, to change and issue again."""
    if not report.is_issued:
        raise ValidationError("Only an issued report needs a new version")
    if hasattr(report, "next_version"):
        raise ValidationError("There is already a newer version of this report")
    return report_create(
        report_type=report.report_type,
        period=report.period,
        strategy=report.strategy,
        action_plan=report.action_plan,
        actor=actor,
        reason=f"New draft from version {report.number}",
        number=report.number + 1,
        previous=report,
        **{name: getattr(report, name) for name in CommitteeReport.NARRATIVE_FIELDS},
    )
