"""A framework version as a file: the JSON the product ships in frameworks/reference, which an
administrator can also download, change and upload as a later version. What such a file must
hold is checked here, by the models' own field rules, for the upload page and its services."""

import datetime
import json

from frameworks.models import Framework, FrameworkItem
from lacstrategy.services import problems_saving
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


def _shown(value, length=60):
    """A value from the file, short enough to quote back in a message."""
    text = str(value).encode("utf-8", "replace").decode()  # no lone surrogate on the page
    return text if len(text) <= length else f"{text[:length]}…"


def _text(value, where, errors):
    """A field's value as text, trimmed: missing or null is empty; anything else that is not
    text in quotes, or holds characters no database keeps, is a problem."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(f"{where} must be text in quotes, not {_shown(json.dumps(value))}")
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = "\x00"  # half of a character (a lone surrogate): refused as below
    if "\x00" in value:
        errors.append(f"{where} holds a character that is not text: check the file")
        return ""
    return value.strip()


def _texts(entry, keys, where, errors):
    """The entry's fields as text, and the names of those refused (said once, in `errors`)."""
    fields, refused = {}, set()
    for key in keys:
        before = len(errors)
        fields[key] = _text(entry.get(key), where.format(key.replace("_", " ")), errors)
        if len(errors) > before:
            refused.add(key)
    return fields, refused


def _problems(model, record, where, errors, exclude=()):
    for field, messages in problems_saving(record).items():
        if field in exclude:
            continue
        name = str(model._meta.get_field(field).verbose_name).capitalize()
        errors.append(f"{where}{name}: {'; '.join(m.rstrip('.') for m in messages)}")


def read_version_file(data, *, framework):
    """The version a file describes, as (fields, items, errors): the fields and items are
    ready for services.framework_new_version once errors is empty. `framework` is the version
    in use that the file must follow: the same framework, published later, under a new name."""
    text = decode_text(data)
    try:
        if text is None:
            raise ValueError
        content = json.loads(text)
    except (ValueError, RecursionError):
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
        listed = ", ".join(_shown(key) for key in unknown[:10])
        errors.append(f"The file has fields a framework version does not: {listed}")
    if content.get("code") != framework.code:
        errors.append(
            f"The file is not a version of {framework.name}: its code is "
            f"'{_shown(content.get('code', ''))}', not '{framework.code}'"
        )
    for key in ("kind", "order"):
        if key in content and content[key] != getattr(framework, key):
            errors.append(
                f"A later version keeps the framework's {key}: "
                f"'{_shown(getattr(framework, key))}', as the downloaded file has it"
            )
    fields, refused = _texts(content, VERSION_FIELDS[1:], "The file's {}", errors)
    try:
        fields["published_on"] = datetime.datetime.strptime(
            fields["published_on"], "%Y-%m-%d"
        ).date()
    except ValueError:
        errors.append("Give the date it was published as year-month-day, for example 2026-03-31")
        fields["published_on"] = None
    else:
        if fields["published_on"] <= framework.published_on:
            in_use, given = framework.published_on, fields["published_on"]
            errors.append(
                f"A later version is published after the one in use ({in_use:%-d %B %Y}): "
                f"this file says {given:%-d %B %Y}"
            )
    version = Framework(code=framework.code, kind=framework.kind, **fields)
    _problems(Framework, version, "", errors, exclude={"published_on", *refused})
    editions = Framework.objects.filter(code=framework.code, edition__iexact=fields["edition"])
    if fields["edition"] and editions.exists():
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
            listed_keys = ", ".join(_shown(key) for key in unknown[:10])
            errors.append(f"Item {number} has fields an item does not: {listed_keys}")
        fields, refused = _texts(entry, ITEM_FIELDS, f"Item {number}'s {{}}", errors)
        item = FrameworkItem(**fields)
        _problems(FrameworkItem, item, f"Item {number}, ", errors, exclude=refused)
        if fields["code"] and fields["code"] in codes:
            errors.append(f"Item {number}: another item has the code '{fields['code']}'")
        codes.add(fields["code"])
        items.append(fields)
    return items
