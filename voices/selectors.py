"""Reads: the views children and young people gave, and the council's responses."""

from django.db.models import Prefetch, Q

from actionplans.models import Action
from outcomes.models import Outcome
from voices.models import Voice

# What a list of views shows beside each: the response and what it is about.
_LISTED = Voice.objects.select_related("response", "period__action_plan").prefetch_related(
    Prefetch("outcomes", queryset=Outcome.objects.select_related("strategy", "group")),
    "framework_items",
)


def voices_of(*, strategy_id, status=None, source=None):
    """A strategy's views, newest first, each with its response. `status` filters by the
    response's status ("none" for views without one)."""
    voices = _LISTED.filter(strategy_id=strategy_id)
    if status == "none":
        voices = voices.filter(response__isnull=True)
    elif status:
        voices = voices.filter(response__status=status)
    if source:
        voices = voices.filter(source=source)
    return voices


def voice_detail(*, pk):
    return (
        Voice.objects.select_related("strategy", "response", "period__action_plan", "recorded_by")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.select_related("strategy", "group")),
            "indicators",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("priority_indicator__action_plan"),
            ),
            "framework_items__framework",
        )
        .get(pk=pk)
    )


def voices_about_outcome(*, outcome, heard_from, heard_to, limit=10):
    """What was said about an outcome, its indicators or its actions in a span of time (an
    owner's quarter), newest first: the `limit` newest, and how many in all."""
    about = (
        Q(outcomes=outcome)
        | Q(indicators__outcome=outcome)
        | Q(actions__priority_indicator__indicator__outcome=outcome)
    )
    ids = (
        Voice.objects.filter(about, heard_on__gte=heard_from, heard_on__lte=heard_to)
        .values("pk")
        .distinct()
    )
    voices = _LISTED.filter(pk__in=ids)
    newest = list(voices[:limit])
    return newest, voices.count() if len(newest) == limit else len(newest)


def voices_heard_for(*, period):
    """The views heard for a quarter's review, oldest first (its dashboard)."""
    return _LISTED.filter(period=period).order_by("heard_on", "pk")


def voices_heard(*, strategy_id, heard_from, heard_to):
    """A strategy's views heard in a span of time, oldest first, with their responses: a
    report's "You said, we did"."""
    return list(
        _LISTED.filter(
            strategy_id=strategy_id, heard_on__gte=heard_from, heard_on__lte=heard_to
        ).order_by("heard_on", "pk")
    )


def document_rows(voices, responses):
    """Views and their responses as the reports write them: plain values, oldest first.
    `responses`: {voice id: response} (as they stood at a report's moment, or now)."""
    rows = []
    for voice in sorted(voices, key=lambda v: (v.heard_on, v.pk)):
        response = responses.get(voice.pk)
        rows.append(
            {
                "said": voice.said,
                "source": voice.source_words,
                "heard_on": voice.heard_on.isoformat(),
                "we_did": response.we_did if response else "",
                "who": response.who if response else "",
                "due_on": response.due_on.isoformat() if response and response.due_on else "",
                "status": response.get_status_display() if response else "No response yet",
            }
        )
    return rows


def year_rows(*, strategy_id, heard_from, heard_to):
    """A year's "You said, we did" for the annual report, as the records stand now."""
    voices = voices_heard(strategy_id=strategy_id, heard_from=heard_from, heard_to=heard_to)
    return document_rows(
        voices, {voice.pk: voice.response for voice in voices if hasattr(voice, "response")}
    )
