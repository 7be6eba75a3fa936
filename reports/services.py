"""Writes for committee reports: each records who and why in the history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lacstrategy.services import save_record
from reports import documents
from reports.models import CommitteeReport
from reports.selectors import report_data, report_moment


def report_create(*, period, actor, reason="Report drafted", recorded_at=None, **fields):
    report = CommitteeReport(period=period)
    return save_record(report, actor=actor, reason=reason, recorded_at=recorded_at, **fields)


def report_update(*, report, actor, reason="Report edited", **fields):
    if report.is_issued:
        raise ValidationError("An issued report cannot change: make a new draft version instead")
    return save_record(report, actor=actor, reason=reason, **fields)


@transaction.atomic
def report_issue(*, report, actor, recorded_at=None):
    """Freeze the report: keep the data it was built from, its HTML and its PDF, as issued."""
    if report.is_issued:
        raise ValidationError("This version has already been issued")
    moment = recorded_at or timezone.now()
    report.status, report.issued_at, report.issued_by = CommitteeReport.Status.ISSUED, moment, actor
    data = report_data(report=report, as_at=min(moment, report_moment(report)))
    context = {"data": data, "report": report}
    return save_record(
        report,
        actor=actor,
        reason=f"Issued to the {report.body}",
        recorded_at=recorded_at,
        issued_data=data,
        issued_html=documents.render_html("reports/report_document.html", context),
        issued_pdf=documents.render_pdf("reports/report_document.html", context),
    )


def report_new_version(*, report, actor):
    """A new draft from an issued report, with its narrative, to change and issue again."""
    if not report.is_issued:
        raise ValidationError("Only an issued report needs a new version")
    if hasattr(report, "next_version"):
        raise ValidationError("There is already a newer version of this report")
    return report_create(
        period=report.period,
        actor=actor,
        reason=f"New draft from version {report.number}",
        number=report.number + 1,
        previous=report,
        **{name: getattr(report, name) for name in CommitteeReport.NARRATIVE_FIELDS},
    )
