"""Removing a piece of text (a child's name) from the records, every earlier version of them
and the draft reports, in one transaction, recorded with who and why but not the text.

Issued reports are the council's formal record: they are listed for the administrator to
decide on (by issuing a corrected version), never changed. Documents made for download are
deleted, since they may hold the text; each can be made again.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplans.services import plan_import_discard
from jobs.models import Job
from lacstrategy.services import PreviewOutOfDate, save_correction, save_record
from redaction.models import Redaction
from redaction.selectors import MIN_LENGTH, REASON, find_text, pattern_for, searched_fields

FILE_DELETED = (
    "Its file was deleted when an administrator redacted text from the records. "
    "Make the document again to download it."
)


def check_request(*, text, replacement, reason):
    """What is wrong with a request to redact, by field: before anything is looked up."""
    errors = {}
    pattern = pattern_for(text)
    if len(text.strip()) < MIN_LENGTH:
        errors["text"] = (
            f"Enter at least {MIN_LENGTH} characters of text to remove, so that it cannot "
            "match parts of ordinary words"
        )
    elif pattern.search(replacement):
        errors["replacement"] = "The replacement cannot contain the text to remove"
    elif pattern.search(reason):
        errors["reason"] = (
            "Do not repeat the text to remove in the reason: the reason is kept, and the "
            "text must not be"
        )
    if errors:
        raise ValidationError(errors)


def _replace(pattern, replacement, value):
    if value is None:  # a history row's reason may be empty
        return None
    # A function, so that a replacement such as "\\1" is written as typed.
    return pattern.sub(lambda match: replacement, value)


def check_fits(*, findings, text, replacement):
    """Refuse a replacement that would make a field longer than it may be."""
    pattern = pattern_for(text)
    for finding in findings.records:
        limits = {f.name: f.max_length for f in searched_fields(finding.model) if f.max_length}
        rows = [finding.record] if finding.record is not None else []
        for row in rows + finding.history_rows:
            for name, limit in limits.items():
                if len(_replace(pattern, replacement, getattr(row, name)) or "") > limit:
                    label = finding.fields.get(name)
                    raise ValidationError(
                        {
                            "replacement": f"With this replacement, the "
                            f"{(label.label if label else name).lower()} of {finding.name} "
                            f"would be longer than its {limit} characters: use a shorter one"
                        }
                    )


def _what_changed(findings):
    """Each record changed, named as it is now: a name read before (an action's shortened
    description in an update's name, say) could keep part of the text."""
    names = {}
    for model in {finding.model for finding in findings.records}:
        ids = [f.pk for f in findings.records if f.model is model and f.record is not None]
        for record in model._default_manager.filter(pk__in=ids).select_related():
            names[(model, record.pk)] = str(record)
    return [
        {
            "kind": finding.kind,
            "name": names.get((finding.model, finding.pk), finding.name),
            "fields": [count.label for count in finding.fields.values()],
            "now": finding.now,
            "versions": len(finding.history_rows),
        }
        for finding in findings.records
    ]


def redact_text(*, token, **request):
    """Apply a redaction shown in a preview: `request` holds text, replacement, reason, actor
    and fingerprint (what the preview found). Gives (the redaction, whether this call made it):
    the second click of a double-click gets the first's redaction back.

    Raises PreviewOutOfDate if what would change is no longer what the preview showed."""
    try:
        return _redact(token=token, **request)
    except (IntegrityError, ValidationError):
        # Two clicks at once: the other one's redaction claimed this preview's token first,
        # seen by the unique check before the insert, or by the database's constraint.
        done = Redaction.objects.filter(token=token).first()
        if done is None:
            raise
        return done, False


@transaction.atomic
def _redact(*, text, replacement, reason, actor, token, fingerprint):
    check_request(text=text, replacement=replacement, reason=reason)
    done = Redaction.objects.filter(token=token).first()
    if done is not None:
        return done, False
    findings = find_text(text=text, lock=True)
    done = Redaction.objects.filter(token=token).first()  # the other click, waited for
    if done is not None:
        return done, False
    if not findings.found:
        raise ValidationError(
            {"text": "The text is not in any record, its history or an issued report"}
        )
    if findings.fingerprint != fingerprint:
        raise PreviewOutOfDate(findings)
    check_fits(findings=findings, text=text, replacement=replacement)

    pattern, why = pattern_for(text), f"Text redacted: {reason}"
    corrected = {}
    for finding in findings.records:
        fields = [*(f.name for f in searched_fields(finding.model)), REASON]
        # Earlier versions are corrected in place: their dates, people and reasons stay (the
        # reasons redacted too), so the history still says who changed what and when.
        for row in finding.history_rows:
            for name in fields:
                setattr(row, name, _replace(pattern, replacement, getattr(row, name)))
        corrected.setdefault(finding.model.history.model, (fields, []))[1].extend(
            finding.history_rows
        )
        if finding.record is not None:
            # A new version, even when only earlier ones held the text: the record's history
            # says who redacted it and why, and an editor's open form meets the conflict page.
            save_correction(
                finding.record,
                actor=actor,
                reason=why,
                **{
                    name: _replace(pattern, replacement, getattr(finding.record, name))
                    for name, count in finding.fields.items()
                    if count.now
                },
            )
    for history_model, (fields, rows) in corrected.items():
        history_model.objects.bulk_update(rows, fields, batch_size=500)
    for upload in findings.uploads:
        plan_import_discard(plan_import=upload, actor=actor)
    for job in findings.job_files:
        job = Job.objects.select_for_update().defer("file").get(pk=job.pk)
        save_record(job, actor=actor, reason=why, file=None, file_name="", message=FILE_DELETED)
    redaction = Redaction(
        token=token,
        redacted_by=actor,
        reason=reason,
        replacement=replacement,
        occurrences=findings.occurrences,
        records_changed=len(findings.records),
        history_rows_changed=findings.history_rows,
        drafts_changed=len(findings.drafts),
        files_deleted=len(findings.job_files),
        changed=_what_changed(findings),
    )
    save_record(redaction, actor=actor, reason=why, m2m={"issued_reports": findings.issued_reports})
    return redaction, True
