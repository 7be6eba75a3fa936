"""Writes: tagging a record with the frameworks it serves, and a framework's later version."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from frameworks.models import Framework, FrameworkItem
from lacstrategy.services import save_record


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


@transaction.atomic
def framework_new_version(
    *, framework, actor, edition, published_on, source, items, source_url="", note=""
):
    """A later version of `framework`, in use from now on; the earlier one and its tags stay.

    `items`: dicts of code, label, part and title. Where a new item keeps an earlier item's
    code, what was tagged with the earlier one is tagged with the new one too, each record with
    a history row saying so."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not framework.is_current:
        raise ValidationError("A later version is added to the version in use, not an earlier one")
    reason = f"{framework.name}: version {edition} in use"
    save_record(framework, actor=actor, reason=reason, is_current=False)
    newer = save_record(
        Framework(code=framework.code, kind=framework.kind, order=framework.order),
        actor=actor,
        reason=reason,
        name=framework.name,
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
        for related in ("outcomes", "indicators", "actions"):
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
