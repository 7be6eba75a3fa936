"""Reads of the change history: every version of a record, with what changed field by field.

All versions come from one query and neighbouring versions are compared in Python, so a record
with a long history costs no more queries than one with a short history.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Fields whose own names are not the council's words.
LABELS = {"groups": "Roles", "is_active": "Can sign in"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Version:
    date: object
    user: object
    reason: str
    kind: str
    changes: list = field(default_factory=list)


def _tracked_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in {"password", "last_login", "date_joined"}
    ]


def _m2m_fields(record):
    """(field, accessor of its history rows on a version, name of the related record's column)."""
    history_model = record.history.model
    found = []
    for f in history_model._history_m2m_fields:
        through_name = f"{history_model.__name__}_{f.name}"
        for rel in history_model._meta.related_objects:
            if rel.related_model.__name__ == through_name:
                found.append((f, rel.get_accessor_name(), f.m2m_reverse_field_name()))
    return found


def _display(model_field, value, names):
    if value in (None, ""):
        return (
            "(none)"
            if not model_field.choices
            else dict(model_field.flatchoices).get(value, "(none)")
        )
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"record {value} (since deleted)")
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.DateField) and hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def _related_names(fields, versions):
    """Names of the records that foreign keys point to, one query for each related model."""
    wanted = defaultdict(set)
    for f in fields:
        if f.is_relation:
            for version in versions:
                value = getattr(version, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    names = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(ids).items():
            names[(related_model, pk)] = str(obj)
    return names


def record_history(record, *, newer_than_version=None):
    """Every version of `record`, newest first, each with the fields it changed.

    With `newer_than_version`, only the versions saved after that one (what others changed
    since an editor opened the record).
    """
    fields = _tracked_fields(type(record))
    m2m_fields = _m2m_fields(record)
    versions = record.history.select_related("history_user").order_by("history_date", "history_id")
    if m2m_fields:
        versions = versions.prefetch_related(
            *[f"{accessor}__{column}" for _, accessor, column in m2m_fields]
        )
    versions = list(versions)
    names = _related_names(fields, versions)
    result = []
    previous = None
    previous_m2m = {}
    for version in versions:
        entry = Version(
            date=version.history_date,
            user=version.history_user,
            reason=version.history_change_reason or "",
            kind=HISTORY_TYPES.get(version.history_type, version.history_type),
        )
        for f in fields:
            new = getattr(version, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and new in (None, "", False):
                continue
            if previous is None or old != new:
                entry.changes.append(
                    FieldChange(
                        label=LABELS.get(f.name, str(f.verbose_name).capitalize()),
                        old=_display(f, old, names) if previous is not None else "",
                        new=_display(f, new, names),
                    )
                )
        for f, accessor, column in m2m_fields:
            current = sorted(str(getattr(row, column)) for row in getattr(version, accessor).all())
            before = previous_m2m.get(f.name)
            if (before is None and current) or (before is not None and before != current):
                entry.changes.append(
                    FieldChange(
                        label=LABELS.get(f.name, str(f.verbose_name).capitalize()),
                        old=", ".join(before) if before else ("" if before is None else "(none)"),
                        new=", ".join(current) or "(none)",
                    )
                )
            previous_m2m[f.name] = current
        newer = newer_than_version is None or version.version > newer_than_version
        if newer and (entry.changes or entry.kind != "Changed"):
            result.append(entry)
        previous = version
    result.reverse()
    return result
