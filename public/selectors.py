"""Reads for the public page: only approved texts, and figures through the small-numbers rule."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from actionplans.models import Action, ActionPlan, PriorityIndicator
from figures.charts import Series, trend_words
from figures.selectors import figures_prefetch, indicator_picture
from lacstrategy.selectors import council
from outcomes.models import Indicator, Outcome, Strategy
from public.models import PUBLISHABLE, PublicText
from public.small_numbers import shown
from voices.models import Voice


def public_strategy():
    """The strategy the public page shows: the latest one not archived."""
    return Strategy.objects.exclude(status=Strategy.Status.ARCHIVED).first()


def public_plan(strategy):
    """This year's plan as the public page shows it: the latest approved one (a draft for next
    year is not yet a promise)."""
    return (
        strategy.action_plans.filter(status=ActionPlan.Status.APPROVED)
        .order_by("-financial_year_start")
        .first()
    )


def approved(records, field_name):
    """{pk: text} of `records` whose `field_name` reads exactly as approved."""
    records = [r for r in records if r is not None]
    if not records:
        return {}
    label = records[0]._meta.label_lower
    texts = dict(
        PublicText.objects.filter(
            record_type=label, field=field_name, record_id__in=[r.pk for r in records]
        ).values_list("record_id", "text")
    )
    return {
        r.pk: texts[r.pk]
        for r in records
        if r.pk in texts and getattr(r, field_name) == texts[r.pk]
    }


def leader_words(people, *, names):
    """Who leads, as the public may read it: job titles, and names if the council chooses."""
    words = []
    for person in people:
        title = person.job_title.strip()
        text = (
            f"{person.full_name}, {title}"
            if names and title
            else (title if not names else person.full_name)
        )
        if text and text not in words:
            words.append(text)
    return words


@dataclass
class PublicPromise:
    number: str
    statement: str
    actions: list = field(default_factory=list)  # (approved text, status words, leaders)
    counts: Counter = field(default_factory=Counter)
    indicators: list = field(default_factory=list)  # (indicator, approved title, latest Shown)

    @property
    def total_actions(self):
        return sum(self.counts.values())

    @property
    def done(self):
        return self.counts[Action.Status.COMPLETE]


def promises(*, strategy):
    """The strategy's outcomes whose statements are approved, each with this year's actions
    (counted, and listed where their text is approved) and its measures."""
    settings = council()
    plan = public_plan(strategy)
    outcomes = list(
        Outcome.objects.filter(strategy=strategy)
        .exclude(kind=Outcome.Kind.HEADING)
        .select_related("strategy", "group")
    )
    statements = approved(outcomes, "statement")
    if plan is None:
        return plan, [
            PublicPromise(o.reference, statements[o.pk]) for o in outcomes if o.pk in statements
        ]
    actions = list(
        Action.objects.filter(priority_indicator__action_plan=plan)
        .exclude(status=Action.Status.WITHDRAWN)
        .select_related("priority_indicator__indicator")
        .prefetch_related("lead_users")
    )
    descriptions = approved(actions, "description")
    priorities = list(
        PriorityIndicator.objects.filter(action_plan=plan)
        .select_related("indicator")
        .prefetch_related(figures_prefetch("indicator__figures"))
    )
    titles = approved([p.indicator for p in priorities], "title")
    by_outcome = {
        o.pk: PublicPromise(o.reference, statements[o.pk]) for o in outcomes if o.pk in statements
    }
    for action in actions:
        promise = by_outcome.get(action.priority_indicator.indicator.outcome_id)
        if promise is None:
            continue
        promise.counts[action.status] += 1
        if action.pk in descriptions:
            leaders = leader_words(action.lead_users.all(), names=settings.public_names)
            promise.actions.append((descriptions[action.pk], action.get_status_display(), leaders))
    for priority in priorities:
        indicator = priority.indicator
        promise = by_outcome.get(indicator.outcome_id)
        if promise is None or indicator.pk not in titles:
            continue
        figures = sorted(indicator.figures.all(), key=lambda f: f.period_end)
        latest = figures[-1] if figures else None
        promise.indicators.append(
            (
                indicator,
                titles[indicator.pk],
                latest,
                shown(latest, indicator.unit, settings.small_numbers_below),
            )
        )
    return plan, [by_outcome[o.pk] for o in outcomes if o.pk in by_outcome]


def public_voices(*, strategy):
    """Views whose words are approved, each with its response where that is approved too."""
    voices = list(
        Voice.objects.filter(strategy=strategy)
        .select_related("response")
        .order_by("-heard_on", "-pk")
    )
    said = approved(voices, "said")
    sources = dict(Voice.source_choices())
    responses = [v.response for v in voices if hasattr(v, "response")]
    we_did = approved(responses, "we_did")
    who = approved(responses, "who")
    rows = []
    for voice in voices:
        if voice.pk not in said:
            continue
        response = getattr(voice, "response", None)
        done = response if response is not None and response.pk in we_did else None
        rows.append(
            {
                "said": said[voice.pk],
                # Where it was heard, in the service's words: the meeting's or survey's own
                # name is typed by staff and not approved.
                "source": sources.get(voice.source, ""),
                "heard_on": voice.heard_on,
                "we_did": we_did[done.pk] if done else "",
                "who": who.get(done.pk, "") if done else "",
                "due_on": done.due_on if done else None,
                "status": done.get_status_display() if done else "",
                "status_value": done.status if done else "",
            }
        )
    return rows


def public_indicator(*, indicator, title):
    """An indicator's figures as the public may see them: a table, a chart and words, each
    through the small-numbers rule; England's as published nationally."""
    settings = council()
    picture = indicator_picture(indicator=indicator)
    below = settings.small_numbers_below
    ours = [shown(row.figure, indicator.unit, below) for row in picture.rows]
    periods = [row.label for row in picture.rows]
    series = [
        Series(settings.name or "This council", [s.value for s in ours], "council"),
        Series(
            "England",
            [row.england.value if row.england else None for row in picture.rows],
            "england",
        ),
    ]
    return {
        "title": title,
        "periods": periods,
        "rows": [
            {
                "period": row.label,
                "ours": ours[index].words,
                "england": row.england.value if row.england else None,
            }
            for index, row in enumerate(picture.rows)
        ],
        "series": series,
        "unit": indicator.unit,
        "words": trend_words(periods=periods, series=series, unit=indicator.unit)
        if periods
        else "",
        "below": below,
        "illustrative": picture.any_illustrative,
    }


def public_indicator_titles(*, strategy):
    """{indicator pk: approved title} of the measures the public page shows: the current plan's
    priorities with approved titles, under approved promises."""
    plan = public_plan(strategy)
    if plan is None:
        return {}
    indicators = [
        p.indicator
        for p in PriorityIndicator.objects.filter(action_plan=plan).select_related(
            "indicator__outcome"
        )
    ]
    statements = approved(list({i.outcome for i in indicators}), "statement")
    titles = approved(indicators, "title")
    return {i.pk: titles[i.pk] for i in indicators if i.pk in titles and i.outcome_id in statements}


def candidates(*, strategy):
    """What an administrator can approve for the public page, group by group, each text with
    whether it is approved as it reads now."""
    plan = public_plan(strategy)
    outcomes = list(
        Outcome.objects.filter(strategy=strategy)
        .exclude(kind=Outcome.Kind.HEADING)
        .select_related("strategy", "group")
    )
    indicators, actions = [], []
    if plan is not None:
        indicators = list(
            Indicator.objects.filter(priority_indicators__action_plan=plan)
            .select_related("outcome__strategy")
            .distinct()
        )
        actions = list(
            Action.objects.filter(priority_indicator__action_plan=plan)
            .exclude(status=Action.Status.WITHDRAWN)
            .select_related("priority_indicator__indicator__outcome__strategy")
        )
    voices = list(
        Voice.objects.filter(strategy=strategy).select_related("response").order_by("-heard_on")
    )
    responses = [v.response for v in voices if hasattr(v, "response")]
    groups = [
        ("The strategy", [strategy]),
        ("Promises", outcomes),
        ("Measures", indicators),
        ("Actions this year", actions),
        ("What children and young people said", voices),
        ("What we did about it", responses),
    ]
    return plan, [(name, _states(records)) for name, records in groups]


def _states(records):
    """Each record with its publishable texts and their state: not approved, approved, or
    changed since it was approved. One query for the group."""
    if not records:
        return []
    label = records[0]._meta.label_lower
    texts = defaultdict(dict)
    for row in PublicText.objects.filter(record_type=label, record_id__in=[r.pk for r in records]):
        texts[row.record_id][row.field] = row.text
    rows = []
    for record in records:
        fields = [
            (record._meta.get_field(name).verbose_name, getattr(record, name))
            for name in PUBLISHABLE[label]
            if str(getattr(record, name)).strip()
        ]
        if not fields:
            continue
        approved_texts = texts[record.pk]
        if not approved_texts:
            state = "not approved"
        elif all(
            approved_texts.get(name) == getattr(record, name)
            for name in PUBLISHABLE[label]
            if str(getattr(record, name)).strip()
        ):
            state = "approved"
        else:
            state = "changed since approved"
        rows.append({"record": record, "label": label, "fields": fields, "state": state})
    return rows
