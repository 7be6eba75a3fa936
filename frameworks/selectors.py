"""Reads: the frameworks in use, and how a year's plan covers them."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from actionplans.models import Action, PriorityIndicator
from frameworks.models import Framework, FrameworkItem, FrameworkUpload
from frameworks.version_file import read_version_file
from outcomes.models import Commitment, Indicator, Outcome

# A record's tags with their frameworks, in one query (for its page).
TAGS_WITH_FRAMEWORKS = Prefetch(
    "framework_items", queryset=FrameworkItem.objects.select_related("framework")
)


def frameworks_in_use():
    """Each framework's version in use, with its items, in the frameworks' order."""
    items = defaultdict(list)
    for item in FrameworkItem.objects.filter(framework__is_current=True).select_related(
        "framework"
    ):
        items[item.framework_id].append(item)
    frameworks = {item.framework_id: item.framework for group in items.values() for item in group}
    for pk, framework in frameworks.items():
        framework.items_in_order = items[pk]
    return sorted(frameworks.values(), key=lambda f: (f.order, f.code))


def framework_items_named(names):
    """The items in use named "framework code/item code" (as the measures library names them);
    a name no framework in use has is left out."""
    wanted = [name.split("/", 1) for name in names]
    if not wanted:
        return []
    found = {
        (item.framework.code, item.code): item
        for item in FrameworkItem.objects.filter(framework__is_current=True).select_related(
            "framework"
        )
    }
    return [found[tuple(pair)] for pair in wanted if tuple(pair) in found]


def framework_detail(*, pk):
    return Framework.objects.prefetch_related("items").get(pk=pk)


def framework_versions():
    """Every version of every framework, those in use first."""
    return Framework.objects.order_by("order", "code", "-is_current", "-published_on")


@dataclass
class Coverage:
    """One framework item (or one of the strategy's commitments) and what serves it."""

    item: object
    is_commitment: bool = False  # a commitment is delivered by actions, never measured
    outcomes: list = field(default_factory=list)
    indicators: list = field(default_factory=list)  # each with .is_priority this year
    actions: list = field(default_factory=list)  # this plan's

    @property
    def state(self):
        """(words, tag colour): colour is never the only signal."""
        if self.actions:
            return "Has actions", "green"
        if self.is_commitment:
            return "No action this year", "red"
        if self.indicators:
            return "No action this year", "yellow"
        return "No action or indicator", "red"

    @property
    def is_gap(self):
        return not self.actions


@dataclass
class FrameworkCoverage:
    framework: Framework
    rows: list  # Coverage

    @property
    def gaps(self):
        return [row for row in self.rows if row.is_gap]


def framework_coverage(*, strategy_id, action_plan=None):
    """Each framework in use, item by item, with the strategy's outcomes and indicators and
    (for a plan's year) the plan's actions tagged with it; then the strategy's commitments (its
    pledge) with the plan's actions that deliver them. A fixed number of queries."""
    outcomes = {
        o.pk: o
        for o in Outcome.objects.filter(strategy_id=strategy_id).select_related("group", "strategy")
    }
    indicators = {i.pk: i for i in Indicator.objects.filter(outcome__strategy_id=strategy_id)}
    priorities = set(
        PriorityIndicator.objects.filter(action_plan=action_plan).values_list(
            "indicator_id", flat=True
        )
        if action_plan
        else ()
    )
    for pk, indicator in indicators.items():
        indicator.outcome = outcomes[indicator.outcome_id]
        indicator.is_priority = pk in priorities
    tags = {
        "outcomes": Outcome.framework_items.through.objects.filter(outcome_id__in=outcomes),
        "indicators": Indicator.framework_items.through.objects.filter(indicator_id__in=indicators),
        "actions": Action.framework_items.through.objects.filter(
            action__priority_indicator__action_plan=action_plan
        ).exclude(action__status=Action.Status.WITHDRAWN)
        if action_plan
        else Action.framework_items.through.objects.none(),
    }
    linked = {
        name: list(through.values_list("frameworkitem_id", f"{name[:-1]}_id"))
        for name, through in tags.items()
    }
    delivered = (
        list(
            Action.commitments.through.objects.filter(
                action__priority_indicator__action_plan=action_plan
            )
            .exclude(action__status=Action.Status.WITHDRAWN)
            .values_list("commitment_id", "action_id")
        )
        if action_plan
        else []
    )
    action_ids = {pk for _, pk in linked["actions"]} | {pk for _, pk in delivered}
    actions = {
        a.pk: a
        for a in Action.objects.filter(pk__in=action_ids).select_related(
            "priority_indicator__indicator"
        )
    }
    records = {"outcomes": outcomes, "indicators": indicators, "actions": actions}

    frameworks = frameworks_in_use()
    rows = {item.pk: Coverage(item) for f in frameworks for item in f.items_in_order}
    for name, pairs in linked.items():
        for item_id, record_id in pairs:
            if item_id in rows:  # tags on an earlier version are kept, but not shown here
                getattr(rows[item_id], name).append(records[name][record_id])
    commitments = [
        Coverage(commitment, is_commitment=True)
        for commitment in Commitment.objects.filter(outcome__strategy_id=strategy_id).order_by(
            "outcome__order", "outcome__number", "order", "pk"
        )
    ]
    by_commitment = {row.item.pk: row for row in commitments}
    for row in commitments:
        row.item.outcome = outcomes[row.item.outcome_id]
        row.outcomes = [row.item.outcome]
    for commitment_id, action_id in delivered:
        by_commitment[commitment_id].actions.append(actions[action_id])

    def place(outcome_id):  # the strategy's order
        outcome = outcomes[outcome_id]
        return outcome.order, outcome.number

    for row in [*rows.values(), *commitments]:
        row.actions.sort(
            key=lambda a: (place(a.priority_indicator.indicator.outcome_id), a.order, a.pk)
        )
        row.indicators.sort(key=lambda i: (not i.is_priority, place(i.outcome_id), i.order, i.pk))
    return (
        [FrameworkCoverage(f, [rows[item.pk] for item in f.items_in_order]) for f in frameworks],
        commitments,
    )


def coverage_for_documents(*, strategy_id, action_plan=None):
    """framework_coverage as plain data, which a report keeps when it is issued: for each
    framework, each part with the outcomes (by reference) and the number of indicators and
    actions that serve it, and its coverage in words. Nothing until the strategy has a tag:
    untagged, every part would read as a gap."""
    frameworks, _ = framework_coverage(strategy_id=strategy_id, action_plan=action_plan)
    rows = [row for coverage in frameworks for row in coverage.rows]
    if not any(row.outcomes or row.indicators or row.actions for row in rows):
        return []
    return [
        {
            "name": coverage.framework.name,
            "edition": coverage.framework.edition,
            "rows": [
                {
                    "part": str(row.item),
                    "outcomes": [outcome.reference for outcome in row.outcomes],
                    "indicators": len(row.indicators),
                    "actions": len(row.actions),
                    "coverage": row.state[0],
                }
                for row in coverage.rows
            ],
        }
        for coverage in frameworks
    ]


TAGGED_KINDS = ("outcomes", "indicators", "actions", "voices")  # what a framework item can tag


@dataclass
class PlannedItem:
    """An item of an uploaded version, beside the item of the version in use with its code."""

    fields: dict
    earlier: FrameworkItem | None = None
    tagged: int = 0  # records tagged with the earlier item, to be tagged with this one too

    @property
    def name(self):
        return str(FrameworkItem(**self.fields))

    @property
    def reworded(self):
        """Kept, with other words: its title, label or part."""
        return self.earlier is not None and any(
            getattr(self.earlier, key) != self.fields[key] for key in ("title", "label", "part")
        )


@dataclass
class VersionPreview:
    """What adding an uploaded version would do: nothing is saved until it is confirmed."""

    in_use: Framework
    fields: dict
    items: list[PlannedItem]
    dropped: list  # items of the version in use that the file leaves out, with .tagged counts
    errors: list[str]

    @property
    def fingerprint(self):
        """The version in use the preview compares with: another version added in between
        makes the confirmation out of date."""
        return str(self.in_use.pk)

    @property
    def carried_count(self):
        return sum(item.tagged for item in self.items)


def _tag_counts(framework):
    counts = defaultdict(int)
    for related in TAGGED_KINDS:
        through = FrameworkItem._meta.get_field(related).through
        for row in (
            through.objects.filter(frameworkitem__framework=framework)
            .values("frameworkitem_id")
            .annotate(count=Count("pk"))
        ):
            counts[row["frameworkitem_id"]] += row["count"]
    return counts


def version_preview(*, upload):
    """The later version `upload` describes, compared with the framework's version in use."""
    in_use = Framework.objects.get(code=upload.framework.code, is_current=True)
    fields, items, errors = read_version_file(upload.content, framework=in_use)
    earlier = {item.code: item for item in in_use.items.all()}
    counts = _tag_counts(in_use)
    planned = [
        PlannedItem(
            fields=item,
            earlier=earlier.get(item["code"]),
            tagged=counts[earlier[item["code"]].pk] if item["code"] in earlier else 0,
        )
        for item in items
    ]
    kept = {item["code"] for item in items}
    dropped = [item for code, item in earlier.items() if code not in kept]
    for item in dropped:
        item.tagged = counts[item.pk]
    return VersionPreview(in_use, fields, planned, dropped, errors)


def uploads_waiting(*, framework):
    return FrameworkUpload.objects.filter(framework__code=framework.code).select_related(
        "uploaded_by"
    )
