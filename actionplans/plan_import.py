"""What importing a plan spreadsheet would do to an action plan, worked out before anything is
saved.

Rows are matched to the strategy's outcomes by number, to indicators by their wording within the
outcome, and to the plan's actions by their reference (or, without one, their wording within the
priority indicator), so the same file imported twice changes nothing. A column that is not in
the file leaves that field alone; actions that are not in the file are left as they are.
`services.plan_import_apply` saves the `writes` found here.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.text import Truncator
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from actionplans.models import Action, PriorityIndicator
from actionplans.plan_template import (
    COLUMN_BY_KEY,
    CSV_SHEET_NAME,
    FormulaCell,
    TemplateError,
    kept_sheet,
    read_upload,
)
from lacstrategy import permissions
from lacstrategy.history import field_change
from lacstrategy.selectors import terms
from lacstrategy.services import problems_saving
from outcomes.models import Indicator, Outcome
from reports.excel import MAX_CELL_CHARS

ACTION_KEYS = (
    "measure",
    "undertaken_by",
    "lead_users",
    "target_date",
    "target_text",
    "cyp_views",
    "status",
    "rag",
    "comment",
)
PEOPLE_COLUMNS = {"owners": "outcome_owners", "lead_users": "lead_users"}
# Template column -> Action field, where the two names differ.
ACTION_FIELDS = {"action": "description"}
# A model field -> the template column its errors are shown against.
FIELD_COLUMNS = {"description": "action", "statement": "outcome", "title": "priority_indicator"}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


@dataclass
class Planned:
    """One record the import would create (`record` is None) or change."""

    model: type
    record: object | None
    fields: dict
    m2m: dict
    row: int
    label: str
    changes: list = field(default_factory=list)  # history.FieldChange for each field
    saved: object = None  # the record, once the import has saved it

    @property
    def is_new(self):
        return self.record is None

    @property
    def kind(self):
        return self.model._meta.verbose_name


@dataclass
class OutcomeSummary:
    number: int
    statement: str
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0


@dataclass
class PlanImportPreview:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)  # number -> OutcomeSummary
    writes: list = field(default_factory=list)  # Planned, parents before children
    not_in_file: list = field(default_factory=list)  # the plan's actions no row matched
    row_count: int = 0
    sheet_name: str = ""

    @property
    def created_count(self):
        return sum(1 for planned in self.writes if planned.is_new)

    @property
    def updated_count(self):
        return len(self.writes) - self.created_count

    @property
    def unchanged_count(self):
        return sum(summary.unchanged for summary in self.outcomes.values())

    @property
    def outcome_summaries(self):
        return [self.outcomes[number] for number in sorted(self.outcomes)]

    @property
    def fingerprint(self):
        """Changes if what the import would write changes, so a confirmation given for one
        preview is never applied to a different one."""
        parts = [
            (
                planned.kind,
                planned.row,
                getattr(planned.record, "pk", None),
                getattr(planned.record, "version", None),
                sorted((name, _identity(value)) for name, value in planned.fields.items()),
                sorted((name, sorted(u.pk for u in users)) for name, users in planned.m2m.items()),
            )
            for planned in self.writes
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _identity(value):
    if isinstance(value, Planned):
        return ("planned", value.row, value.label)
    return getattr(value, "pk", value)


def plan_import_preview(
    *, plan, file_name, data, actor, check_permissions=True
) -> PlanImportPreview:
    """What importing the file would do to the plan. `check_permissions` is False only for the
    command line, whose user can change the database anyway."""
    return kept_upload_preview(
        plan=plan,
        parsed=read_upload(file_name, data),
        actor=actor,
        check_permissions=check_permissions,
    )


def kept_upload_preview(*, plan, parsed, actor, check_permissions=True) -> PlanImportPreview:
    """The same, for an upload read once when it arrived (PlanImport.parsed)."""
    preview = PlanImportPreview()
    try:
        sheet = kept_sheet(parsed)
    except TemplateError as error:
        preview.errors.append(str(error))
        return preview
    preview.errors.extend(sheet.errors)
    preview.row_count = len(sheet.rows)
    preview.sheet_name = "" if sheet.sheet_name == CSV_SHEET_NAME else sheet.sheet_name
    if sheet.unknown_headers:
        preview.warnings.append(
            "These columns are not part of the template and will not be imported: "
            + ", ".join(f"'{header}'" for header in sheet.unknown_headers)
        )
    _Comparison(
        plan=plan,
        actor=actor if check_permissions else None,
        preview=preview,
        sheet=sheet,
    ).run()
    if preview.errors:
        preview.writes.clear()
    return preview


class _Comparison:
    def __init__(self, *, plan, actor, preview, sheet):
        self.plan = plan
        self.actor = actor
        self.preview = preview
        self.sheet = sheet
        self.columns = set(sheet.columns)
        self.outcomes = {
            outcome.number: outcome
            for outcome in Outcome.objects.filter(strategy=plan.strategy).prefetch_related(
                "owners", "indicators"
            )
        }
        self.priorities = {
            priority.indicator_id: priority
            for priority in PriorityIndicator.objects.filter(action_plan=plan)
            .select_related("indicator__outcome")
            .prefetch_related("actions__lead_users")
        }
        self.actions = {
            action.pk: action
            for priority in self.priorities.values()
            for action in priority.actions.all()
        }
        self.users = self._users_named_in_the_file()
        # An action some row names by reference is never matched to another row by wording.
        self.referenced = {_whole_number(row.values.get("reference", "")) for row in sheet.rows} - {
            None
        }
        self.planned_outcomes = {}  # number -> Outcome or Planned
        self.planned_indicators = {}  # (number, wording) -> Indicator or Planned
        self.planned_priorities = {}  # indicator key -> PriorityIndicator or Planned
        self.matched_actions = {}  # action pk or (priority key, wording) -> row number
        self.next_order = {}

    def error(self, row, key, message):
        column = COLUMN_BY_KEY[key].header
        self.preview.errors.append(f"Row {row}, column '{column}': {message}")

    def run(self):
        rows = [self._typed(row) for row in self.sheet.rows]
        rows = [row for row in rows if row is not None]
        self._outcomes(rows)
        for row in rows:
            priority = self._priority(row)
            if priority is not None and row.get("action"):
                self._action(row, priority)
        self.preview.not_in_file = [
            action for pk, action in self.actions.items() if pk not in self.matched_actions
        ]

    # Cells to values

    def _users_named_in_the_file(self):
        emails = {
            address.lower()
            for row in self.sheet.rows
            for key in ("outcome_owners", "lead_users")
            for address in _addresses(row.values.get(key, ""))
        }
        users = get_user_model().objects.annotate(address=Lower("email"))
        return {user.address: user for user in users.filter(address__in=emails)}

    def _typed(self, row):
        """The row's cells as field values, or None (after noting errors) if a cell is wrong."""
        values = {"row": row.number}
        ok = True
        for key, value in row.values.items():
            if isinstance(value, FormulaCell):
                self.error(row.number, key, "the cell holds a formula; type the value instead")
                ok = False
                continue
            try:
                values[key] = getattr(self, f"_cell_{key}", _text)(value)
            except ValidationError as error:
                self.error(row.number, key, error.messages[0])
                ok = False
        if ok and values.get("outcome_number") is None:
            self.error(row.number, "outcome_number", "enter the outcome's number, such as 1")
            ok = False
        if ok and not values.get("priority_indicator") and values.get("action"):
            self.error(
                row.number,
                "priority_indicator",
                "enter the priority indicator this action is for",
            )
            ok = False
        if ok and not values.get("action"):
            filled = [key for key in ACTION_KEYS if values.get(key) not in (None, "", [])]
            if filled and (filled != ["status"] or values["status"] != Action.Status.NOT_STARTED):
                self.error(row.number, "action", "enter the action, or empty the action's columns")
                ok = False
        return values if ok else None

    def _cell_reference(self, value):
        if value == "":
            return None
        number = _whole_number(value)
        if number is None or number not in self.actions:
            raise ValidationError(
                f"there is no action {value} in the {self.plan.year_label} plan. If the file "
                "came from another plan, empty the Reference column to add its actions as new"
            )
        return number

    def _cell_outcome_number(self, value):
        if value == "":
            return None
        number = _whole_number(value)
        if number is None or number < 1:
            raise ValidationError(f"'{value}' is not an outcome number: enter a number such as 1")
        return number

    def _cell_outcome_owners(self, value):
        return self._people(value)

    def _cell_lead_users(self, value):
        return self._people(value)

    def _people(self, value):
        people = []
        for address in _addresses(value):
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    f"'{address}' is not an e-mail address. Give e-mail addresses separated by "
                    "semicolons"
                ) from None
            user = self.users.get(address.lower())
            if user is None:
                raise ValidationError(
                    f"no one with the e-mail address {address} can sign in to {terms().service}. "
                    "Add them under People and roles first, or correct the address"
                )
            if user not in people:
                people.append(user)
        return people

    def _cell_target_date(self, value):
        if value == "":
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            for date_format in DATE_FORMATS:
                try:
                    value = datetime.datetime.strptime(str(value).strip(), date_format).date()
                    break
                except ValueError:
                    continue
        if isinstance(value, datetime.date) and 1900 <= value.year <= 2199:
            return value
        raise ValidationError(
            f"'{value}' is not a date. Enter a date such as 31/03/2017, or put the target in "
            "words in the 'Target in words' column"
        )

    def _cell_status(self, value):
        return _choice(value, Action.Status, Action.Status.NOT_STARTED, "status")

    def _cell_rag(self, value):
        aliases = {"r": "red", "a": "amber", "g": "green"}
        value = aliases.get(str(value).strip().casefold(), value)
        return _choice(value, Action.Rag, Action.Rag.NOT_RATED, "RAG rating")

    # Rows to records

    def _outcomes(self, rows):
        by_number = {}
        for row in rows:
            by_number.setdefault(row["outcome_number"], []).append(row)
        for number, outcome_rows in by_number.items():
            statement = self._agreed(outcome_rows, "outcome", _wording, number)
            owners = self._agreed(
                outcome_rows, "outcome_owners", lambda users: sorted(u.pk for u in users), number
            )
            first = outcome_rows[0]["row"]
            existing = self.outcomes.get(number)
            summary = OutcomeSummary(
                number=number, statement=existing.statement if existing else statement or ""
            )
            self.preview.outcomes[number] = summary
            fields, m2m = {}, {}
            if existing is None:
                if not statement:
                    self.error(
                        first,
                        "outcome",
                        f"the strategy has no outcome {number}: enter its statement to add it",
                    )
                    continue
                fields = {
                    "number": number,
                    "statement": statement,
                    "order": self._next(
                        "outcome", max([o.order for o in self.outcomes.values()] + [0])
                    ),
                }
                m2m = {"owners": owners or []}
            else:
                if statement and not _same(existing.statement, statement):
                    fields["statement"] = statement
                if owners is not None and not _same_people(existing.owners, owners):
                    m2m["owners"] = owners
            planned = self._plan(
                Outcome,
                existing,
                fields | ({"strategy": self.plan.strategy} if existing is None else {}),
                m2m,
                first,
                f"Outcome {number}: {statement or existing.statement}",
                summary,
                permission="outcomes.add_outcome"
                if existing is None
                else "outcomes.change_outcome",
            )
            # Rows hang on the outcome itself when it exists, even if the import changes it.
            self.planned_outcomes[number] = existing if existing is not None else planned

    def _agreed(self, rows, key, compare, number):
        """The value every row of an outcome gives for an outcome column (rows that leave it
        empty don't count), or None if the column is absent or empty throughout."""
        if key not in self.columns:
            return None
        given = [row for row in rows if row.get(key)]
        for row in given[1:]:
            if compare(row[key]) != compare(given[0][key]):
                self.error(
                    row["row"],
                    key,
                    f"outcome {number} has "
                    + ("other wording" if key == "outcome" else "other owners")
                    + f" in row {given[0]['row']}. Give the same in every row of the outcome, "
                    "or leave the cell empty in all but one",
                )
        if given:
            return given[0][key]
        return [] if key == "outcome_owners" else None

    def _priority(self, row):
        wording = row.get("priority_indicator")
        number = row["outcome_number"]
        outcome = self.planned_outcomes.get(number)
        if not wording or outcome is None:
            return None
        summary = self.preview.outcomes[number]
        key = (number, _wording(wording))
        if key not in self.planned_indicators:
            existing = None
            if isinstance(outcome, Outcome):
                same_wording = [i for i in outcome.indicators.all() if _wording(i.title) == key[1]]
                # Two indicators worded alike: the one that is this plan's priority is meant.
                same_wording.sort(key=lambda i: i.pk not in self.priorities)
                existing = same_wording[0] if same_wording else None
            if existing is None:
                siblings = outcome.indicators.all() if isinstance(outcome, Outcome) else []
                existing = self._plan(
                    Indicator,
                    None,
                    {
                        "outcome": outcome,
                        "title": wording,
                        "unit": Indicator.Unit.QUALITATIVE,
                        "better": Indicator.Better.NEITHER,
                        "order": self._next(key[0], max([i.order for i in siblings] + [0])),
                    },
                    {},
                    row["row"],
                    wording,
                    summary,
                    permission="outcomes.add_indicator",
                )
            self.planned_indicators[key] = existing
        indicator = self.planned_indicators[key]
        if indicator is None:  # it could not be added; the reason is among the errors
            return None
        if key not in self.planned_priorities:
            priority = self.priorities.get(getattr(indicator, "pk", None))
            if priority is None:
                priority = self._plan(
                    PriorityIndicator,
                    None,
                    {
                        "action_plan": self.plan,
                        "indicator": indicator,
                        "order": self._next(("priorities", number), self._last_priority(number)),
                    },
                    {},
                    row["row"],
                    wording,
                    summary,
                    permission="actionplans.add_priorityindicator",
                )
            elif not row.get("action"):
                summary.unchanged += 1
            self.planned_priorities[key] = priority
        return self.planned_priorities[key]

    def _last_priority(self, number):
        return max(
            [p.order for p in self.priorities.values() if p.indicator.outcome.number == number]
            + [0]
        )

    def _action(self, row, priority):
        summary = self.preview.outcomes[row["outcome_number"]]
        existing = self.actions.get(row.get("reference"))
        if existing is None and isinstance(priority, PriorityIndicator):
            wording = _wording(row["action"])
            existing = next(
                (
                    a
                    for a in priority.actions.all()
                    if _wording(a.description) == wording
                    and a.pk not in self.matched_actions
                    and a.pk not in self.referenced
                ),
                None,
            )
        match_key = existing.pk if existing else (id(priority), _wording(row["action"]))
        if match_key in self.matched_actions:
            self.error(
                row["row"],
                "reference" if row.get("reference") else "action",
                f"this is the same action as row {self.matched_actions[match_key]}",
            )
            return
        self.matched_actions[match_key] = row["row"]
        fields, m2m = {}, {}
        values = {key: row[key] for key in ("action", *ACTION_KEYS) if key in row}
        for key, value in values.items():
            name = ACTION_FIELDS.get(key, key)
            if key == "lead_users":
                if existing is None or not _same_people(existing.lead_users, value):
                    m2m[name] = value
            elif existing is None or not _same(getattr(existing, name), value):
                fields[name] = value
        if existing is None:
            fields["priority_indicator"] = priority
            fields["order"] = self._next(
                ("actions", id(priority)),
                max([a.order for a in priority.actions.all()] + [0])
                if isinstance(priority, PriorityIndicator)
                else 0,
            )
        elif getattr(priority, "pk", None) != existing.priority_indicator_id:
            fields["priority_indicator"] = priority  # moved to another priority indicator
        self._plan(Action, existing, fields, m2m, row["row"], row["action"], summary)

    def _next(self, key, start):
        self.next_order[key] = self.next_order.get(key, start) + 1
        return self.next_order[key]

    def _plan(self, model, existing, fields, m2m, row, label, summary, permission=None):
        """Note a record to create or change, after checking it as its form would."""
        if existing is not None and not fields and not m2m:
            summary.unchanged += 1
            return None
        for name, users in m2m.items():
            current = {user.pk for user in getattr(existing, name).all()} if existing else set()
            for user in users:
                # Someone who has left stays where they were, but is not given anything new.
                if not user.is_active and user.pk not in current:
                    self.error(
                        row,
                        PEOPLE_COLUMNS[name],
                        f"{user.email} can no longer sign in to {terms().service}. Choose "
                        "someone "
                        "who can, or ask an administrator to restore their account",
                    )
                    return None
        if (
            permission
            and self.actor is not None
            and not permissions.allows(self.actor, permission, existing)
        ):
            self.preview.errors.append(
                f"Row {row}: only an administrator can "
                + (
                    f"add the {model._meta.verbose_name} '{_short(label)}'"
                    if existing is None
                    else f"change {existing}"
                )
            )
            return None
        planned = Planned(
            model=model, record=existing, fields=fields, m2m=m2m, row=row, label=label
        )
        self._check(planned)
        if existing is not None:
            planned.changes = [
                _change(existing, name, value) for name, value in (fields | m2m).items()
            ]
        (summary.created if existing is None else summary.updated).append(planned)
        self.preview.writes.append(planned)
        return planned

    def _check(self, planned):
        """Validate the record as its form would."""
        problems = problems_saving(
            planned.record or planned.model(),
            **{name: v for name, v in planned.fields.items() if not isinstance(v, Planned)},
        )
        for name, messages in problems.items():
            column = COLUMN_BY_KEY.get(FIELD_COLUMNS.get(name, name))
            label = column.header if column else name
            for message in messages:
                self.preview.errors.append(f"Row {planned.row}, column '{label}': {message}")


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value).strip()


def _whole_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _choice(value, choices, empty, name):
    wanted = _wording(value).replace("_", " ")
    if not wanted:
        return empty
    for choice_value, label in choices.choices:
        if wanted in (_wording(label), _wording(choice_value).replace("_", " ")):
            return choice_value
    allowed = ", ".join(label for choice_value, label in choices.choices if choice_value)
    raise ValidationError(f"'{value}' is not a {name}. Use one of: {allowed}")


def _addresses(value):
    text = str(value or "")
    return [
        (re.search(r"<([^>]+)>", part) or re.match(r"(.*)", part)).group(1).strip()
        for part in re.split(r"[;,\n]+", text)
        if part.strip()
    ]


def _wording(value):
    """Text as compared for matching: case and spacing don't count."""
    return " ".join(str(value or "").casefold().split())


def _same(stored, new):
    if isinstance(stored, str) or isinstance(new, str):
        return _lines(stored) == _lines(new)
    return stored == new


def _lines(value):
    """Text as a spreadsheet cell can hold it: without the control characters .xlsx cannot
    store, and cut at Excel's limit as the export cuts it."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return text[: MAX_CELL_CHARS - 1]


def _same_people(related, people):
    return {person.pk for person in related.all()} == {person.pk for person in people}


def _short(text):
    return Truncator(" ".join(str(text).split())).chars(80)


def _change(record, name, new):
    model_field = record._meta.get_field(name)
    old = getattr(record, name)
    if model_field.many_to_many:
        old = old.all()
    if isinstance(new, Planned):
        new = f"{new.label} (new)"
    return field_change(model_field, old, new)
