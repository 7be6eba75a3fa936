"""Search across the records a person may see: strategies, outcomes, indicators, actions,
children and young people's views (with what the council did about them), reports and (for
administrators) people.

PostgreSQL's full-text search (English stemming, web-search syntax: "a phrase", -word, or)
ranks what it finds; on SQLite, a plain fallback finds records holding every word.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q

from actionplans.models import Action, short_text
from lacstrategy import permissions
from lacstrategy.selectors import terms
from lacstrategy.services import SYSTEM_USERNAME
from outcomes.models import Indicator, Outcome, Strategy
from reports.models import CommitteeReport
from voices.models import Voice, VoiceResponse

PER_KIND = 20
CONTEXT_LENGTH = 160


@dataclass
class Hit:
    title: str
    url: str
    where: str  # where the record sits: its strategy, plan year or outcome
    context: str  # a few words around the first match

    def __post_init__(self):
        if self.context == self.title:  # a short action is its own title
            self.context = ""


@dataclass
class Kind:
    key: str
    name: str  # plural, in the council's words: "priorities"
    count: int
    hits: list
    page_obj: object = None

    @property
    def has_more(self):
        return self.page_obj is None and self.count > len(self.hits)


@dataclass
class Results:
    text: str
    groups: list = field(default_factory=list)

    @property
    def total(self):
        return sum(group.count for group in self.groups)


def _strategy_hit(strategy, words):
    context = _excerpt([strategy.vision, strategy.pledge, strategy.principles], words)
    period = f"{strategy.period_start:%B %Y} to {strategy.period_end:%B %Y}"
    return Hit(str(strategy), strategy.get_absolute_url(), period, context)


def _outcome_hit(outcome, words):
    return Hit(
        str(outcome),
        outcome.get_absolute_url(),
        outcome.strategy.title,
        _excerpt([outcome.commitment], words),
    )


def _indicator_hit(indicator, words):
    return Hit(
        indicator.title,
        indicator.get_absolute_url(),
        str(indicator.outcome),
        _excerpt([indicator.definition, indicator.data_source], words),
    )


def _action_hit(action, words):
    priority = action.priority_indicator
    return Hit(
        action.short_description or str(action),
        action.get_absolute_url(),
        f"Action plan {priority.action_plan.year_label}: {priority.indicator.title}",
        _excerpt([action.description, action.measure, action.undertaken_by, action.comment], words),
    )


def _voice_hit(voice, words):
    try:
        we_did = voice.response.we_did
    except VoiceResponse.DoesNotExist:
        we_did = ""
    return Hit(
        short_text(voice.said)[0],  # its first line, cut at a word as an action's is
        voice.get_absolute_url(),
        f"{voice}, {voice.strategy.title}",
        _excerpt([voice.said, we_did], words),
    )


def _person_hit(person, words):
    return Hit(
        str(person),
        person.get_absolute_url(),
        ", ".join(part for part in (person.job_title, person.organisation) if part),
        person.email,
    )


def _report_hit(report, words):
    sections = [getattr(report, name) for name in REPORT_TEXT]
    return Hit(
        str(report),
        report.get_absolute_url(),
        f"{report.body}, {report.meeting_on:%-d %B %Y}",
        _excerpt(sections, words),
    )


REPORT_TEXT = ["purpose", "information", "recommendations", "reasons", "other_options"]


def _kinds():
    """(key, plural name, permission its pages ask, records, fields by weight, hit maker).
    A kind is searched only for those its own pages open to."""
    words = terms()
    return [
        (
            "strategies",
            "strategies",
            "lacstrategy.view_records",
            Strategy.objects.all(),
            {"A": ["title"], "B": ["vision", "pledge", "principles"]},
            _strategy_hit,
        ),
        (
            "outcomes",
            words.outcomes,
            "lacstrategy.view_records",
            Outcome.objects.select_related("strategy", "group"),
            {"A": ["statement"], "B": ["commitment"]},
            _outcome_hit,
        ),
        (
            "indicators",
            "indicators",
            "lacstrategy.view_records",
            Indicator.objects.select_related("outcome__strategy", "outcome__group"),
            {"A": ["title"], "B": ["definition", "data_source"]},
            _indicator_hit,
        ),
        (
            "actions",
            "actions",
            "lacstrategy.view_records",
            Action.objects.select_related(
                "priority_indicator__action_plan", "priority_indicator__indicator"
            ),
            {"A": ["reference", "description"], "B": ["measure", "undertaken_by", "comment"]},
            _action_hit,
        ),
        (
            "views",
            "children and young people's views",
            "lacstrategy.view_records",
            Voice.objects.select_related("strategy", "response"),
            {"A": ["said"], "B": ["source_name", "response__we_did"]},
            _voice_hit,
        ),
        (
            "reports",
            "reports",
            # As the report's own page: every role opens drafts and issued versions alike.
            "lacstrategy.view_records",
            CommitteeReport.objects.defer("issued_data", "issued_html", "issued_pdf"),
            {"A": ["title"], "B": ["body", *REPORT_TEXT]},
            _report_hit,
        ),
        (
            "people",
            "people",
            "lacstrategy.manage_people",
            get_user_model().objects.exclude(username=SYSTEM_USERNAME),
            {"A": ["full_name", "username"], "B": ["job_title", "organisation", "email"]},
            _person_hit,
        ),
    ]


def searchable(*, user):
    """{key: plural name} of the kinds `user` may search, in the order results come."""
    return {
        key: name for key, name, permission, *_ in _kinds() if permissions.allows(user, permission)
    }


def search(*, user, text, kind=None, page=1):
    """What `user` may see that matches `text`: each kind's count and its first PER_KIND hits,
    best first; or, with `kind`, that kind alone a page at a time."""
    words = _words(text)
    results = Results(text=text)
    if not words:
        return results
    for key, name, permission, records, fields, make_hit in _kinds():
        if (kind and key != kind) or not permissions.allows(user, permission):
            continue
        matches = _matching(records, fields, text, words)
        if kind:
            page_obj = Paginator(matches, PER_KIND).get_page(page)
            count, rows = page_obj.paginator.count, page_obj.object_list
        else:
            page_obj, rows = None, list(matches[:PER_KIND])
            count = len(rows) if len(rows) < PER_KIND else matches.count()
        if count or kind:
            hits = [make_hit(row, words) for row in rows]
            results.groups.append(Kind(key, name, count, hits, page_obj))
    return results


def _words(text):
    """The words to look for: two letters or more, so that a stray "a" or "&" finds nothing."""
    return [word for word in re.findall(r"\w+", text.lower()) if len(word) > 1]


def _matching(records, fields, text, words):
    """One choice of search for the database in use."""
    if connection.vendor == "postgresql":
        vector = None
        for weight, names in fields.items():
            for name in names:
                part = SearchVector(name, weight=weight, config="english")
                vector = part if vector is None else vector + part
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            records.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "pk")
        )
    names = [name for names in fields.values() for name in names]
    left_out = set(re.findall(r"(?:^|\s)-(\w+)", text.lower()))
    condition = Q()
    for word in words:
        anywhere = Q()
        for name in names:
            anywhere |= Q(**{f"{name}__icontains": word})
        condition &= ~anywhere if word in left_out else anywhere
    return records.filter(condition).order_by("pk")


def _excerpt(texts, words):
    """About CONTEXT_LENGTH characters of the first text that holds one of the words (or its
    stem), around it; else the start of the first text that says anything."""
    texts = [" ".join(text.split()) for text in texts if text and text.strip()]
    if not texts:
        return ""
    stems = [word[:5] for word in words]
    for text in texts:
        lowered = text.lower()
        found = [lowered.find(stem) for stem in stems if stem in lowered]
        if found:
            return _cut(text, min(found))
    return _cut(texts[0], 0)


def _cut(text, at):
    if len(text) <= CONTEXT_LENGTH:
        return text
    start = max(0, at - CONTEXT_LENGTH // 3)
    if start:
        start = text.find(" ", start) + 1 or start  # at a word's start
    end = start + CONTEXT_LENGTH
    piece = text[start:end]
    if end < len(text):
        piece = piece.rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + piece
