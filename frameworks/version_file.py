"""A framework version as a file: the JSON the product ships in frameworks/reference, which an
administrator can also download, change and upload as a later version. What such a file must
hold is checked here, by the models' own field rules, for the upload page and its services."""

import datetime
import json

from django.core.exceptions import ValidationError

from frameworks.models import Framework, FrameworkItem
from lacstrategy.text_files import decode_text

MAX_BYTES = 1024 * 1024  # the largest framework has a few dozen items: about 10 KB (services)
MAX_ITEMS = 500
VERSION_FIELDS = ("code", "name", "edition", "published_on", "source", "source_url", "note")
ITEM_FIELDS = ("code", "part", "label", "title")


def version_data(framework):
    """`framework` as the file that would add it: the starting point for a later version."""
    return {
        "code": framework.code,
        "name": framework.name,
        "kind": framework.kind,
        "edition": framework.edition,
        "published_on": framework.published_on.isoformat(),
        "source": framework.source,
        "source_url": framework.source_url,
        "note": framework.note,
        "order": framework.order,
        "items": [
            {field: getattr(item, field) for field in ITEM_FIELDS} for item in framework.items.all()
        ],
    }


def _messages(error):
    if hasattr(error, "error_dict"):
        return {
            field: "; ".join(m.rstrip(".") for m in messages)
            for field, messages in error.message_dict.items()
        }
    return {"": "; ".join(m.rstrip(".") for m in error.messages)}


def read_version_file(data, *, framework):
    """The version a file describes, as (fields, items, errors): the fields and items are
    ready for services.framework_new_version once errors is empty. `framework` is the version
    in use that the file must follow: the same framework, published later, under a new name."""
    text = decode_text(data)
    try:
        if text is None:
            raise ValueError
        content = json.loads(text)
    except ValueError:
        return (
            {},
            [],
            [
                "The file is not a framework version file (JSON, as the "
                "'Download this version' link gives): upload that file, changed"
            ],
        )
    if not isinstance(content, dict):
        return {}, [], ["The file holds no framework version: start from the downloaded file"]
    errors = []
    unknown = sorted(set(content) - set(VERSION_FIELDS) - {"kind", "order", "items"})
    if unknown:
        errors.append(f"The file has fields a framework version does not: {', '.join(unknown)}")
    if content.get("code") != framework.code:
        errors.append(
            f"The file is not a version of {framework.name}: its code is "
            f"'{content.get('code', '')}', not '{framework.code}'"
        )
    fields = {key: content.get(key, "") for key in VERSION_FIELDS if key != "code"}
    fields = {key: value if isinstance(value, str) else str(value) for key, value in fields.items()}
    try:
        fields["published_on"] = datetime.date.fromisoformat(fields["published_on"])
    except ValueError:
        errors.append("Give the date it was published as a date, for example 2026-03-31")
        fields["published_on"] = None
    else:
        if fields["published_on"] <= framework.published_on:
            in_use, given = framework.published_on, fields["published_on"]
            errors.append(
                f"A later version is published after the one in use ({in_use:%-d %B %Y}): "
                f"this file says {given:%-d %B %Y}"
            )
    version = Framework(code=framework.code, kind=framework.kind, **fields)
    try:
        version.full_clean(
            exclude=["published_on"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors.extend(f"{_field_name(Framework, f)}: {m}" for f, m in _messages(error).items())
    if Framework.objects.filter(code=framework.code, edition=fields["edition"]).exists():
        errors.append(f"{framework.name} already has a version called '{fields['edition']}'")
    items = _read_items(content.get("items"), errors)
    return fields, items, errors


def _read_items(listed, errors):
    if not isinstance(listed, list) or not listed:
        errors.append("The file lists no items: a version sets out at least one")
        return []
    if len(listed) > MAX_ITEMS:
        errors.append(f"The file lists {len(listed):,} items: a version has at most {MAX_ITEMS}")
        return []
    items, codes = [], set()
    for number, entry in enumerate(listed, start=1):
        if not isinstance(entry, dict):
            errors.append(f"Item {number} is not an item: give its code, label and title")
            continue
        unknown = sorted(set(entry) - set(ITEM_FIELDS))
        if unknown:
            errors.append(f"Item {number} has fields an item does not: {', '.join(unknown)}")
        fields = {key: entry.get(key, "") for key in ITEM_FIELDS}
        fields = {
            key: value if isinstance(value, str) else str(value) for key, value in fields.items()
        }
        try:
            FrameworkItem(**fields).full_clean(
                exclude=["framework"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors.extend(
                f"Item {number}, {_field_name(FrameworkItem, f)}: {m}"
                for f, m in _messages(error).items()
            )
        if fields["code"] in codes:
            errors.append(f"Item {number}: another item has the code '{fields['code']}'")
        codes.add(fields["code"])
        items.append(fields)
    return items


def _field_name(model, field):
    if not field:
        return "The file"
    return str(model._meta.get_field(field).verbose_name).capitalize()
