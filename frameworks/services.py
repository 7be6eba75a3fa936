"""Writes: tagging a record with the frameworks it serves, and a framework's later version."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from frameworks.models import Framework, FrameworkItem, FrameworkUpload
from frameworks.selectors import TAGGED_KINDS, version_preview
from frameworks.version_file import MAX_BYTES
from lacstrategy.services import (
    PreviewOutOfDate,
    UploadGone,
    delete_record,
    preview_refused,
    save_record,
)
from lacstrategy.text_files import decode_text


def framework_tags_save(
    *,
    record,
    actor,
    items,
    seen_version=None,
    reason="National frameworks it serves changed",
    recorded_at=None,
):
    """Tag an outcome, indicator or action with framework items (of any version): the one
    history row of the save records them. `recorded_at` dates it in the past (the demo)."""
    return save_record(
        record,
        actor=actor,
        reason=reason,
        seen_version=seen_version,
        recorded_at=recorded_at,
        m2m={"framework_items": list(items)},
    )


class NotInUse(ValidationError):
    """A later version was asked of a version that is no longer in use."""


@transaction.atomic
def framework_new_version(
    *, framework, actor, edition, published_on, source, items, source_url="", note="", name=""
):
    """A later version of `framework`, in use from now on; the earlier one and its tags stay.

    `items`: dicts of code, label, part and title; `name`, if the framework was renamed. Where
    a new item keeps an earlier item's code, what was tagged with the earlier one is tagged with
    the new one too, each record with a history row saying so."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not framework.is_current:
        raise NotInUse("A later version is added to the version in use, not an earlier one")
    reason = f"{framework.name}: version {edition} in use"
    save_record(framework, actor=actor, reason=reason, is_current=False)
    newer = save_record(
        Framework(code=framework.code, kind=framework.kind, order=framework.order),
        actor=actor,
        reason=reason,
        name=name or framework.name,
        edition=edition,
        published_on=published_on,
        source=source,
        source_url=source_url,
        note=note,
        is_current=True,
    )
    earlier = {item.code: item for item in framework.items.all()}
    carried = {}  # what was tagged with an earlier item: (record, its new items)
    for order, fields in enumerate(items, start=1):
        item = save_record(
            FrameworkItem(framework=newer, order=order), actor=actor, reason=reason, **fields
        )
        if item.code not in earlier:
            continue
        for related in TAGGED_KINDS:
            for record in getattr(earlier[item.code], related).prefetch_related("framework_items"):
                carried.setdefault((type(record), record.pk), (record, []))[1].append(item)
    tagged_again = f"Tagged with {newer}: it keeps the items of version {framework.edition}"
    for record, new_items in carried.values():
        framework_tags_save(
            record=record,
            actor=actor,
            items=[*record.framework_items.all(), *new_items],
            reason=tagged_again,
        )
    return newer


def framework_upload_create(*, framework, actor, file_name, data):
    """Keep a file describing a later version of `framework` until its preview is confirmed.
    Only a file too large or not text is refused here: the preview reports everything else."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: a framework version is far "
            "smaller. Check that it is the right file"
        )
    text = decode_text(data)
    if text is None:
        raise ValidationError(
            "The file is not a framework version file: upload the JSON file that 'Download "
            "this version' gives, changed"
        )
    upload = FrameworkUpload(
        framework=framework, file_name=file_name[:200], content=text, uploaded_by=actor
    )
    return save_record(upload, actor=actor, reason=f"Uploaded {file_name} for preview")


@transaction.atomic
def framework_upload_discard(*, upload, actor):
    # Waits for a confirmation under way: a discarded upload was not added, and an added one
    # is not said to be discarded.
    if not FrameworkUpload.objects.select_for_update().filter(pk=upload.pk).exists():
        raise UploadGone
    delete_record(upload, actor=actor, reason="Upload discarded")


@transaction.atomic
def framework_upload_apply(*, upload, actor, fingerprint):
    """Add the version the upload describes, as its preview showed it, or nothing.

    `fingerprint` is the preview's as the person saw it: if another version was added since,
    PreviewOutOfDate is raised with the preview as it would be now."""
    # A double click must not add the version twice: the second waits here, then finds the
    # upload gone.
    if not FrameworkUpload.objects.select_for_update().filter(pk=upload.pk).exists():
        raise UploadGone
    preview = version_preview(upload=upload)
    if preview.errors:
        raise preview_refused(preview)
    if preview.fingerprint != fingerprint:
        raise PreviewOutOfDate(preview)
    try:
        newer = framework_new_version(
            framework=preview.in_use,
            actor=actor,
            items=[item.fields for item in preview.items],
            **preview.fields,
        )
    except NotInUse:  # another upload was confirmed while this one waited for the lock
        raise PreviewOutOfDate(version_preview(upload=upload)) from None
    delete_record(upload, actor=actor, reason=f"Added as {newer}")
    return newer


SHIPPED = Path(__file__).parent / "reference"


@transaction.atomic
def install_shipped_frameworks(*, actor):
    """Add the framework versions shipped with the product that are missing (migrate adds them
    to a new database; a flushed test database has none). Safe to repeat."""
    from frameworks.migrations import SHIPPED_FILES  # the files migrate loads, in order

    for name in SHIPPED_FILES:
        data = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
        if Framework.objects.filter(code=data["code"], edition=data["edition"]).exists():
            continue
        reason = f"Shipped with the product, from {data['source']}"
        items = data.pop("items")
        data["published_on"] = datetime.date.fromisoformat(data["published_on"])
        in_use = Framework.objects.filter(code=data["code"], is_current=True).first()
        if in_use:  # a later version: the earlier one and its tags stay, carried by code
            framework_new_version(
                framework=in_use,
                actor=actor,
                items=items,
                **{key: data[key] for key in ("edition", "published_on", "source")},
                source_url=data.get("source_url", ""),
                note=data.get("note", ""),
            )
            continue
        framework = save_record(Framework(), actor=actor, reason=reason, **data)
        for order, fields in enumerate(items, start=1):
            save_record(
                FrameworkItem(framework=framework, order=order),
                actor=actor,
                reason=reason,
                **fields,
            )
