"""Reads of the change history: every version of a record, with what changed field by field.

All versions come from one query and neighbouring versions are compared in Python, so a record
with a long history costs no more queries than one with a short history.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from difflib import SequenceMatcher

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalChanges

from lacstrategy import roles
from lacstrategy.models import ReportSection
from outcomes.models import figure_text

HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Fields whose own names are not the council's words.
LABELS = {"groups": "Roles", "is_active": "Can sign in"}


# JSON lists whose items are choices, named here by field.
LIST_CHOICES = {"sections_left_out": ReportSection.choices}

DAY = timedelta(days=1)
LONG_TEXT = 80  # characters: longer texts are shown as a word-by-word diff


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # For long text: (kind, words) pieces, kind being "same", "removed" or "added".
    diff: list = field(default_factory=list)


@dataclass
class Version:
    history_id: int
    date: object
    user: object
    reason: str
    kind: str
    changes: list = field(default_factory=list)
    is_latest: bool = False


# Matching every word exactly costs up to the product of the two texts' lengths in words
# (39 s for 24 KB of repeated words). Past this, words that fill more than 1% of the text are
# not matched on their own (difflib's autojunk), which keeps the work near linear; past
# MAX_DIFF_WORDS, the changed middle is shown removed and added whole. So one long saved text
# cannot make its record's page slow for everyone.
MAX_DIFF_WORD_PAIRS = 250_000
MAX_DIFF_WORDS = 5_000


def _label(model_field):
    from lacstrategy.selectors import in_council_words  # selectors reads the history

    return LABELS.get(model_field.name) or in_council_words(capfirst(model_field.verbose_name))


def _linked_name(linked):
    """A many-to-many link's name; a role as people see it (the council's words)."""
    from lacstrategy.selectors import terms

    if isinstance(linked, Group):
        return roles.role_label(linked.name, terms())
    return str(linked)


def _kind(meta):
    from lacstrategy.selectors import in_council_words

    return in_council_words(capfirst(meta.verbose_name))


def word_diff(old, new):
    """The words removed from `old` and added in `new`, in reading order."""
    before, after = old.split(), new.split()
    # The unchanged start and end first: a typical edit leaves a short middle to match.
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    middle_before = before[start : len(before) - end]
    middle_after = after[start : len(after) - end]
    pieces = [("same", " ".join(before[:start]))] if start else []
    if max(len(middle_before), len(middle_after)) > MAX_DIFF_WORDS:
        opcodes = [("replace", 0, len(middle_before), 0, len(middle_after))]
    else:
        exact = len(middle_before) * len(middle_after) <= MAX_DIFF_WORD_PAIRS
        matcher = SequenceMatcher(a=middle_before, b=middle_after, autojunk=not exact)
        opcodes = matcher.get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            pieces.append(("same", " ".join(middle_before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(middle_before[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(middle_after[j1:j2])))
    if end:
        pieces.append(("same", " ".join(before[len(before) - end :])))
    return pieces


def _field_change(model_field, old, new, names, *, first):
    change = FieldChange(
        label=_label(model_field),
        old="" if first else _display(model_field, old, names),
        new=_display(model_field, new, names),
    )
    long_text = (
        isinstance(model_field, models.TextField)
        and max(len(old or ""), len(new or "")) > LONG_TEXT
    )
    if not first and old and new and long_text:
        change.diff = word_diff(old, new)
    return change


def field_change(model_field, old, new):
    """One field's change in words, as the history shows it: for what an import would change.
    `old` and `new` are values, records, or for many-to-many fields lists of records."""
    label = _label(model_field)
    if model_field.many_to_many:
        return FieldChange(
            label=label,
            old=", ".join(str(record) for record in old) or "(none)",
            new=", ".join(str(record) for record in new) or "(none)",
        )
    if model_field.is_relation:
        return FieldChange(label=label, old=str(old), new=str(new))
    return _field_change(model_field, old, new, {}, first=False)


def tracked_fields(model):
    """The fields shown in the history and put back by a revert (not passwords or versions)."""
    hidden = {"password", "last_login", "date_joined", "version"}
    kept = {f.name for f in model.history.model._meta.concrete_fields}  # less excluded_fields
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in hidden and f.name in kept
    ]


def fields_not_in_history(model):
    """What a restore from the history cannot bring back: fields the history leaves out (an
    upload's file, an issued report's PDF)."""
    kept = {f.name for f in model.history.model._meta.concrete_fields}
    return [f for f in model._meta.concrete_fields if f.name not in kept]


def m2m_history_fields(model):
    """(field, accessor of its history rows on a version, name of the related record's column)."""
    history_model = model.history.model
    found = []
    for f in history_model._history_m2m_fields:
        through_name = f"{history_model.__name__}_{f.name}"
        for rel in history_model._meta.related_objects:
            if rel.related_model.__name__ == through_name:
                found.append((f, rel.get_accessor_name(), f.m2m_reverse_field_name()))
    return found


def _display(model_field, value, names):
    if value in (None, "", []):
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
    if isinstance(model_field, (models.DecimalField, models.FloatField)):
        return figure_text(value)  # 12, not 12.00 (docs/content.md)
    if isinstance(value, list):  # a JSON list, such as the report sections left out
        labels = dict(LIST_CHOICES.get(model_field.name, ()))
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(value)


def _related_names(fields, versions, record=None):
    """Names of the records that foreign keys point to, one query for each related model; none
    for those the record already holds (a plan read with its strategy)."""
    names = {}
    for f in fields:
        if record is not None and f.is_relation and f.is_cached(record):
            held = f.get_cached_value(record)
            if held is not None:
                names[(f.related_model, held.pk)] = str(held)
    wanted = defaultdict(set)
    for f in fields:
        if f.is_relation:
            for version in versions:
                value = getattr(version, f.attname)
                if value is not None and (f.related_model, value) not in names:
                    wanted[f.related_model].add(value)
    for related_model, ids in wanted.items():
        # select_related(): names such as a priority indicator's come from related rows.
        # order_by(): a lookup needs no order (a model's may join other tables for it).
        found = related_model._default_manager.select_related().order_by().in_bulk(ids)
        for pk, obj in found.items():
            names[(related_model, pk)] = str(obj)
    return names


def record_history(record, *, newer_than_version=None):
    """Every version of `record`, newest first, each with the fields it changed.

    With `newer_than_version`, only the versions saved after that one (what others changed
    since an editor opened the record).
    """
    fields = tracked_fields(type(record))
    m2m_fields = m2m_history_fields(type(record))
    versions = record.history.select_related("history_user").order_by("history_date", "history_id")
    if m2m_fields:
        versions = versions.prefetch_related(
            *[f"{accessor}__{column}" for _, accessor, column in m2m_fields]
        )
    versions = list(versions)
    names = _related_names(fields, versions, record)
    result = []
    previous = None
    previous_m2m = {}
    for version in versions:
        entry = Version(
            history_id=version.history_id,
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
                entry.changes.append(_field_change(f, old, new, names, first=previous is None))
        for f, accessor, column in m2m_fields:
            current = sorted(
                _linked_name(getattr(row, column)) for row in getattr(version, accessor).all()
            )
            before = previous_m2m.get(f.name)
            if (before is None and current) or (before is not None and before != current):
                entry.changes.append(
                    FieldChange(
                        label=_label(f),
                        old=", ".join(before) if before else ("" if before is None else "(none)"),
                        new=", ".join(current) or "(none)",
                    )
                )
            previous_m2m[f.name] = current
        newer = newer_than_version is None or version.version > newer_than_version
        if newer and (entry.changes or entry.kind != "Changed" or entry.reason):
            result.append(entry)
        previous = version
    result.reverse()
    if result and result[0].kind != "Deleted":
        result[0].is_latest = True
    return result


# The kinds of record people see in the history, by the slug used in URLs.
RECORD_KINDS = {
    "strategy": "outcomes.Strategy",
    "outcome": "outcomes.Outcome",
    "group": "outcomes.OutcomeGroup",
    "section": "outcomes.StrategySection",
    "commitment": "outcomes.Commitment",
    "indicator": "outcomes.Indicator",
    "action-plan": "actionplans.ActionPlan",
    "priority-indicator": "actionplans.PriorityIndicator",
    "action": "actionplans.Action",
    "person": "lacstrategy.User",
    "council": "lacstrategy.Council",
}
# How each kind's history rows reach the outcome they belong to (for filtering by outcome).
OUTCOME_PATHS = {
    "outcome": "id",
    "commitment": "outcome_id",
    "indicator": "outcome_id",
    "priority-indicator": "indicator__outcome_id",
    "action": "priority_indicator__indicator__outcome_id",
}


def kind_model(kind):
    return apps.get_model(RECORD_KINDS[kind])


def kind_of(record):
    label = record._meta.label
    return next((kind for kind, model in RECORD_KINDS.items() if model == label), None)


def kind_label(kind):
    from lacstrategy.selectors import terms  # selectors reads the history

    words = terms()
    return {
        "outcome": words.outcome,
        "group": words.group,
        "priority-indicator": words.priority,
    }.get(kind, kind_model(kind)._meta.verbose_name)


@dataclass
class ChangeRow:
    """One line of the Recent changes log."""

    kind: str
    history_id: int
    record_id: int
    date: object
    user: object
    history_type: str
    reason: str
    name: str = ""
    fields: list = field(default_factory=list)  # FieldChange; old and new empty for long text
    exists: bool = True
    linked: bool = True  # its page can be opened

    @property
    def kind_label(self):
        return kind_label(self.kind)

    @property
    def action(self):
        return HISTORY_TYPES.get(self.history_type, self.history_type)

    @property
    def url(self):
        """The record's page, at this change in its history."""
        record = kind_model(self.kind)(pk=self.record_id)
        return f"{record.get_absolute_url()}#version-{self.history_id}"


def _history_rows(
    *,
    kinds,
    user=None,
    outcome=None,
    since=None,
    until=None,
    history_type=None,
    beyond=None,
    newer=False,
    limit=None,
):
    """One UNION ALL query over the history tables of `kinds`, newest first (oldest first when
    `newer`). With `beyond`, a ChangeKey, only the rows older (or newer) than that one; with
    `limit`, the first `limit` rows."""
    zone = timezone.get_current_timezone()
    order = ("history_date", "history_id") if newer else ("-history_date", "-history_id")
    parts = []
    for kind in kinds:
        if outcome is not None and kind not in OUTCOME_PATHS:
            continue
        rows = kind_model(kind).history.all()
        if outcome is not None:
            rows = rows.filter(**{OUTCOME_PATHS[kind]: getattr(outcome, "pk", outcome)})
        if user is not None:
            rows = rows.filter(history_user=user)
        # Whole days as moments, so that the index on the history's dates is used.
        if since is not None:
            rows = rows.filter(history_date__gte=datetime.combine(since, time.min, zone))
        if until is not None:
            rows = rows.filter(history_date__lt=datetime.combine(until + DAY, time.min, zone))
        if history_type is not None:
            rows = rows.filter(history_type=history_type)
        if history_type == "-":  # records since restored are no longer deleted
            live = kind_model(kind)._default_manager.filter(pk=models.OuterRef("id"))
            rows = rows.filter(~models.Exists(live))
        if beyond is not None:
            rows = rows.filter(beyond.condition(kind, newer=newer))
        parts.append(
            rows.order_by(*order)
            .annotate(record_kind=models.Value(kind, output_field=models.CharField()))
            .values(
                "record_kind",
                "history_id",
                "id",
                "history_date",
                "history_user_id",
                "history_type",
                "history_change_reason",
            )
        )
    if not parts:
        return kind_model("strategy").history.none().values("history_id")
    if len(parts) == 1:
        return parts[0][:limit]
    if limit and connection.features.supports_slicing_ordering_in_compound:
        # Each table's first rows from its index on (history_date, history_id), not a sort of
        # every table's every row (PostgreSQL; SQLite cannot limit a part of a union).
        parts = [part[:limit] for part in parts]
    else:
        parts = [part.order_by() for part in parts]
    union = parts[0].union(*parts[1:], all=True)
    by_kind = ("history_date", "record_kind", "history_id")
    return union.order_by(*(by_kind if newer else [f"-{column}" for column in by_kind]))[:limit]


@dataclass(frozen=True)
class ChangeKey:
    """A row's place in the change log, newest first: by date, then kind, then history id (two
    kinds' rows can share a moment). Pages start from a key, not an offset, so that the 500th
    page costs what the first does."""

    date: datetime
    kind: str
    history_id: int

    def __str__(self):
        return f"{self.date.isoformat()}_{self.kind}_{self.history_id}"

    @classmethod
    def of(cls, row):
        return cls(row["history_date"], row["record_kind"], row["history_id"])

    @classmethod
    def parse(cls, text):
        """The key a page link carries; None if it is not one (an old or edited link)."""
        try:
            # A "+" in the time zone arrives as a space from a hand-written link.
            date, kind, history_id = (text or "").replace(" ", "+").rsplit("_", 2)
            key = cls(datetime.fromisoformat(date), kind, int(history_id))
        except ValueError:
            return None
        return key if kind in RECORD_KINDS and key.date.tzinfo else None

    def condition(self, kind, *, newer):
        """The rows of `kind`'s history that come after this key (before it when `newer`),
        each a range on the index of (history_date, history_id)."""
        beyond = "gt" if newer else "lt"
        if kind == self.kind:  # this moment's later rows, then later moments
            return models.Q(**{f"history_date__{beyond}e": self.date}) & (
                models.Q(**{f"history_date__{beyond}": self.date})
                | models.Q(**{f"history_id__{beyond}": self.history_id})
            )
        later_kind = kind > self.kind if newer else kind < self.kind
        return models.Q(**{f"history_date__{beyond}{'e' if later_kind else ''}": self.date})


# How far the log counts: past it a page says "more than" (an exact count would read every
# row of every history table).
COUNT_UP_TO = 1000


@dataclass
class ChangePage:
    """A page of the change log: its rows, where the next pages start, and how many match."""

    rows: list
    count: int  # at most COUNT_UP_TO + 1
    older: str = ""  # the key to pass for the page of older changes, if any
    newer: str = ""

    @property
    def more_than(self):
        """The count is a floor (COUNT_UP_TO), not exact."""
        return self.count > COUNT_UP_TO

    @property
    def shown_count(self):
        return min(self.count, COUNT_UP_TO)


def change_page(*, older="", newer="", size, **filters):
    """A page of `_history_rows(**filters)`, newest first: the newest, or those just older than
    key `older`, or just newer than key `newer`. A fixed number of queries, each bounded by the
    page size or COUNT_UP_TO, whatever the length of the history."""
    towards_newer = ChangeKey.parse(newer)
    beyond = towards_newer or ChangeKey.parse(older)
    rows = list(_history_rows(**filters, beyond=beyond, newer=bool(towards_newer), limit=size + 1))
    more = len(rows) > size
    if towards_newer and not more:  # back at the start: the newest page, full
        return change_page(size=size, **filters)
    rows = rows[:size]
    if towards_newer:
        rows.reverse()
    page = ChangePage(rows=rows, count=_count_up_to(**filters))
    if rows and (more or towards_newer):
        page.older = str(ChangeKey.of(rows[-1]))
    if rows and beyond is not None and (more or not towards_newer):
        page.newer = str(ChangeKey.of(rows[0]))
    return page


def _count_up_to(**filters):
    """How many rows match, counting no further than COUNT_UP_TO + 1."""
    return _history_rows(**filters).order_by()[: COUNT_UP_TO + 1].count()


def recent_changes(*, kinds=None, user=None, outcome=None, since=None, until=None, **page):
    """A page of the change log across every kind of record (change_page)."""
    return change_page(
        kinds=kinds or list(RECORD_KINDS),
        user=user,
        outcome=outcome,
        since=since,
        until=until,
        **page,
    )


def deleted_records(**page):
    """A page of deletions of records that have not been restored since, newest first."""
    return change_page(kinds=list(RECORD_KINDS), history_type="-", **page)


def describe_rows(rows):
    """Turn a page of raw history rows into ChangeRows with names and changed fields.

    A fixed number of queries whatever the page size: per kind present, its versions of the
    page's records (to compare each with the one before) and which records still exist.
    """
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row["record_kind"]].append(row)
    users = get_user_model().objects.in_bulk({r["history_user_id"] for r in rows} - {None})
    described = {}
    for kind, kind_rows in by_kind.items():
        model = kind_model(kind)
        ids = {r["id"] for r in kind_rows}
        versions = defaultdict(list)
        for version in _versions_and_the_ones_before(model, [r["history_id"] for r in kind_rows]):
            versions[version.id].append(version)
        existing = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        fields = tracked_fields(model)
        names = {}
        if model._meta.label == "actionplans.PriorityIndicator":  # named after its indicator
            all_versions = [v for vs in versions.values() for v in vs]
            names = _related_names([model._meta.get_field("indicator")], all_versions)
        page_changes = []
        for row in kind_rows:
            chain = versions[row["id"]]
            index = next(i for i, v in enumerate(chain) if v.history_id == row["history_id"])
            version, previous = chain[index], chain[index - 1] if index else None
            changed = [
                f
                for f in fields
                if previous is not None
                and getattr(previous, f.attname) != getattr(version, f.attname)
            ]
            page_changes.append((row, version, previous, changed))
        # The names of the records that changed links point to: a query for each related model.
        names |= _related_names(
            {f for *_, changed in page_changes for f in changed if f.is_relation},
            [
                v
                for _, version, previous, changed in page_changes
                if changed
                for v in (version, previous)
            ],
        )
        for row, version, previous, changed in page_changes:
            described[(kind, row["history_id"])] = ChangeRow(
                kind=kind,
                history_id=row["history_id"],
                record_id=row["id"],
                date=row["history_date"],
                user=users.get(row["history_user_id"]),
                history_type=row["history_type"],
                reason=row["history_change_reason"] or "",
                name=_version_name(model, version, names),
                fields=[_short_change(f, previous, version, names) for f in changed],
                exists=row["id"] in existing,
                # The system account has no page of its own (people_list leaves it out).
                linked=row["id"] in existing and not _is_system_account(version),
            )
    return [described[(r["record_kind"], r["history_id"])] for r in rows]


def _versions_and_the_ones_before(model, history_ids):
    """These history rows and, for each, the record's version just before it, oldest first:
    one query, however many versions the records have."""
    history = model.history.model
    earlier = history.objects.filter(id=OuterRef("id")).filter(
        models.Q(history_date__lt=OuterRef("history_date"))
        | models.Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    before = history.objects.filter(history_id__in=history_ids).values(
        before=Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])
    )
    # A union rather than an OR, which PostgreSQL answers by reading the whole table.
    return (
        history.objects.filter(history_id__in=history_ids)
        .order_by()
        .union(history.objects.filter(history_id__in=before).order_by())
        .order_by("history_date", "history_id")
    )


def _short_change(model_field, previous, version, names):
    """A field's change for a line of the log: from what to what, or for a long text only that
    it was edited (its words are compared on the record's own page)."""
    old, new = getattr(previous, model_field.attname), getattr(version, model_field.attname)
    change = _field_change(model_field, old, new, names, first=False)
    if isinstance(model_field, models.TextField) or max(len(change.old), len(change.new)) > 60:
        change.old = change.new = ""
    return change


def _is_system_account(version):
    from lacstrategy.services import SYSTEM_USERNAME  # services reads the history

    return getattr(version, "username", None) == SYSTEM_USERNAME


def _version_name(model, version, names):
    """A readable name for a record as it was at this version, without touching related rows."""
    if model._meta.label == "actionplans.PriorityIndicator":
        return names.get(
            (kind_model("indicator"), version.indicator_id), kind_label("priority-indicator")
        )
    return str(version.instance) if model._meta.label != "lacstrategy.User" else version.full_name


def differences(record, version):
    """How `record` now differs from history row `version`: what a revert would change."""
    fields = tracked_fields(type(record))
    names = _related_names(fields, [record, version])
    return [
        _field_change(
            f, getattr(record, f.attname), getattr(version, f.attname), names, first=False
        )
        for f in fields
        if getattr(record, f.attname) != getattr(version, f.attname)
    ]


def names_of_deleted(rows):
    """(kind of record, name) for history rows of deleted records, naming each from the rows
    themselves, since the records they point to may be deleted too."""
    names = {(type(row.instance), row.id): _name(row) for row in rows if not _points_up(row)}
    described = []
    for row in rows:
        instance = row.instance
        if _points_up(row):
            name = names.get((kind_model("indicator"), row.indicator_id), "")
            if not name:
                name = _related_names(tracked_fields(type(instance)), [row]).get(
                    (kind_model("indicator"), row.indicator_id), "an indicator since deleted"
                )
        else:
            name = names[(type(instance), row.id)]
        described.append((instance._meta.verbose_name, name))
    return described


def _name(row):
    """The record's own name, or its kind and number when the name needs a deleted record."""
    try:
        return str(row.instance)
    except ObjectDoesNotExist:
        return f"{_kind(row.instance._meta)} {row.id}"


def _points_up(row):
    """A priority indicator is named after its indicator."""
    return row.instance._meta.label == "actionplans.PriorityIndicator"


def deletion_of(model, pk):
    """The history row of record `pk`'s deletion, or None if it was never deleted (or never
    was): how a second click on a button that removed it learns that it is already gone."""
    return model.history.filter(id=pk, history_type="-").first()


def states_at(history_rows, moment):
    """Each record's state at `moment`, by record id: its last history row at or before then,
    leaving out records that did not exist then (not yet created, or deleted).

    `history_rows` is a history queryset (with any prefetches); its filters apply to that
    state, so an action moved to another plan after `moment` is still in this one. One query,
    in SQL whatever the length of the history: DISTINCT ON where the database has it
    (PostgreSQL), a correlated subquery elsewhere (SQLite).
    """
    versions = history_rows.model._default_manager.filter(history_date__lte=moment)
    if connection.features.can_distinct_on_fields:
        latest = (
            versions.filter(id__in=history_rows.values("id"))
            .order_by("id", "-history_date", "-history_id")
            .distinct("id")
            .values("history_id")
        )
        states = history_rows.filter(history_id__in=latest)
    else:
        latest = (
            versions.filter(id=OuterRef("id"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        states = history_rows.filter(history_id=Subquery(latest))
    return {row.id: row for row in states.exclude(history_type="-")}


def make_history_manager_classes_once():
    """simple-history makes a new manager class (Django's `from_queryset`, which copies every
    queryset method) each time a record's `history` is read: 0.3 ms each, three times for a
    plan page's change history. The class depends only on the manager and queryset classes,
    so each is made once. Called when the app is ready; a second call changes nothing."""
    make = HistoryManager.from_queryset.__func__
    if not hasattr(make, "cache_info"):
        HistoryManager.from_queryset = classmethod(functools.cache(make))


def records_version():
    """A value that changes whenever any record is written: the newest history id of every
    history table, in one query (each is the end of a primary key index, so it costs the same
    at any size). Every write goes through a service and leaves a history row, so a page part
    cached under this value is never shown after the records it shows have changed.

    On PostgreSQL an id is taken when a row is written, not when it is committed: a long save
    may commit id 101 after a short one committed 102, leaving the newest id as it was. So the
    value also holds the database's snapshot, which moves on whenever a writing transaction
    ends. (SQLite writes one transaction at a time, so its ids are committed in order.)

    On PostgreSQL, planning the query's 47 subqueries takes longer than running them (2 ms
    against 1 ms), so a connection kept between requests (CONN_MAX_AGE) prepares it once and
    then only executes it. With CONN_MAX_AGE=0, as behind a pooler in transaction mode (where
    a prepared statement is not the client's own), it is sent whole each time."""
    persistent = connection.settings_dict["CONN_MAX_AGE"] != 0
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not persistent:
            cursor.execute(_newest_history_ids_sql())
        elif getattr(connection, "records_version_prepared_on", None) is connection.connection:
            cursor.execute("EXECUTE records_version")
        else:
            # In one round trip, so that a page's first view reads no more queries. Anything
            # left prepared by a try that failed half-way goes first (Django prepares nothing).
            # psycopg2 answers with the last statement's rows.
            sql = _newest_history_ids_sql()
            cursor.execute(
                f"DEALLOCATE ALL; PREPARE records_version AS {sql}; EXECUTE records_version"
            )
            connection.records_version_prepared_on = connection.connection
        return "-".join(str(newest or 0) for newest in cursor.fetchone())


@functools.cache
def _newest_history_ids_sql():
    quote = connection.ops.quote_name
    tables = sorted(
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    )
    parts = [f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in tables]
    if connection.vendor == "postgresql":
        # xmin:xmax:running ids, where xmax moves on when any writing transaction ends.
        parts.append("pg_current_snapshot()::text")
    return f"SELECT {', '.join(parts)}"
