"""What a committee report and the plan and strategy documents say: from the tables as the
records are now, or from the history as they stood at a past moment ("as at"). The result is
plain data (JSON-safe): it is what an issued report keeps."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.text import capfirst

from actionplans.models import Action, PriorityIndicator, Rag, target_words
from actionplans.selectors import annual_summary, changes_by_outcome, plan_changes_between
from figures.charts import Series, cached_line_chart_svg, chart_arguments, plain_chart
from figures.models import BenchmarkFigure, IndicatorFigure
from figures.selectors import council_profile, direction_of_travel, rag_for
from frameworks.selectors import coverage_for_documents
from lacstrategy.history import m2m_history_fields, states_at
from lacstrategy.models import Council, ReportSection
from lacstrategy.selectors import council
from outcomes.models import Commitment, Indicator, Outcome, OutcomeGroup, Strategy, figure_text
from outcomes.selectors import outcomes_by_heading
from reports.models import CommitteeReport
from reviews.models import ActionUpdate, IndicatorUpdate, OutcomeUpdate
from reviews.selectors import update_is_late
from voices.models import Voice, VoiceResponse
from voices.selectors import document_rows, year_rows

DONE = {Action.Status.COMPLETE, Action.Status.WITHDRAWN}


def _day(date):
    return f"{date:%-d %B %Y}" if date else ""


def _records(model, moment, **filters):
    """{id: record} of `model` matching `filters`, in the order they were made: from its table
    (`moment` None: now), or as they stood at `moment`, built from the history."""
    if moment is None:
        return {r.pk: r for r in model._default_manager.filter(**filters).order_by("pk")}
    rows = states_at(model.history.filter(**filters), moment)
    return {pk: row.instance for pk, row in rows.items()}


@dataclass
class PlanRecords:
    """A plan's records now (`moment` None, from the tables) or as they stood at `moment` (from
    the history): its outcomes, with their group and strategy as they were and their owners'
    names; its priority indicators, their indicators and their actions; all by id."""

    plan: object
    moment: object
    outcomes: dict = field(default_factory=dict)
    owners: dict = field(default_factory=dict)
    priorities: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)
    action_versions: dict = field(default_factory=dict)  # at a moment: action id: history id

    def action_links(self, name):
        """{action id: {linked ids}}: the actions' many-to-many field `name` (as it was at the
        moment: from the link rows kept with each version), in one query."""
        linked = defaultdict(set)
        if self.moment is None:
            links = Action._meta.get_field(name)
            pairs = links.remote_field.through.objects.filter(
                **{f"{links.m2m_field_name()}_id__in": list(self.actions)}
            ).values_list(f"{links.m2m_field_name()}_id", f"{links.m2m_reverse_field_name()}_id")
        else:
            history_model = Action.history.model
            [(_, accessor, column)] = [f for f in m2m_history_fields(Action) if f[0].name == name]
            links = getattr(history_model, accessor).rel.related_model.objects
            record_of = {history_id: pk for pk, history_id in self.action_versions.items()}
            pairs = (
                (record_of[history_id], other_id)
                for history_id, other_id in links.filter(
                    history_id__in=list(record_of)
                ).values_list("history_id", f"{column}_id")
            )
        for action_id, other_id in pairs:
            linked[action_id].add(other_id)
        return linked

    @property
    def outcome_of_priority(self):
        return {
            p.id: self.indicators[p.indicator_id].outcome_id
            for p in self.priorities.values()
            if p.indicator_id in self.indicators
        }


def plan_records(plan, moment=None, *, owners=True):
    """The plan's records now, or as they stood at `moment`: PlanRecords, with the outcomes'
    owners unless `owners` is False. Seven queries at most, whatever the size of the plan."""
    records = PlanRecords(plan=plan, moment=moment)
    if moment is None:
        outcomes = _outcome_records(plan.strategy_id).order_by("pk")
        records.outcomes = {
            o.pk: o for o in (outcomes.prefetch_related("owners") if owners else outcomes)
        }
        if owners:
            records.owners = {
                pk: sorted(owner.name_and_title for owner in o.owners.all())
                for pk, o in records.outcomes.items()
            }
    else:
        [(_, owner_links, owner_column)] = [
            f for f in m2m_history_fields(Outcome) if f[0].name == "owners"
        ]
        rows = Outcome.history.filter(strategy_id=plan.strategy_id)
        if owners:
            rows = rows.prefetch_related(f"{owner_links}__{owner_column}")
        rows = states_at(rows, moment)
        if owners:
            records.owners = {
                pk: sorted(
                    getattr(link, owner_column).name_and_title
                    for link in getattr(row, owner_links).all()
                )
                for pk, row in rows.items()
            }
        strategy = _records(Strategy, moment, id=plan.strategy_id).get(plan.strategy_id)
        strategy = strategy or plan.strategy
        groups = _records(OutcomeGroup, moment, strategy_id=plan.strategy_id)
        for pk, row in rows.items():
            outcome = row.instance
            outcome.strategy, outcome.group = strategy, groups.get(row.group_id)
            records.outcomes[pk] = outcome
    records.priorities = _records(PriorityIndicator, moment, action_plan_id=plan.pk)
    records.indicators = _records(
        Indicator, moment, id__in=[p.indicator_id for p in records.priorities.values()]
    )
    if moment is None:
        records.actions = _records(Action, None, priority_indicator_id__in=list(records.priorities))
    else:
        rows = states_at(
            Action.history.filter(priority_indicator_id__in=list(records.priorities)), moment
        )
        records.actions = {pk: row.instance for pk, row in rows.items()}
        records.action_versions = {pk: row.history_id for pk, row in rows.items()}
    return records


def _ordered(rows, *keys):
    return sorted(rows, key=lambda row: tuple(getattr(row, key) for key in keys))


def _origin(priority):
    """Where a priority came from, in words: "Children and young people's survey (Bright Spots
    2015), rated Red"; '' where not recorded."""
    origin = priority.get_origin_display() if priority.origin else ""
    if priority.origin_detail:
        origin = f"{origin} ({priority.origin_detail})" if origin else priority.origin_detail
    if priority.survey_rating:
        origin += f", rated {priority.get_survey_rating_display()}"
    return origin


def _why_chosen(priorities, indicators):
    return [
        {
            "title": indicators[p.indicator_id].title,
            "rationale": p.rationale,
            "origin": _origin(p),
        }
        for p in priorities
        if p.rationale.strip() or _origin(p)
    ]


def plan_document(*, action_plan, as_at=None):
    """The annual plan laid out as the council's document: now, or as it stood at `as_at`."""
    records = plan_records(action_plan, as_at)
    instances, owners = records.outcomes, records.owners
    priorities, indicators, actions = records.priorities, records.indicators, records.actions
    words = council().terms
    outcome_of = records.outcome_of_priority
    priority_count = Counter(outcome_of.values())

    def served_name(priority_id):
        """A priority the action also serves, by its outcome ("Priority 3"), and by its own
        title where its outcome has more than one."""
        outcome = instances.get(outcome_of.get(priority_id))
        if outcome is None:
            return None
        name = outcome.short_name
        if priority_count[outcome.id] > 1:
            name += f" ({indicators[priorities[priority_id].indicator_id].title})"
        return name

    also_serves = records.action_links("also_serves")
    delivered = records.action_links("commitments")
    headed = outcomes_by_heading(instances.values(), plan_headings=True)
    # The priorities an action also serves, in the order the document shows them.
    position = {o.id: i for i, o in enumerate(o for _, members in headed for o in members)}

    def served_order(priority_id):
        return (position.get(outcome_of.get(priority_id), -1), priority_id)

    sections = []
    for heading, members in headed:
        group = members[0].group if members[0].group_id and not members[0].is_heading else None
        for outcome in members:
            mine = _ordered(
                [p for p in priorities.values() if outcome_of.get(p.id) == outcome.id],
                "order",
                "id",
            )
            mine_ids = {p.id for p in mine}
            sections.append(
                {
                    "number": outcome.number,
                    "reference": outcome.reference,
                    "kind_label": outcome.kind_label,
                    "is_heading": outcome.is_heading,
                    "heading": heading,
                    "heading_description": group.description if group else "",
                    "statement": outcome.statement,
                    "owners": owners[outcome.id],
                    "priority_areas": [indicators[p.indicator_id].title for p in mine],
                    "why_chosen": _why_chosen(mine, indicators),
                    "actions": [
                        {
                            "reference": a.reference,
                            "description": a.description,
                            "also_serves": [
                                name
                                for name in map(
                                    served_name,
                                    sorted(
                                        also_serves[a.id] - {a.priority_indicator_id},
                                        key=served_order,
                                    ),
                                )
                                if name
                            ],
                            "undertaken_by": a.undertaken_by,
                            "target": a.target_display,
                            "status": a.get_status_display(),
                            "rag": a.get_rag_display() if a.rag else "",
                            "comment": a.comment,
                        }
                        for a in _ordered(
                            [a for a in actions.values() if a.priority_indicator_id in mine_ids],
                            "order",
                            "id",
                        )
                    ],
                }
            )
    return {
        "council": council().name,
        "terms": words.as_dict(),
        "title": f"{action_plan.strategy}: Annual Action Plan {action_plan.year_label}",
        "year": action_plan.year_label_slashed,
        "as_at": as_at.isoformat() if as_at else None,
        "action_numbers": any(a.reference for a in actions.values()),
        "outcomes": sections,
        "commitments_without_action": _commitments_without_action(
            instances, delivered, as_at, position
        ),
    }


def _commitments_without_action(outcomes, delivered, moment, position):
    """The strategy's commitments that no action in the plan delivered at `moment` (None:
    now), as
    outcomes.selectors.commitments_without_action finds them now, in the document's order of
    outcomes (`position`); None where the strategy has no commitments."""
    commitments = _records(Commitment, moment, outcome_id__in=list(outcomes))
    if not commitments:
        return None
    linked = set().union(*delivered.values())
    return [
        {
            "outcome": outcomes[c.outcome_id].short_name,
            "text": c.text,
        }
        for c in sorted(
            commitments.values(),
            key=lambda c: (position[c.outcome_id], c.order, c.id),
        )
        if c.id not in linked
    ]


def strategy_document(*, strategy):
    outcomes = list(
        Outcome.objects.filter(strategy=strategy).prefetch_related(
            "owners",
            "commitments",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch(
                        "priority_indicators",
                        queryset=PriorityIndicator.objects.select_related("action_plan").order_by(
                            "-action_plan__financial_year_start"
                        ),
                    )
                ),
            ),
        )
    )
    groups = {group.pk: group for group in strategy.groups.all()}
    for outcome in outcomes:
        outcome.strategy = strategy
        outcome.group = groups.get(outcome.group_id)
    draft = strategy.status == Strategy.Status.DRAFT
    return {
        "council": council().name,
        "terms": council().terms.as_dict(),
        "title": strategy.title,
        "version": strategy.version_display if draft else "",
        "period": f"{_day(strategy.period_start)} to {_day(strategy.period_end)}",
        "status": f"Approved by {strategy.approved_by} on {_day(strategy.approved_on)}"
        if strategy.status == "approved"
        else strategy.get_status_display(),
        "vision": strategy.vision,
        "principles": strategy.principle_list,
        "pledge": strategy.pledge,
        "sections": [
            {"heading": section.heading, "paragraphs": section.paragraphs}
            for section in strategy.sections.all()
        ],
        "outcomes": [
            {
                "number": o.number,
                "reference": o.reference,
                "kind_label": o.kind_label,
                "heading": heading,
                "heading_description": o.group.description if o.group else "",
                "statement": o.statement,
                "owners": [owner.name_and_title for owner in o.owners.all()],
                "commitment": o.commitment,
                "commitments": [c.text for c in o.commitments.all()],
                "indicators": [
                    {
                        "title": i.title,
                        "definition": i.definition,
                        "unit": i.get_unit_display(),
                        "better": i.get_better_display(),
                        "source": i.data_source,
                    }
                    for i in o.indicators.all()
                ],
                # Why each was chosen, from the latest plan that has it as a priority.
                "why_chosen": [
                    {"plan": p.action_plan.year_label, **why}
                    for i in o.indicators.all()
                    for p in list(i.priority_indicators.all())[:1]
                    for why in _why_chosen([p], {p.indicator_id: i})
                ],
            }
            for heading, members in outcomes_by_heading(outcomes)
            for o in members
        ],
        "frameworks": coverage_for_documents(strategy_id=strategy.pk),
    }


def _last_issued_before(report):
    return (
        CommitteeReport.objects.filter(
            period__action_plan=report.period.action_plan, status=CommitteeReport.Status.ISSUED
        )
        .exclude(pk=report.pk)
        .exclude(period__quarter__gte=report.period.quarter)
        .order_by("-issued_at")
        .first()
    )


def _exceptions(*, period, instances, updates, actions, outcome_of_priority, notes, today):
    """What a review looks at first: red actions, actions past their target date, and updates
    late or missing. Reads the records' states at the report's moment."""
    position = {pk: i for i, pk in enumerate(instances)}
    action_rows = []
    for action in _ordered(actions.values(), "order", "id"):
        record = getattr(action, "instance", action)  # a history state, or the record itself
        outcome_id = outcome_of_priority.get(action.priority_indicator_id)
        overdue = bool(
            action.target_date and action.target_date < today and action.status not in DONE
        )
        if action.rag == Rag.RED or overdue:
            action_rows.append(
                {
                    "outcome": instances[outcome_id].reference if outcome_id in instances else "",
                    "position": position.get(outcome_id, len(position)),
                    "action": str(record),
                    "status": action.get_status_display(),
                    "rag": action.get_rag_display() if action.rag else "Not rated",
                    "owner_note": notes.get(action.id, ""),
                    "target": record.target_display,
                    "overdue": overdue,
                }
            )
    action_rows.sort(key=lambda row: row.pop("position"))
    update_of = {u.outcome_id: u for u in updates.values()}
    late = []
    for outcome in instances.values():
        update = update_of.get(outcome.id)
        if outcome.is_heading or not update_is_late(update, period, today):
            continue
        late.append(
            {
                "outcome": outcome.reference,
                "statement": outcome.statement,
                "state": update.get_status_display() if update else "Not started",
                "due": period.updates_due_on.isoformat(),
            }
        )
    return action_rows, late


def quarter_exceptions(*, period, as_at=None):
    """The red and overdue actions and the late or missing updates of a quarter, as they stood
    at `as_at`, or as they are now (read from the live tables): what a committee report and
    the review dashboard show first."""
    records = plan_records(period.action_plan, as_at, owners=False)
    updates = _records(OutcomeUpdate, as_at, period_id=period.pk)
    entries = _records(ActionUpdate, as_at, outcome_update_id__in=list(updates))
    action_rows, late = _exceptions(
        period=period,
        instances=_in_plan_order(records.outcomes),
        updates=updates,
        actions=records.actions,
        outcome_of_priority=records.outcome_of_priority,
        notes={e.action_id: e.progress_note for e in entries.values()},
        today=timezone.localdate(as_at),
    )
    return {"actions": action_rows, "updates": late}


def _in_plan_order(instances):
    """Outcome instances by id, in the plan's order."""
    return {o.id: o for o in sorted(instances.values(), key=lambda o: (o.order, o.number, o.id))}


def report_content(*, report, as_at=None, charts=True):
    """The information and advice of a committee report, from the records as they were at
    `as_at` (by default the moment the report describes; where that is now, read from the
    tables). `charts` False leaves out the charts (which Word draws as pictures of its own)."""
    period = report.period
    plan = period.action_plan
    now = timezone.now()
    moment = as_at or report_moment(report, now=now)
    at = None if moment == now else moment  # None: the records now, from the tables
    records = plan_records(plan, at)
    instances, owners = _in_plan_order(records.outcomes), records.owners
    priorities, indicators, actions = records.priorities, records.indicators, records.actions
    updates = _records(OutcomeUpdate, at, period_id=period.pk)
    accepted = {
        u.outcome_id: u for u in updates.values() if u.status == OutcomeUpdate.Status.ACCEPTED
    }
    entries = _records(ActionUpdate, at, outcome_update_id__in=list(updates))
    outcome_of_priority = records.outcome_of_priority
    reference_of = {pk: o.reference for pk, o in instances.items()}
    today = timezone.localdate(moment)
    action_exceptions, late_updates = _exceptions(
        period=period,
        instances=instances,
        updates=updates,
        actions=actions,
        outcome_of_priority=outcome_of_priority,
        notes={e.action_id: e.progress_note for e in entries.values()},
        today=today,
    )

    counts = defaultdict(Counter)
    for action in actions.values():
        counts[outcome_of_priority.get(action.priority_indicator_id)][
            action.get_status_display()
        ] += 1
    update_of = {u.outcome_id: u for u in updates.values()}
    outcome_rows = []
    for outcome in instances.values():
        update = update_of.get(outcome.id)
        accepted_update = accepted.get(outcome.id)
        outcome_rows.append(
            {
                "number": outcome.reference,
                "name": outcome.short_name,
                "statement": outcome.statement,
                "owners": owners[outcome.id],
                "overall_rag": accepted_update.get_overall_rag_display()
                if accepted_update and accepted_update.overall_rag
                else "",
                "summary": accepted_update.summary if accepted_update else "",
                "update_state": update.get_status_display() if update else "Not started",
                "counts": {label: counts[outcome.id][label] for _, label in Action.Status.choices},
            }
        )

    # The source is named here, with the Children in Care Council under the council's name.
    sources = dict(OutcomeUpdate.source_choices())
    views = [
        {
            "outcome": reference_of.get(u.outcome_id),
            "text": u.cyp_views,
            "source": sources.get(u.cyp_views_source, u.cyp_views_source),
        }
        for u in accepted.values()
        if u.cyp_views.strip()
    ]
    voices = _records(Voice, at, period_id=period.pk)
    responses = _records(VoiceResponse, at, voice_id__in=list(voices))
    you_said_we_did = document_rows(
        voices.values(), {response.voice_id: response for response in responses.values()}
    )

    last = _last_issued_before(report)
    issued_on = timezone.localdate(last.issued_at) if last else None
    since = issued_on if issued_on and issued_on < today else period.starts_on
    # Up to the quarter's review meeting; a report on the records now runs to now, so that a
    # plan entered after the meeting is not said to be unchanged.
    if report.describes == CommitteeReport.Describes.NOW:
        until = max(since, today)
    else:
        until = max(since, min(today, period.meeting_on))
    changes = plan_changes_between(action_plan=plan, since=since, until=until)
    return {
        "period": {
            "label": str(period),
            "plan": f"Action plan {plan.year_label}",
            "strategy": str(plan.strategy),
        },
        "as_at": moment.isoformat(),
        "no_accepted_updates": not accepted,
        "exceptions": action_exceptions,
        "late_updates": late_updates,
        "outcomes": outcome_rows,
        "indicators": _indicator_rows(priorities, indicators, reference_of, at, charts=charts),
        "views": views,
        "you_said_we_did": you_said_we_did,
        "changes": changes_by_outcome(changes),
    }


def _no_figure(figures):
    """What the table says where there is no figure to show."""
    if figures and figures[-1].suppressed:
        return f"Withheld: small numbers ({figures[-1].period_label})"
    return "No figure yet"


# What a committee's chart draws: about two years of a quarterly or termly figure, six of a
# yearly one, a year of a monthly one. The table beside it keeps every period.
COMMITTEE_PERIODS = {
    Indicator.Frequency.MONTHLY: (12, "months"),
    Indicator.Frequency.QUARTERLY: (8, "quarters"),
    Indicator.Frequency.TERMLY: (6, "terms"),
    Indicator.Frequency.ANNUAL: (6, "years"),
}


def _indicator_rows(priorities, indicators, number_of, moment, *, charts):
    profile = council_profile()
    neighbours = set(profile.neighbour_codes) if profile else set()
    indicator_ids = [p.indicator_id for p in priorities.values()]
    figures = defaultdict(list)
    for row in _records(IndicatorFigure, moment, indicator_id__in=indicator_ids).values():
        figures[row.indicator_id].append(row)
    benchmarks = defaultdict(list)
    for row in _records(BenchmarkFigure, moment, indicator_id__in=indicator_ids).values():
        benchmarks[row.indicator_id].append(row)
    rows = []
    for priority in _ordered(priorities.values(), "order", "id"):
        indicator = indicators.get(priority.indicator_id)
        if indicator is None:
            continue
        own = sorted(figures[indicator.id], key=lambda f: f.period_end)
        known = [f for f in own if f.value is not None]
        latest, previous = (known[-1] if known else None), (known[-2] if len(known) > 1 else None)
        periods = sorted(
            {f.period_end for f in own} | {b.period_end for b in benchmarks[indicator.id]}
        )
        england = {b.period_end: b.value for b in benchmarks[indicator.id] if b.level == "national"}
        region = {
            b.period_end: b.value
            for b in benchmarks[indicator.id]
            if profile and b.level == "regional" and b.area_code == profile.region_code
        }
        neighbour_average = {}
        for period_end in periods:
            values = [
                b.value
                for b in benchmarks[indicator.id]
                if b.period_end == period_end and b.area_code in neighbours and b.value is not None
            ]
            if values:
                neighbour_average[period_end] = round(mean(values), 1)
        at = latest.period_end if latest else None
        rag = rag_for(
            value=latest.value if latest else None,
            target=priority.target_value,
            better=indicator.better,
            tolerance=priority.amber_tolerance,
        )
        chart, chart_svg = None, None
        if periods:
            labels = {f.period_end: f.period_label for f in own} | {
                b.period_end: b.period_label for b in benchmarks[indicator.id]
            }
            series = [
                Series(
                    profile.name if profile else "This council",
                    [next((f.value for f in own if f.period_end == p), None) for p in periods],
                    "council",
                ),
                Series("England", [england.get(p) for p in periods], "england"),
            ]
            if profile:
                series += [
                    Series(profile.region_name, [region.get(p) for p in periods], "region"),
                    Series(
                        "Statistical neighbours (average)",
                        [neighbour_average.get(p) for p in periods],
                        "neighbours",
                    ),
                ]
            # Kept as plain data, so that every format draws and tables the same series.
            shown, period_word = COMMITTEE_PERIODS.get(indicator.frequency, (None, "periods"))
            chart = plain_chart(
                title=indicator.title,
                periods=[labels[p] for p in periods],
                series=series,
                target=priority.target_value,
                unit=indicator.unit,
                latest=shown,
                period_word=period_word,
            )
            withheld = {f.period_end for f in own if f.suppressed}
            for row, period_end in zip(chart["rows"], periods, strict=True):
                if period_end in withheld:
                    row[1] = "Withheld: small numbers"
            if charts:
                chart_svg = cached_line_chart_svg(
                    **chart_arguments(chart), description=chart["trend"]
                )
        rows.append(
            {
                "outcome": number_of.get(indicator.outcome_id),
                "title": indicator.title,
                "latest": figure_text(latest.value, indicator.unit) if latest else _no_figure(own),
                "period": latest.period_label if latest else "",
                "target": target_words(
                    target=priority.target,
                    target_value=priority.target_value,
                    amber_tolerance=priority.amber_tolerance,
                    unit=indicator.unit,
                ),
                "england": figure_text(england.get(at), indicator.unit),
                "neighbours": figure_text(neighbour_average.get(at), indicator.unit),
                "rag": rag.capitalize(),
                "direction": direction_of_travel(
                    latest=latest.value if latest else None,
                    previous=previous.value if previous else None,
                    better=indicator.better,
                ),
                "illustrative": bool(latest and latest.is_illustrative),
                "chart": chart,
                "chart_svg": chart_svg,
            }
        )
    return rows


def _end_of(day):
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=timezone.get_current_timezone())


def report_moment(report, *, now=None):
    """The moment a report draws from the records: now (the default), or the end of its meeting
    date or of another date, never later than now."""
    now = now or timezone.now()
    day = {
        CommitteeReport.Describes.MEETING: report.meeting_on,
        CommitteeReport.Describes.DATE: report.describes_on,
    }.get(report.describes)
    return min(now, _end_of(day)) if day else now


def moment_words(report, moment):
    """The moment, as the report states it on screen and in every document."""
    local = timezone.localtime(moment)
    if local == _end_of(local.date()):
        when = f"the end of {_day(local.date())}"
        if report.describes == CommitteeReport.Describes.MEETING:
            when += ", the meeting date"
    else:
        when = f"{local:%-H:%M} on {_day(local.date())}"
    return f"The records as they stood at {when}"


def entered_after(*, period, moment, limit=40):
    """Records describing the quarter that were entered or changed after `moment`, which a
    report as at that moment leaves out: each record once, with its latest change, oldest first.
    Seven queries for the histories and two for names, whatever their number."""
    plan = period.action_plan
    priorities = PriorityIndicator.objects.filter(action_plan_id=plan.pk).select_related(
        "indicator"
    )
    indicator_title = {p.indicator_id: p.indicator.title for p in priorities}
    title_of_priority = {p.pk: p.indicator.title for p in priorities}
    action_name = {
        a.pk: str(a) for a in Action.objects.filter(priority_indicator__action_plan_id=plan.pk)
    }
    outcome_name = {o.pk: o.short_name for o in _outcome_records(plan.strategy_id)}
    words = council().terms
    histories = [
        (
            OutcomeUpdate.history.filter(period_id=period.pk),
            lambda row: f"{outcome_name.get(row.outcome_id, words.outcome)}: update",
        ),
        (
            ActionUpdate.history.filter(outcome_update__period_id=period.pk),
            lambda row: (
                "Progress note in an update: "
                + action_name.get(row.action_id, "an action since deleted")
            ),
        ),
        (
            IndicatorUpdate.history.filter(outcome_update__period_id=period.pk),
            lambda row: (
                "Figure in an update: " + title_of_priority.get(row.priority_indicator_id, "")
            ),
        ),
        (
            Action.history.filter(priority_indicator__action_plan_id=plan.pk),
            lambda row: f"Action in the plan: {row.instance}",
        ),
        (
            PriorityIndicator.history.filter(action_plan_id=plan.pk),
            lambda row: f"{capfirst(words.priority)}: {indicator_title.get(row.indicator_id, '')}",
        ),
        (
            IndicatorFigure.history.filter(
                indicator_id__in=list(indicator_title), period_end__lte=period.ends_on
            ),
            lambda row: f"Figure: {indicator_title.get(row.indicator_id, '')}, {row.period_label}",
        ),
        (
            Voice.history.filter(period_id=period.pk),
            lambda row: f"What children and young people said on {_day(row.heard_on)}",
        ),
    ]
    later = []
    for rows, name in histories:
        latest, changes = {}, Counter()
        for row in rows.filter(history_date__gt=moment).select_related("history_user"):
            changes[row.id] += 1
            if row.id not in latest or row.history_date > latest[row.id].history_date:
                latest[row.id] = row
        for pk, row in latest.items():
            user = row.history_user
            later.append(
                {
                    "record": name(row),
                    "change": "Deleted" if row.history_type == "-" else "Entered or changed",
                    "changes": changes[pk],
                    "when": row.history_date.isoformat(),
                    "by": (user.get_full_name() or user.username) if user else "",
                }
            )
    later.sort(key=lambda row: row["when"])
    return {"count": len(later), "rows": later[:limit]}


def _outcome_records(strategy_id):
    return Outcome.objects.filter(strategy_id=strategy_id).select_related("strategy", "group")


def with_terms(data):
    """A report issued before councils set their own words was written in the default ones."""
    return data if "terms" in data else {**data, "terms": Council().terms.as_dict()}


def _references(strategy_id):
    """Each outcome's number as the strategy writes it (7, or 2.3), read in one query."""
    return {o.pk: o.reference for o in _outcome_records(strategy_id)}


def annual_content(*, action_plan):
    """The plan year's summary, as the annual summary page gives it."""
    summary = annual_summary(action_plan=action_plan)
    reference = _references(action_plan.strategy_id)

    def named(action, **more):
        outcome_id = action.priority_indicator.indicator.outcome_id
        return {"name": str(action), "outcome": reference.get(outcome_id, ""), **more}

    return {
        "year": action_plan.year_label,
        "completed": [named(a) for a in summary["completed"]],
        "carried": [
            named(a, to=a.carried_to.priority_indicator.action_plan.year_label)
            for a in summary["carried"]
        ],
        "left_behind": [named(a, status=a.get_status_display()) for a in summary["left_behind"]],
        "withdrawn": [named(a) for a in summary["withdrawn"]],
        "next_plans": [plan.year_label for plan in summary["next_plans"]],
        "indicators": [
            {
                "title": row.indicator.title,
                "first": figure_text(row.first_in_year.value, row.indicator.unit)
                if row.first_in_year
                else "",
                "first_period": row.first_in_year.period_label if row.first_in_year else "",
                "latest": figure_text(row.latest.value, row.indicator.unit) if row.latest else "",
                "latest_period": row.latest.period_label if row.latest else "",
                "rag": row.rag.capitalize(),
                "direction": row.direction,
            }
            for row in summary["indicators"]
            if row.priority
        ],
        "frameworks": coverage_for_documents(
            strategy_id=action_plan.strategy_id, action_plan=action_plan
        ),
        "you_said_we_did": year_rows(
            strategy_id=action_plan.strategy_id,
            heard_from=action_plan.starts_on,
            heard_to=action_plan.ends_on,
        ),
    }


def approval_content(*, strategy, action_plan=None):
    """The strategy's outcomes, under their groups, each with the priorities the plan chose,
    where each came from and why. Three queries whatever the size of the strategy."""
    outcomes = Outcome.objects.filter(strategy=strategy).select_related("strategy", "group")
    priorities = defaultdict(list)
    if action_plan is not None:
        for priority in PriorityIndicator.objects.filter(action_plan=action_plan).select_related(
            "indicator"
        ):
            priorities[priority.indicator.outcome_id].append(priority)
    groups = {}
    # Grouped outcomes in their groups' order; any outside a group (a plan heading) after them.
    in_order = outcomes.order_by(F("group__number").asc(nulls_last=True), "order", "number")
    for outcome in in_order:
        heading = str(outcome.group) if outcome.group_id else ""
        groups.setdefault(heading, []).append(
            {
                "reference": "" if outcome.is_heading else outcome.reference,
                "statement": outcome.statement,
                "kind": outcome.kind_label,
                "priorities": [
                    {
                        "title": p.indicator.title,
                        "origin": _origin(p),
                        "rationale": p.rationale,
                    }
                    for p in priorities[outcome.pk]
                ],
            }
        )
    return {
        "plan": f"Action plan {action_plan.year_label}" if action_plan else "",
        "groups": [{"heading": h, "outcomes": rows} for h, rows in groups.items()],
    }


def _subject(report):
    """What the report is on, for its first lines: the strategy, the plan and the quarter."""
    plan = report.plan
    return {
        "label": str(report.period) if report.period_id else "",
        "plan": f"Action plan {plan.year_label}" if plan else "",
        "strategy": str(report.about),
    }


def unwritten_sections_message(report):
    """What stops a draft being issued: an optional section it prints that has no text.
    Whether a report has, say, no financial implications is the officer's statement to make,
    so the product does not write "None" for them."""
    unwritten = [
        section.label.lower()
        for section in report.sections(council())
        if not getattr(report, section.value).strip()
    ]
    if not unwritten:
        return ""
    which = "that section" if len(unwritten) == 1 else "those sections"
    return (
        f"Write the {' and the '.join(unwritten)}, or leave {which} out of this report, "
        "before issuing it"
    )


def report_data(*, report, as_at=None, charts=True):
    """Everything a committee report prints: the officer's narrative and what its type draws
    from the records (a quarter's progress, the plan year, or the strategy for approval)."""
    moment = as_at or report_moment(report)
    if report.is_quarterly:
        content = report_content(report=report, as_at=moment, charts=charts)
        if report.describes != CommitteeReport.Describes.NOW:
            content["entered_after"] = entered_after(period=report.period, moment=moment)
    else:
        # These read the records as they are now: issuing keeps them as they were then.
        content = {"period": _subject(report), "as_at": moment.isoformat()}
        if report.report_type == CommitteeReport.Type.ANNUAL:
            content["annual"] = annual_content(action_plan=report.action_plan)
        elif report.report_type == CommitteeReport.Type.STRATEGY_APPROVAL:
            content["approval"] = approval_content(
                strategy=report.strategy, action_plan=report.action_plan
            )
    return {
        "council": council().name,
        "terms": council().terms.as_dict(),
        "type": report.report_type,
        "header": {
            "body": report.body,
            "meeting_on": report.meeting_on.isoformat(),
            "agenda_item": report.agenda_item,
            "title": report.title,
            "sponsor": report.sponsor,
            "author": report.author,
            "contact_details": report.contact_details,
        },
        "status": report.status,
        "describes": moment_words(report, moment),
        "version": report.number,
        "issued_on": report.issued_at.date().isoformat() if report.issued_at else None,
        "purpose": report.purpose,
        "information": report.information,
        "other_options": report.other_options,
        "reasons": report.reasons,
        "statutory": report.statutory,
        "safeguarding": report.safeguarding,
        "service_users": report.service_users,
        "recommendations": report.recommendation_list,
        "sections": [
            {
                "key": section.value,
                "heading": section.label,
                "text": getattr(report, section.value),
                # Committee papers end with these, after the contact.
                "at_end": section in (ReportSection.BACKGROUND_PAPERS, ReportSection.WARDS),
            }
            for section in report.sections(council())
        ],
        **content,
    }


def parse_as_at(text):
    """A "?as_at=YYYY-MM-DD" value as the end of that day, or None."""
    try:
        day = datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=timezone.get_current_timezone())
