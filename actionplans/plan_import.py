"""What importing a plan spreadsheet would do to an action plan, worked out before anything is
saved.

Rows are matched to the strategy's outcomes by number, to indicators by their wording within the
outcome, and to the plan's actions by their ID in this service, else their action number, else
their wording within the priority indicator, so the same file imported twice changes nothing. A
column that is not in the file leaves that field alone; actions that are not in the file are
left as they are. `services.plan_import_apply` saves the `writes` found here.

A council's own table is read as it is: a plain "Priority" column names the outcome (several, as
"1, 3, 5"), and an action then goes under that outcome's only priority indicator in the plan, or
a new one with no figure; a row with only its first cell filled is a plan heading that is not an
outcome; timescales in words give a date where the words allow.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import Truncator, capfirst
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from actionplans.models import Action, PriorityIndicator, Rag
from actionplans.plan_template import (
    COLUMN_BY_KEY,
    CSV_SHEET_NAME,
    REFERENCE,
    FormulaCell,
    TemplateError,
    header_key,
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
    "action_number",
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
ACTION_FIELDS = {"action": "description", "action_number": "reference"}
# A model field -> the template column its errors are shown against.
FIELD_COLUMNS = {
    "description": "action",
    "statement": "outcome",
    "title": "priority_indicator",
    "kind": "outcome_kind",
}
NO_KIND = "none"  # an outcome kind cell saying "None", unlike an empty cell, which says nothing
KINDS = {
    "delivery": Outcome.Kind.DELIVERY,
    "outcome": Outcome.Kind.OUTCOME,
    "none": NO_KIND,
    "no kind": NO_KIND,
    "heading": Outcome.Kind.HEADING,
    "plan heading": Outcome.Kind.HEADING,
}
# "1, 3, 5" or "1 and 3": the outcomes a row's action serves.
NUMBER_LIST_RE = re.compile(r"[0-9]+(?:\s*(?:[,;&/+]|\band\b)\s*[0-9]+)*")
# "3. Reduce numbers in care": an outcome's number before its statement.
NUMBERED_STATEMENT_RE = re.compile(r"([0-9]{1,4})\s*[.):-]?\s+(\S.*)", re.S)
MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
MONTH_YEAR_RE = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?[\s\-/'\u2019]*"
    r"([0-9]{4}|[0-9]{2})(?![0-9])",
    re.I,
)
QUARTER_RE = re.compile(r"\b(?:q|quarter\s*)([1-4])\b", re.I)
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


@dataclass(eq=False)  # each is one record to be: compared, and kept in sets, as itself
class Planned:
    """One record the import would create (`record` is None) or change."""

    model: type
    record: object | None
    fields: dict
    m2m: dict
    row: int
    label: str
    changes: list = field(default_factory=list)  # history.FieldChange for each field
    what: str = ""  # what the record is, in the council's words
    saved: object = None  # the record, once the import has saved it

    def __str__(self):
        return f"{self.label} (new)"

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
    is_heading: bool = False
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0


@dataclass
class PlanImportPreview:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    columns_read: list = field(default_factory=list)  # how headings not the template's were read
    notes: list = field(default_factory=list)  # what the import will make that the file implies
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
                sorted(
                    (name, sorted(repr(_identity(item)) for item in items))
                    for name, items in planned.m2m.items()
                ),
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
        parsed=read_upload(file_name, data, council_headings()),
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
    _Comparison(
        plan=plan,
        actor=actor if check_permissions else None,
        preview=preview,
        sheet=sheet,
    ).run()
    if preview.errors:
        preview.writes.clear()
    return preview


def council_headings():
    """The council's words for the strategy's levels as column headings: its word for an
    outcome heads the outcome column, its word for a priority indicator that column."""
    words = terms()
    return {
        header_key(word): key
        for key, names in (
            ("outcome_number", (words.outcome, words.outcomes)),
            ("priority_indicator", (words.priority, words.priorities)),
        )
        for word in names
    }


def column_name(key):
    """A template column as the council would call it."""
    words = terms()
    names = {
        "outcome_number": f"{capfirst(words.outcome)} number",
        "outcome": capfirst(words.outcome),
        "outcome_kind": f"{capfirst(words.outcome)} kind",
        "outcome_owners": f"{capfirst(words.outcome)} owners",
        "priority_indicator": capfirst(words.priority),
    }
    return names.get(key) or COLUMN_BY_KEY[key].header


def target_date_from_words(words, year_start):
    """The date a timescale in words means, or None: the end of the month it names ("Sep 16",
    "September 2016"; the last one named, as in "April 2016 - March 2017"), a date written out
    ("31/03/2017"), or the end of a quarter of the plan's April-March year starting in
    `year_start` ("Q3" is 31 December). "Ongoing", an empty cell or anything else: None."""
    text = " ".join(str(words or "").split())
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    months = MONTH_YEAR_RE.findall(text)
    if months:
        name, year = months[-1]
        year = int(year) + (2000 if len(year) == 2 else 0)
        if 1900 <= year <= 2199:
            return _month_end(year, MONTHS[name.lower()])
    if text.lower().rstrip(".") in MONTHS:  # a month alone: the one in the plan's year
        month = MONTHS[text.lower().rstrip(".")]
        return _month_end(year_start + (month < 4), month)
    quarters = QUARTER_RE.findall(text)
    if quarters:
        month = 3 + 3 * int(quarters[-1])  # Q1 ends in June ... Q4 in March
        return _month_end(year_start + (month > 12), (month - 1) % 12 + 1)
    return None


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


class _Comparison:
    def __init__(self, *, plan, actor, preview, sheet):
        self.plan = plan
        self.actor = actor
        self.preview = preview
        self.sheet = sheet
        self.words = terms()
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
            .prefetch_related("actions__lead_users", "actions__also_serves")
        }
        self.actions = {
            action.pk: action
            for priority in self.priorities.values()
            for action in priority.actions.all()
        }
        self.numbered = {
            action.reference: action for action in self.actions.values() if action.reference
        }
        self._read_reference_column()
        self.columns = set(sheet.columns)
        # Leads named in the words of the plan are found among the people who can sign in.
        self.leads_from_text = "undertaken_by" in self.columns and "lead_users" not in self.columns
        self.dates_from_text = "target_text" in self.columns and "target_date" not in self.columns
        self.users = self._users_named_in_the_file()
        # An action some row names by ID or number is never matched to another row by wording.
        named = [row.values.get("action_number", "") for row in sheet.rows]
        self.referenced = {
            _whole_number(row.values.get("service_id", "")) for row in sheet.rows
        } | {self.numbered[_text(n)].pk for n in named if _text(n) in self.numbered}
        self.planned_outcomes = {}  # number -> Outcome or Planned
        self.planned_indicators = {}  # (number, wording) -> Indicator or Planned
        self.planned_priorities = {}  # indicator key -> PriorityIndicator or Planned
        self.matched_actions = {}  # action pk or (priority key, wording) -> row number
        self.numbers_in_file = {}  # action number -> (row, the action's record or None)
        self.headings = {}  # wording -> {"statement", "row", "number"}
        self.next_order = {}

    def column(self, key):
        """A column as the file heads it, or as the council would call it if it has none."""
        return self.sheet.headers.get(key) or column_name(key)

    def error(self, row, key, message):
        self.preview.errors.append(f"Row {row}, column '{self.column(key)}': {message}")

    def run(self):
        self._note_columns()
        rows, heading, seen = [], None, []
        for raw in self.sheet.rows:
            statement = self._heading(raw)
            if statement is not None:
                heading = {"statement": statement, "row": raw.number}
                seen.append(heading)
                continue
            row = self._typed(raw, heading)
            if row is not None:
                rows.append(row)
        for unused in seen:
            if _wording(unused["statement"]) not in self.headings:
                self.preview.notes.append(
                    f"Row {unused['row']}: '{unused['statement']}' is read as a heading in the "
                    "plan, but no row goes under it, so it is left out"
                )
        self._number_headings(rows)
        self._outcomes(rows)
        for row in rows:
            priority = self._priority_of(row)
            if priority is not None and row.get("action"):
                self._action(row, priority)
        self._number_clashes()
        self.preview.not_in_file = [
            action for pk, action in self.actions.items() if pk not in self.matched_actions
        ]

    # Columns

    def _read_reference_column(self):
        """A "Reference" column holds the service's IDs (an export made before action
        numbers) when every value is the ID of an action in the service and not all are the
        plan's action numbers; otherwise the plan's action numbers."""
        if REFERENCE not in self.sheet.headers:
            return
        values = [row.values[REFERENCE] for row in self.sheet.rows if row.values[REFERENCE] != ""]
        ids = {_whole_number(value) for value in values}
        if values and all(_text(value) in self.numbered for value in values):
            key = "action_number"
        elif None not in ids and Action.objects.filter(pk__in=ids).count() == len(ids):
            key = "service_id"
        else:
            key = "action_number"
        if key in self.sheet.headers:  # the file has that column already: this is the other
            key = "service_id" if key == "action_number" else "action_number"
        if key in self.sheet.headers:
            self.sheet.unknown_headers.append(self.sheet.headers.pop(REFERENCE))
            self.sheet.columns.remove(REFERENCE)
            return
        self.sheet.headers = {
            (key if k == REFERENCE else k): v for k, v in self.sheet.headers.items()
        }
        self.sheet.columns = [key if k == REFERENCE else k for k in self.sheet.columns]
        for row in self.sheet.rows:
            row.values = {(key if k == REFERENCE else k): v for k, v in row.values.items()}

    def _note_columns(self):
        council = set(council_headings())
        for key, heading in self.sheet.headers.items():
            if header_key(heading) in {
                header_key(COLUMN_BY_KEY[key].header),
                header_key(column_name(key)),
            }:
                continue
            note = f"'{heading}' read as {column_name(key)}"
            if (
                header_key(heading) in ("priority", "priorities")
                and header_key(heading) not in council
            ):
                note += (
                    f": on its own it is taken to mean the {self.words.outcome}, not the "
                    f"{self.words.priority}"
                )
            elif key == "service_id":
                note += ": its values are the IDs of actions in this service"
            self.preview.columns_read.append(note)
        for heading in self.sheet.unknown_headers:
            self.preview.columns_read.append(f"'{heading}' left out: the import has no such column")

    # Cells to values

    def _users_named_in_the_file(self):
        """The people the file names, by e-mail address or full name, in lower case."""
        keys = ["outcome_owners", "lead_users"] + (
            ["undertaken_by"] if self.leads_from_text else []
        )
        named = {
            " ".join(part.lower().split())
            for row in self.sheet.rows
            for key in keys
            for part in _addresses(row.values.get(key, ""))
            + (_names(row.values.get(key, "")) if key == "undertaken_by" else [])
        }
        people = (
            get_user_model()
            .objects.annotate(address=Lower("email"), name=Lower("full_name"))
            .filter(Q(address__in=named) | Q(name__in=named))
        )
        found = {}
        for person in people:
            found.setdefault(person.address, []).append(person)
            if person.name:
                found.setdefault(person.name, []).append(person)
        return found

    def _heading(self, raw):
        """The statement of a plan heading, if the row is one: only its first cell is filled
        (or the same text merged across the row), with words that name no outcome."""
        first = self.sheet.columns[0] if self.sheet.columns else None
        text = raw.values.get(first, "")
        if not isinstance(text, str) or isinstance(text, FormulaCell) or not text:
            return None
        others = [v for k, v in raw.values.items() if k != first and v not in ("", None)]
        if any(value != text for value in others):
            return None
        if first == "outcome_number":
            numbers = self._outcome_numbers(text)
            named = numbers and self.outcomes.get(numbers[0])
            if numbers and not (len(numbers) == 1 and named and named.is_heading):
                return None
        return text

    def _typed(self, row, heading):
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
        if ok and self.dates_from_text:
            raw = row.values.get("target_text")
            values["target_date"] = (
                raw
                if isinstance(raw, datetime.date)
                else target_date_from_words(values["target_text"], self.plan.financial_year_start)
            )
        if ok and self.leads_from_text:
            values["lead_users"] = self._named_people(values.get("undertaken_by", ""))
        numbers = values.pop("outcome_number", None)
        if numbers:
            values["outcome_number"], values["also_outcomes"] = numbers[0], numbers[1:]
        elif ok and heading is not None:
            values["heading"] = self.headings.setdefault(_wording(heading["statement"]), heading)
        elif ok:
            self.error(
                row.number,
                "outcome_number",
                f"enter the {self.words.outcome}'s number, such as 1",
            )
            ok = False
        if ok and not values.get("action"):
            filled = [
                key
                for key in ACTION_KEYS
                if values.get(key) not in (None, "", [])
                and not (key == "lead_users" and self.leads_from_text)
                and not (key == "target_date" and self.dates_from_text)
            ]
            if filled and (filled != ["status"] or values["status"] != Action.Status.NOT_STARTED):
                self.error(row.number, "action", "enter the action, or empty the action's columns")
                ok = False
        return values if ok else None

    def _cell_service_id(self, value):
        if value == "":
            return None
        number = _whole_number(value)
        if number is None or number not in self.actions:
            raise ValidationError(
                f"there is no action {value} in the {self.plan.year_label} plan. If the file "
                f"came from another plan, empty the '{self.column('service_id')}' column to add "
                "its actions as new; if it holds the plan's own action numbers, head it "
                "'Action number'"
            )
        return number

    def _cell_action_number(self, value):
        number = _text(value)
        limit = Action._meta.get_field("reference").max_length
        if len(number) > limit:
            raise ValidationError(f"an action number has at most {limit} characters")
        return number

    def _cell_outcome_number(self, value):
        if value == "":
            return None
        numbers = self._outcome_numbers(value)
        if numbers is None:
            raise ValidationError(
                f"'{value}' is not {self.words.an_outcome} number or the statement of "
                f"{self.words.an_outcome} in the strategy: enter a number such as 1"
            )
        return numbers

    def _outcome_numbers(self, value):
        """The outcome numbers a cell gives ("3", "1, 3, 5", or an outcome's statement, with
        or without its number first), or None."""
        number = _whole_number(value)
        if number is not None:
            return [number] if number >= 1 else None
        if not isinstance(value, str):
            return None
        text = " ".join(value.split())
        if NUMBER_LIST_RE.fullmatch(text):
            numbers = [int(n) for n in re.findall(r"[0-9]+", text) if len(n) <= 4]
            if len(numbers) != len(re.findall(r"[0-9]+", text)) or 0 in numbers:
                return None
            return list(dict.fromkeys(numbers))
        numbered = NUMBERED_STATEMENT_RE.fullmatch(text)
        for candidate in (text, numbered and numbered.group(2)):
            for outcome in self.outcomes.values():
                if candidate and _wording(outcome.statement) == _wording(candidate):
                    return [outcome.number]
        return None

    def _cell_outcome_kind(self, value):
        wanted = _wording(value)
        for word in (self.words.outcome, self.words.outcomes, "outcome", "outcomes"):
            if wanted.endswith(" " + _wording(word)):
                wanted = wanted[: -len(word) - 1].strip()
        if not wanted:
            return ""
        councils = {_wording(name): kind for kind, name in self.words.kinds.items()}
        if wanted in councils or wanted in KINDS:
            return councils.get(wanted) or KINDS[wanted]
        names = ", ".join(capfirst(name) for name in self.words.kinds.values())
        raise ValidationError(
            f"'{value}' is not a kind of {self.words.outcome}. Use {names} or None "
            "(or Heading, for a heading in the plan)"
        )

    def _cell_outcome_owners(self, value):
        return self._people(value)

    def _cell_lead_users(self, value):
        return self._people(value)

    def _people(self, value):
        people = []
        for entry in _addresses(value):
            if "@" in entry:
                try:
                    validate_email(entry)
                except ValidationError:
                    raise ValidationError(
                        f"'{entry}' is not an e-mail address. Give e-mail addresses or full "
                        "names separated by semicolons"
                    ) from None
            found = self.users.get(" ".join(entry.lower().split()), [])
            if not found:
                raise ValidationError(
                    (
                        f"no one with the e-mail address {entry}"
                        if "@" in entry
                        else f"no one called {entry}"
                    )
                    + f" can sign in to {self.words.service}. Add them under People and roles "
                    "first, or correct the " + ("address" if "@" in entry else "name")
                )
            if len(found) > 1:
                raise ValidationError(
                    f"more than one person is called {entry}: give their e-mail address instead"
                )
            if found[0] not in people:
                people.append(found[0])
        return people

    def _named_people(self, text):
        """The people who can sign in that the plan's words name exactly, by full name or
        e-mail address; initials, teams and roles name no one."""
        people = []
        for part in _addresses(text) + _names(text):
            found = self.users.get(" ".join(part.lower().split()), [])
            if len(found) == 1 and found[0].is_active and found[0] not in people:
                people.append(found[0])
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
        if isinstance(value, str) and MONTH_YEAR_RE.fullmatch(" ".join(value.split())):
            value = target_date_from_words(value, self.plan.financial_year_start)
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
        return _choice(value, Rag, Rag.NOT_RATED, "RAG rating")

    # Rows to records

    def _number_headings(self, rows):
        """Each plan heading is the strategy's outcome of kind heading with its statement, or a
        new one numbered after every outcome the strategy and the file have."""
        existing = {
            _wording(outcome.statement): outcome.number
            for outcome in self.outcomes.values()
            if outcome.is_heading
        }
        used = [*self.outcomes]
        for row in rows:
            used += [row.get("outcome_number") or 0, *row.get("also_outcomes", [])]
        last = max(used, default=0)
        for wording, heading in self.headings.items():
            if wording in existing:
                heading["number"] = existing[wording]
            else:
                last += 1
                heading["number"] = last
        for row in rows:
            if "heading" in row:
                row["outcome_number"] = row["heading"]["number"]

    def _outcomes(self, rows):
        by_number = {}
        for row in rows:
            by_number.setdefault(row["outcome_number"], []).append(row)
        headings = {heading["number"]: heading for heading in self.headings.values()}
        for number, outcome_rows in by_number.items():
            heading = headings.get(number)
            if heading is None:
                statement = self._agreed(outcome_rows, "outcome", _wording, number)
                kind = self._agreed(outcome_rows, "outcome_kind", str, number)
            else:
                statement, kind = heading["statement"], Outcome.Kind.HEADING
            owners = self._agreed(
                outcome_rows, "outcome_owners", lambda users: sorted(u.pk for u in users), number
            )
            first = outcome_rows[0]["row"]
            existing = self.outcomes.get(number)
            summary = OutcomeSummary(
                number=number,
                statement=existing.statement if existing else statement or "",
                is_heading=(existing.kind if existing else kind) == Outcome.Kind.HEADING,
            )
            self.preview.outcomes[number] = summary
            fields, m2m = {}, {}
            if existing is None:
                if not statement:
                    self.error(
                        first,
                        "outcome",
                        f"the strategy has no {self.words.outcome} {number}: "
                        + (
                            "enter its statement to add it"
                            if "outcome" in self.columns
                            else f"add a column '{column_name('outcome')}' with its statement "
                            "to add it, or correct the number"
                        ),
                    )
                    continue
                fields = {
                    "number": number,
                    "statement": statement,
                    "kind": "" if kind in (None, NO_KIND) else kind,
                    "order": self._next(
                        "outcome", max([o.order for o in self.outcomes.values()] + [0])
                    ),
                }
                m2m = {"owners": owners or []}
            else:
                if statement and not _same(existing.statement, statement):
                    fields["statement"] = statement
                if kind and ("" if kind == NO_KIND else kind) != existing.kind:
                    fields["kind"] = "" if kind == NO_KIND else kind
                if owners is not None and not _same_people(existing.owners, owners):
                    m2m["owners"] = owners
            label = statement or existing.statement
            planned = self._plan(
                Outcome,
                existing,
                fields | ({"strategy": self.plan.strategy} if existing is None else {}),
                m2m,
                first,
                label if summary.is_heading else f"Outcome {number}: {label}",
                summary,
                permission="outcomes.add_outcome"
                if existing is None
                else "outcomes.change_outcome",
            )
            # Rows hang on the outcome itself when it exists, even if the import changes it.
            self.planned_outcomes[number] = existing if existing is not None else planned
        # Outcomes a row's action also serves, that no row is for.
        for row in rows:
            for number in row.get("also_outcomes", []):
                if number in self.planned_outcomes or number in by_number:
                    continue
                if number in self.outcomes:
                    outcome = self.outcomes[number]
                    self.planned_outcomes[number] = outcome
                    self.preview.outcomes[number] = OutcomeSummary(
                        number=number, statement=outcome.statement, is_heading=outcome.is_heading
                    )
                else:
                    self.error(
                        row["row"],
                        "outcome_number",
                        f"the strategy has no {self.words.outcome} {number}: correct the number",
                    )

    def _agreed(self, rows, key, compare, number):
        """The value every row of an outcome gives for an outcome column (rows that leave it
        empty don't count), or None if the column is absent or empty throughout."""
        if key not in self.columns:
            return None
        given = [row for row in rows if row.get(key)]
        differs = {"outcome": "other wording", "outcome_owners": "other owners"}
        for row in given[1:]:
            if compare(row[key]) != compare(given[0][key]):
                self.error(
                    row["row"],
                    key,
                    f"{self.words.outcome} {number} has "
                    + differs.get(key, "another kind")
                    + f" in row {given[0]['row']}. Give the same in every row of the "
                    f"{self.words.outcome}, or leave the cell empty in all but one",
                )
        if given:
            return given[0][key]
        return [] if key == "outcome_owners" else None

    def _priority_of(self, row):
        """The priority indicator a row is for: the one it names, or for an action with none
        named, its outcome's only priority indicator in the plan (or a new one)."""
        if row.get("priority_indicator"):
            return self._priority(row, row["outcome_number"], row["priority_indicator"])
        if row.get("action"):
            return self._outcome_priority(row, row["outcome_number"])
        return None

    def _outcome_priority(self, row, number):
        outcome = self.planned_outcomes.get(number)
        if outcome is None:  # it could not be added; the reason is among the errors
            return None
        chosen = [
            priority
            for priority in self.priorities.values()
            if priority.indicator.outcome_id == getattr(outcome, "pk", None)
        ]
        chosen += [
            priority
            for key, priority in self.planned_priorities.items()
            if key[0] == number and priority is not None and priority not in chosen
        ]
        if len(chosen) > 1:
            names = "; ".join(f"'{_short(getattr(p, 'label', p))}'" for p in chosen)
            self.error(
                row["row"],
                "outcome_number",
                f"{self.words.outcome} {number} has {len(chosen)} {self.words.priorities} in "
                f"this plan ({names}). "
                + (
                    f"Fill in the '{self.column('priority_indicator')}' column"
                    if "priority_indicator" in self.columns
                    else f"Add a column '{column_name('priority_indicator')}'"
                )
                + f" to say which {self.words.priority} the action is for",
            )
            return None
        if chosen:
            return chosen[0]
        statement = (
            outcome.statement if isinstance(outcome, Outcome) else outcome.fields["statement"]
        )
        if (number, _wording(statement)) not in self.planned_priorities:
            self.preview.notes.append(
                f"Row {row['row']}: "
                + (
                    f"'{statement}' has"
                    if self.preview.outcomes[number].is_heading
                    else f"{capfirst(self.words.outcome)} {number} has"
                )
                + f" no {self.words.priority} in this plan, so a new {self.words.priority} with "
                f"no figure, '{statement}', will be made for it"
            )
        return self._priority(row, number, statement)

    def _priority(self, row, number, wording):
        outcome = self.planned_outcomes.get(number)
        if outcome is None:
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
        number = row.get("action_number") or ""
        existing = self.actions.get(row.get("service_id"))
        if existing is None and number in self.numbered:
            existing = self.numbered[number]
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
                "service_id"
                if row.get("service_id")
                else "action_number"
                if number in self.numbered
                else "action",
                f"this is the same action as row {self.matched_actions[match_key]}",
            )
            return
        if number and number in self.numbers_in_file:
            self.error(
                row["row"],
                "action_number",
                f"action {number} is also in row {self.numbers_in_file[number][0]}: give each "
                "action its own number",
            )
            return
        also = [self._outcome_priority(row, other) for other in row.get("also_outcomes", [])]
        if None in also:
            return
        self.matched_actions[match_key] = row["row"]
        if number:
            self.numbers_in_file[number] = (row["row"], existing)
        fields, m2m = {}, {}
        values = {key: row[key] for key in ("action", *ACTION_KEYS) if key in row}
        if also:
            values["also_serves"] = list(dict.fromkeys(also))
        for key, value in values.items():
            name = ACTION_FIELDS.get(key, key)
            if key == "lead_users" and self.leads_from_text:
                # Leads found in the words are added; the words never take a lead away.
                current = list(existing.lead_users.all()) if existing else []
                value = current + [person for person in value if person not in current]
                if existing is None or not _same_people(existing.lead_users, value):
                    m2m[name] = value
            elif key in ("lead_users", "also_serves"):
                if existing is None or not _same_people(getattr(existing, name), value):
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

    def _number_clashes(self):
        """An action number the file gives that another of the plan's actions has now."""
        for number, (row, action) in self.numbers_in_file.items():
            holder = self.numbered.get(number)
            if holder is not None and holder != action:
                self.error(
                    row,
                    "action_number",
                    f"the plan already has an action {number} ('{_short(holder.description)}')"
                    ". Give this action another number, or change that action's number first",
                )

    def _next(self, key, start):
        self.next_order[key] = self.next_order.get(key, start) + 1
        return self.next_order[key]

    def _plan(self, model, existing, fields, m2m, row, label, summary, permission=None):
        """Note a record to create or change, after checking it as its form would."""
        if existing is not None and not fields and not m2m:
            summary.unchanged += 1
            return None
        for name, users in m2m.items():
            if name not in PEOPLE_COLUMNS:
                continue
            current = {user.pk for user in getattr(existing, name).all()} if existing else set()
            for user in users:
                # Someone who has left stays where they were, but is not given anything new.
                if not user.is_active and user.pk not in current:
                    self.error(
                        row,
                        PEOPLE_COLUMNS[name],
                        f"{user.email} can no longer sign in to {self.words.service}. Choose "
                        "someone who can, or ask an administrator to restore their account",
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
            model=model,
            record=existing,
            fields=fields,
            m2m=m2m,
            row=row,
            label=label,
            what="plan heading"
            if model is Outcome
            and Outcome.Kind.HEADING in (fields.get("kind"), existing and existing.kind)
            else {Outcome: self.words.outcome, PriorityIndicator: self.words.priority}.get(
                model, model._meta.verbose_name
            ),
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
        """Validate the record as its form would. Action numbers are checked together, once
        (_number_clashes), not an action at a time."""
        fields = {name: v for name, v in planned.fields.items() if not isinstance(v, Planned)}
        if planned.model is Action:
            fields["reference"] = ""
        problems = problems_saving(planned.record or planned.model(), **fields)
        for name, messages in problems.items():
            key = FIELD_COLUMNS.get(name, name)
            label = self.column(key) if key in COLUMN_BY_KEY else name
            for message in messages:
                self.preview.errors.append(f"Row {planned.row}, column '{label}': {message}")


def _names(text):
    """The parts of a plan's "Lead" cell that might be people's names: "Jo Bloggs / Sam Smith"
    or "Jo Bloggs and Sam Smith"."""
    return [
        part.strip() for part in re.split(r"[;,\n/&()]+|\band\b", str(text or "")) if part.strip()
    ]


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


def _same_people(related, records):
    """The same people (or priorities): a record the import would add is never among them."""
    return {record.pk for record in related.all()} == {
        getattr(record, "pk", id(record)) for record in records
    }


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
