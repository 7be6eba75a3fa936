"""Writes for figures: each records who and why in the history."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from figures.dfe_csv import NOT_TEXT, ImportProfileSpec, parse_dfe_csv
from figures.library import standard_indicator
from figures.models import (
    BenchmarkFigure,
    CouncilProfile,
    ImportProfile,
    IndicatorFigure,
    PendingImport,
)
from figures.selectors import council_profile
from frameworks.selectors import framework_items_named
from jobs.models import Job
from jobs.services import JobResult, job_start
from lacstrategy.services import delete_record, problems_saving, save_record
from lacstrategy.text_files import decode_text
from outcomes import services as outcome_services

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def council_profile_save(*, actor, reason="Council codes updated", **fields):
    profile = council_profile() or CouncilProfile()
    return save_record(profile, actor=actor, reason=reason, **fields)


def import_profile_save(*, indicator, actor, reason="Import profile saved", **fields):
    profile = ImportProfile.objects.filter(indicator=indicator).first() or ImportProfile(
        indicator=indicator
    )
    return save_record(profile, actor=actor, reason=reason, **fields)


def figure_save(
    *, indicator, period_end, actor, reason="Figure entered", recorded_at=None, **fields
):
    """Record the council's figure for a period, or change the one already there."""
    figure = IndicatorFigure.objects.filter(indicator=indicator, period_end=period_end).first()
    figure = figure or IndicatorFigure(indicator=indicator, period_end=period_end, entered_by=actor)
    return save_record(figure, actor=actor, reason=reason, recorded_at=recorded_at, **fields)


@transaction.atomic
def figures_enter(*, entries, actor, period_label, period_end):
    """Several indicators' figures for one period, from the data entry page: all or none."""
    return [
        figure_save(
            indicator=indicator,
            period_end=period_end,
            actor=actor,
            reason=f"Entered for {period_label}",
            period_label=period_label,
            value=data["value"],
            denominator=data["denominator"],
            suppressed=data["suppressed"],
            note=data["note"],
        )
        for indicator, data in entries
    ]


def adopt_standard_indicator(*, outcome, code, actor):
    """Add a national measure from the library to an outcome, with its official definition."""
    entry = standard_indicator(code)
    if entry is None:
        raise ValidationError(f"There is no standard measure '{code}'")
    if outcome.indicators.filter(standard_code=code).exists():
        raise ValidationError(f"Outcome {outcome.number} already has '{entry['title']}'")
    return outcome_services.indicator_create(
        outcome=outcome,
        actor=actor,
        reason=f"Adopted the standard measure '{entry['title']}'",
        title=entry["title"],
        definition=f"{entry['definition']} Cohort: {entry['cohort']}."
        + (f" {entry['notes']}" if entry["notes"] else ""),
        unit=entry["unit"],
        better=entry["better"],
        data_source=entry["data_source"],
        frequency=entry["frequency"],
        standard_code=code,
        order=outcome.indicators.count() + 1,
        framework_items=framework_items_named(entry.get("frameworks", [])),
    )


# Importing DfE open data


@dataclass
class ImportPreview:
    """What an upload would change, before anything is saved."""

    errors: list = field(default_factory=list)
    created: list = field(default_factory=list)  # (kind, area name, period, value)
    revised: list = field(default_factory=list)  # (kind, area name, period, old value, new value)
    unchanged: int = 0
    writes: list = field(default_factory=list)  # (existing record or None, model, fields)

    @property
    def change_count(self):
        return len(self.created) + len(self.revised)


def pending_import_create(*, indicator, actor, file_name, data):
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    text = decode_text(data)
    if text is None:
        raise ValidationError(NOT_TEXT)
    pending = PendingImport(
        indicator=indicator, file_name=file_name, content=text, uploaded_by=actor
    )
    return save_record(pending, actor=actor, reason=f"Uploaded {file_name} for preview")


def pending_import_discard(*, pending, actor):
    delete_record(pending, actor=actor, reason="Upload discarded")


def import_preview(*, indicator, text, source):
    """Parse a DfE file with the indicator's import profile and compare it with what is stored."""
    preview = ImportPreview()
    profile = getattr(indicator, "import_profile", None)
    council = council_profile()
    if profile is None:
        preview.errors.append(
            "Set up the indicator's import profile first: which rows and columns to read"
        )
        return preview
    if council is None:
        preview.errors.append("Enter the council's local authority and region codes first")
        return preview
    spec = ImportProfileSpec(
        value_column=profile.value_column,
        filters=profile.filter_map,
        numerator_column=profile.numerator_column,
        denominator_column=profile.denominator_column,
    )
    rows, errors = parse_dfe_csv(text, spec)
    preview.errors = [error.message for error in errors]
    if not rows and not errors:
        preview.errors.append("No row of the file matches the import profile's filters")
    for row in rows:
        if problem := indicator.figure_problem(row.value):
            preview.errors.append(
                f"Row {row.row_number}, column '{profile.value_column}': {problem}"
            )
    if preview.errors:
        return preview

    benchmarks = {(b.level, b.area_code, b.period_end): b for b in indicator.benchmarks.all()}
    figures = {f.period_end: f for f in indicator.figures.all()}
    for row in rows:
        fields = {
            "area_name": row.area_name,
            "period_label": row.label,
            "value": row.value,
            "suppression": row.suppression,
            "source": source,
            "is_illustrative": False,
        }
        existing = benchmarks.get((row.level, row.area_code, row.period_end))
        _compare(
            preview,
            existing,
            BenchmarkFigure,
            fields
            | {
                "indicator": indicator,
                "level": row.level,
                "area_code": row.area_code,
                "period_end": row.period_end,
            },
            row.area_name,
            row.label,
        )
        if row.level == "local_authority" and row.area_code.upper() in (
            council.la_code.upper(),
            council.old_la_code.upper(),
        ):
            own = {
                "indicator": indicator,
                "period_end": row.period_end,
                "period_label": row.label,
                "value": row.value,
                "suppressed": row.value is None,
                "numerator": row.numerator,
                "denominator": row.denominator,
                "source": source,
                "is_illustrative": False,
            }
            _compare(
                preview,
                figures.get(row.period_end),
                IndicatorFigure,
                own,
                f"{council.name} (own figure)",
                row.label,
            )
    return preview


def _compare(preview, existing, model, fields, area, period):
    # Checked as the save will check it, so a preview without errors can always be saved.
    for messages in problems_saving(existing or model(), **fields).values():
        preview.errors += [f"{area}, {period}: {message}" for message in messages]
    if existing is None:
        preview.created.append((area, period, fields["value"]))
        preview.writes.append((None, model, fields))
    elif existing.value != fields["value"] or any(
        getattr(existing, name) != value
        for name, value in fields.items()
        if name in ("suppression", "suppressed")
    ):
        preview.revised.append((area, period, existing.value, fields["value"]))
        preview.writes.append((existing, model, fields))
    else:
        preview.unchanged += 1


def import_apply_start(*, pending, actor):
    """Ask the worker to import a confirmed upload: a national file has thousands of rows."""
    return job_start(
        kind=Job.Kind.DFE_IMPORT,
        title=f"Import {pending.file_name} into {pending.indicator}",
        subject=f"dfe-import:{pending.pk}",
        actor=actor,
        arguments={"pending_import_id": pending.pk},
    )


def dfe_import_job(*, job, progress):
    pending = (
        PendingImport.objects.select_related("indicator")
        .filter(pk=job.arguments["pending_import_id"])
        .first()
    )
    if pending is None:
        raise ValidationError("This upload has already been imported or discarded")
    progress("Checking and saving the figures", 0, 1)
    preview = import_apply(pending=pending, actor=job.requested_by)
    return JobResult(
        message=f"Imported {len(preview.created)} new and {len(preview.revised)} revised "
        f"figures from {pending.file_name}.",
        result_url=pending.indicator.get_absolute_url(),
        result_label=f"Go to {pending.indicator}",
    )


@transaction.atomic
def import_apply(*, pending, actor):
    """Save everything the preview showed, in one transaction, or nothing."""
    preview = import_preview(
        indicator=pending.indicator, text=pending.content, source=pending.file_name
    )
    if preview.errors:
        raise ValidationError(preview.errors)
    reason = f"Imported from {pending.file_name}"
    for existing, model, fields in preview.writes:
        record = existing or model()
        save_record(record, actor=actor, reason=reason, **fields)
    delete_record(pending, actor=actor, reason="Imported")
    return preview
