"""Writes: approving a record's texts for the public page, and taking them off it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lacstrategy.services import delete_record, save_record
from public.models import PUBLISHABLE, PublicText


def _label(record):
    return record._meta.label_lower


@transaction.atomic
def texts_approve(*, record, actor, reason="Approved for the public page"):
    """Approve the record's publishable texts as they read now (an empty one is skipped)."""
    fields = PUBLISHABLE.get(_label(record))
    if not fields:
        raise ValidationError("Nothing of this record can be published")
    approved = []
    for field in fields:
        text = getattr(record, field)
        if not str(text).strip():
            continue
        existing = (
            PublicText.objects.select_for_update()
            .filter(record_type=_label(record), record_id=record.pk, field=field)
            .first()
        )
        if existing is not None and existing.text == text:
            approved.append(existing)  # approved already, as it reads: nothing to change
            continue
        public_text = existing or PublicText(
            record_type=_label(record), record_id=record.pk, field=field
        )
        approved.append(
            save_record(public_text, actor=actor, reason=reason, text=text, approved_by=actor)
        )
    if not approved:
        raise ValidationError("There is no text to approve: the record's texts are empty")
    return approved


@transaction.atomic
def texts_withdraw(*, record, actor, reason="Taken off the public page"):
    for public_text in PublicText.objects.filter(record_type=_label(record), record_id=record.pk):
        delete_record(public_text, actor=actor, reason=reason)
