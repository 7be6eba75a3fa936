"""The demo councils: each one's strategy, yearly plan and illustrative quarterly story.

Everything that belongs to a council is in its data file in demo_data/ (its name and words,
its people, strategy, plan, the illustrative figures and the story of the year so far); this
module only loads a file through the services, with history. Nottinghamshire's is transcribed
from its published documents; the others are invented and say so. Loading is safe to repeat:
what already exists is left as it is, so nobody's edits are overwritten.
"""

import datetime
import json
import random
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan, PriorityIndicator
from figures import services as figure_services
from figures.models import BenchmarkFigure
from frameworks.models import FrameworkItem
from frameworks.services import framework_tags_save, install_shipped_frameworks
from lacstrategy import roles
from lacstrategy.models import Council
from lacstrategy.selectors import terms
from lacstrategy.services import (
    council_save,
    save_record,
    system_account,
    user_create,
    user_update,
)
from outcomes import services as outcome_services
from outcomes.models import Commitment, Indicator, Outcome, OutcomeGroup, Strategy, StrategySection
from public.models import PUBLISHABLE
from public.services import texts_approve
from reports import services as report_services
from reports.models import CommitteeReport
from reviews import selectors as review_selectors
from reviews import services as review_services
from voices import services as voice_services
from voices.models import Voice, VoiceResponse

DATA_DIR = Path(__file__).parent / "demo_data"
DEFAULT_COUNCIL = "nottinghamshire"
DATA_FILE = DATA_DIR / f"{DEFAULT_COUNCIL}.json"
LONDON = zoneinfo.ZoneInfo("Europe/London")
EDIT_NOTE = " (illustrative demo edit)"
DEMO_PASSWORD = "corporate-parent-demo"


class DemoRefused(Exception):
    """The database already holds another council: one council per installation."""


def councils():
    """The demo councils that can be loaded, by the name `load_demo --council` takes."""
    return sorted(path.stem for path in DATA_DIR.glob("*.json"))


def read_demo(council=DEFAULT_COUNCIL):
    if council not in councils():
        raise DemoRefused(
            f"There is no demo council called {council!r}. Choose one of: {', '.join(councils())}."
        )
    return json.loads((DATA_DIR / f"{council}.json").read_text(encoding="utf-8"))


def _at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _refuse_another_council(data):
    """The one Council of an installation is another council's, with its own strategy."""
    council = Council.objects.filter(pk=1).first()
    if council is None or council.name == data["council"]["name"]:
        return
    if Strategy.objects.filter(title=data["strategy"]["title"]).exists():
        return  # this demo, with the council renamed since
    raise DemoRefused(
        f"This database already holds {council.name}, and an installation serves one council. "
        f"Load the {data['council']['name']} demo into an empty database instead "
        "(for example, a new DATABASE_URL)."
    )


class _Loader:
    def __init__(self, data):
        self.data = data
        self.actor = system_account()
        self.reason = data["loaded_reason"]
        self.strategy_agreed = _at(data["strategy_agreed"])
        self.plan_agreed = _at(data["plan_agreed"])
        self.people = {}

    def user(self, *, username, role_names, **fields):
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            missing = set(role_names) - roles.user_roles(user)
            if missing:
                user_update(
                    user=user,
                    actor=self.actor,
                    reason=self.reason,
                    role_names=sorted(roles.user_roles(user) | missing),
                )
        else:
            fields.setdefault("email", f"{username}@example.org")
            user = user_create(
                actor=self.actor,
                reason=self.reason,
                recorded_at=self.strategy_agreed,
                password=DEMO_PASSWORD,
                role_names=role_names,
                username=username,
                **fields,
            )
        return user

    def accounts(self):
        """One sign-in for each role, then the outcome owners: (username, name, roles) rows."""
        rows = []
        words = terms()  # the roles as the council names them

        def labels(names):
            return ", ".join(roles.role_label(name, words) for name in names)

        for account in self.data["accounts"]:
            fields = {k: v for k, v in account.items() if k != "roles"}
            self.people[account["username"]] = self.user(role_names=account["roles"], **fields)
            rows.append((account["username"], account["full_name"], labels(account["roles"])))
        for person in self.data["people"]:
            self.people[person["username"]] = self.user(role_names=[roles.OUTCOME_OWNER], **person)
            rows.append((person["username"], person["full_name"], labels([roles.OUTCOME_OWNER])))
        return rows

    def strategy(self):
        fields = {k: v for k, v in self.data["strategy"].items() if k != "sections"}
        strategy = Strategy.objects.filter(title=fields["title"]).first()
        if strategy is None:
            for name in ("period_start", "period_end", "approved_on", "version_date"):
                if name in fields:
                    fields[name] = _date(fields[name])
            fields["principles"] = "\n".join(fields["principles"])
            strategy = outcome_services.strategy_create(
                actor=self.actor, reason=self.reason, recorded_at=self.strategy_agreed, **fields
            )
        for order, section in enumerate(self.data["strategy"].get("sections", []), start=1):
            if not StrategySection.objects.filter(
                strategy=strategy, heading=section["heading"]
            ).exists():
                outcome_services.section_create(
                    strategy=strategy,
                    actor=self.actor,
                    reason=self.reason,
                    recorded_at=self.strategy_agreed,
                    heading=section["heading"],
                    body="\n\n".join(section["paragraphs"]),
                    order=order,
                )
        return strategy

    def groups(self, strategy):
        groups = {}
        for group_data in self.data.get("groups", []):
            group = OutcomeGroup.objects.filter(
                strategy=strategy, number=group_data["number"]
            ).first()
            groups[group_data["number"]] = group or outcome_services.group_create(
                strategy=strategy,
                actor=self.actor,
                reason=self.reason,
                recorded_at=self.strategy_agreed,
                **group_data,
            )
        return groups

    def outcomes(self, strategy, groups):
        """The outcomes with their commitments and indicators: ({key: indicator},
        {key: commitment})."""
        indicators, commitments = {}, {}
        for outcome_data in self.data["outcomes"]:
            outcome = Outcome.objects.filter(
                strategy=strategy, number=outcome_data["number"]
            ).first()
            if outcome is None:
                outcome = outcome_services.outcome_create(
                    strategy=strategy,
                    actor=self.actor,
                    reason=self.reason,
                    owners=[self.people[username] for username in outcome_data["owners"]],
                    number=outcome_data["number"],
                    group=groups.get(outcome_data.get("group")),
                    statement=outcome_data["statement"],
                    kind=outcome_data["kind"],
                    commitment=outcome_data["commitment"],
                    order=outcome_data.get("order", outcome_data["number"]),
                    recorded_at=self.strategy_agreed,
                )
            for order, commitment_data in enumerate(outcome_data.get("commitments", []), start=1):
                commitment = Commitment.objects.filter(
                    outcome=outcome, text=commitment_data["text"]
                ).first()
                commitments[commitment_data["key"]] = commitment or (
                    outcome_services.commitment_create(
                        outcome=outcome,
                        actor=self.actor,
                        reason=self.reason,
                        recorded_at=self.strategy_agreed,
                        text=commitment_data["text"],
                        order=order,
                    )
                )
            for order, indicator_data in enumerate(outcome_data["indicators"], start=1):
                fields = {k: v for k, v in indicator_data.items() if k != "key"}
                indicator = Indicator.objects.filter(outcome=outcome, title=fields["title"]).first()
                if indicator is None:
                    indicator = outcome_services.indicator_create(
                        outcome=outcome,
                        actor=self.actor,
                        reason=self.reason,
                        order=order,
                        recorded_at=self.strategy_agreed,
                        **fields,
                    )
                indicators[indicator_data["key"]] = indicator
        return indicators, commitments

    def plan(self, strategy, indicators, commitments):
        """The yearly plan: its priorities first, then their actions (an action can serve
        priorities listed after its own). Returns (plan, is it new)."""
        plan_data = self.data["action_plan"]
        plan = ActionPlan.objects.filter(
            strategy=strategy, financial_year_start=plan_data["financial_year_start"]
        ).first()
        new_plan = plan is None
        if new_plan:
            plan = plan_services.action_plan_create(
                strategy=strategy,
                actor=self.actor,
                reason=self.reason,
                financial_year_start=plan_data["financial_year_start"],
                status=plan_data["status"],
                recorded_at=self.plan_agreed,
            )
        priorities = {}
        for order, priority_data in enumerate(plan_data["priority_indicators"], start=1):
            indicator = indicators[priority_data["indicator"]]
            priority = PriorityIndicator.objects.filter(
                action_plan=plan, indicator=indicator
            ).first()
            if priority is None:
                skip = ("indicator", "actions")
                fields = {k: v for k, v in priority_data.items() if k not in skip}
                priority = plan_services.priority_indicator_create(
                    action_plan=plan,
                    actor=self.actor,
                    reason=self.reason,
                    indicator=indicator,
                    order=order,
                    recorded_at=self.plan_agreed,
                    **fields,
                )
            priorities[priority_data["indicator"]] = priority
        for priority_data in plan_data["priority_indicators"]:
            priority = priorities[priority_data["indicator"]]
            for action_data in priority_data["actions"]:
                if Action.objects.filter(
                    priority_indicator=priority, description=action_data["description"]
                ).exists():
                    continue
                fields = dict(action_data)
                fields["target_date"] = _date(fields["target_date"])
                fields["lead_users"] = [self.people[name] for name in fields["lead_users"]]
                if "also_serves" in fields:
                    fields["also_serves"] = [priorities[key] for key in fields["also_serves"]]
                if "commitments" in fields:
                    fields["commitments"] = [commitments[key] for key in fields["commitments"]]
                plan_services.action_create(
                    priority_indicator=priority,
                    actor=self.actor,
                    reason=self.reason,
                    recorded_at=self.plan_agreed,
                    **fields,
                )
        return plan, new_plan


@transaction.atomic
def load_demo(council=DEFAULT_COUNCIL):
    """Load a demo council; returns the sign-ins as (username, name, roles) rows."""
    data = read_demo(council)
    _refuse_another_council(data)
    loader = _Loader(data)
    if not Council.objects.exists():
        council_save(actor=loader.actor, reason=loader.reason, is_demo=True, **data["council"])
    accounts = loader.accounts()
    strategy = loader.strategy()
    groups = loader.groups(strategy)
    indicators, commitments = loader.outcomes(strategy, groups)
    plan, new_plan = loader.plan(strategy, indicators, commitments)
    if new_plan:
        # Tagged when the plan was agreed, before the year's story: not as a late change.
        _record_demo_framework_tags(
            plan, loader.actor, data.get("illustrative_framework_tags"), loader.plan_agreed
        )
        story = data["story"]
        _record_demo_edits(plan, loader.people, story)
        _record_demo_reviews(plan, loader.people, story["reviews"])
        _record_demo_views(plan, loader.people, story.get("views"))
        if data["council"].get("public_site"):
            _approve_demo_public_texts(plan, loader.actor)
        _record_demo_figures(plan, loader.actor, story["figures"], loader.plan_agreed)
        _record_demo_reports(plan, loader.people, story["reports"])
    return accounts


def _record_demo_framework_tags(plan, actor, tags, recorded_at):
    """The demo's illustrative tags: each outcome named, its indicators and the plan's actions
    on them, with the framework items given as "framework code/item code"."""
    if not tags:
        return
    install_shipped_frameworks(actor=actor)  # a flushed database has none
    items = {
        f"{item.framework.code}/{item.code}": item
        for item in FrameworkItem.objects.filter(framework__is_current=True).select_related(
            "framework"
        )
    }
    reason = "Illustrative framework tags made by the demo"
    for number, codes in tags["outcomes"].items():
        chosen = [items[code] for code in codes]
        outcome = Outcome.objects.get(strategy=plan.strategy, number=int(number))
        records = [
            outcome,
            *outcome.indicators.all(),
            *Action.objects.filter(
                priority_indicator__action_plan=plan, priority_indicator__indicator__outcome=outcome
            ),
        ]
        for record in records:
            framework_tags_save(
                record=record, actor=actor, items=chosen, reason=reason, recorded_at=recorded_at
            )


def _plan_action(plan, *, outcome, order):
    return Action.objects.get(
        priority_indicator__action_plan=plan,
        priority_indicator__indicator__outcome__number=outcome,
        order=order,
    )


def _record_demo_edits(plan, people, story):
    """A few plausible quarterly edits by the outcome owners, so that the history has a story.
    The statuses and RAG ratings are illustrative."""
    for edit in story["edits"]:
        plan_services.action_update(
            action=_plan_action(plan, outcome=edit["outcome"], order=edit["order"]),
            actor=people[edit["by"]],
            reason=edit["reason"] + EDIT_NOTE,
            recorded_at=_at(edit["at"]),
            **edit["fields"],
        )
    # An action added twice by mistake and deleted, so that "Deleted records" has an example.
    mistake = story["duplicate"]
    original = _plan_action(plan, outcome=mistake["outcome"], order=mistake["order"])
    duplicate = plan_services.action_create(
        priority_indicator=original.priority_indicator,
        actor=people[mistake["by"]],
        reason="Added" + EDIT_NOTE,
        description=original.description,
        undertaken_by=original.undertaken_by,
        target_text=original.target_text,
        order=99,
        recorded_at=_at(mistake["added_at"]),
    )
    plan_services.action_delete(
        action=duplicate,
        actor=people[mistake["by"]],
        reason="Added twice by mistake" + EDIT_NOTE,
        recorded_at=_at(mistake["deleted_at"]),
    )


def _record_demo_reviews(plan, people, story):
    """The year's quarterly cycle so far (illustrative): Q1 reviewed and closed; in Q2 each
    outcome's update as the story says (accepted, returned, submitted or not started), with
    statuses as the owners reported them."""
    periods = {period.quarter: period for period in plan.review_periods.all()}
    chair = people[story["chair"]]
    for outcome in plan.strategy.outcomes.prefetch_related("owners"):
        owner = outcome.owners.order_by("full_name").first()
        quarters = [(1, "accepted", story["q1_submitted"], story["q1_decided"])]
        state = story["q2"].get(str(outcome.number), "not started")
        if state != "not started":
            quarters.append((2, state, story["q2_submitted"], story["q2_decided"]))
        for quarter, state, submitted, decided in quarters:
            _demo_update(
                periods[quarter],
                outcome,
                owner,
                chair,
                story,
                state=state,
                submitted=_at(submitted),
                decided=_at(decided),
            )
    review_services.period_close(
        period=periods[1],
        actor=chair,
        reason=story["close_q1"]["reason"] + EDIT_NOTE,
        recorded_at=_at(story["close_q1"]["at"]),
    )


def _demo_update(period, outcome, owner, chair, story, *, state, submitted, decided):
    sheet = review_selectors.update_sheet(period=period, outcome=outcome)
    entries = {
        action: {
            "status": action.status if action.status != "not_started" else "on_track",
            "rag": action.rag or "green",
            "progress_note": story["progress_note"],
        }
        for action in sheet.actions
    }
    figures = {
        priority: {
            "value": None,
            "not_available": True,
            "not_available_reason": story["not_available_reason"],
            "comment": "",
        }
        if priority.indicator.unit != Indicator.Unit.QUALITATIVE
        # A priority with no figure is reported in words.
        else {"comment": story["statement_comment"]}
        for priority in sheet.priority_indicators
    }
    update = review_services.update_save(
        period=period,
        outcome=outcome,
        actor=owner,
        reason="Update saved as a draft" + EDIT_NOTE,
        recorded_at=submitted - datetime.timedelta(days=3),
        action_entries=entries,
        indicator_entries=figures,
        overall_rag="amber" if outcome.number in story["amber_outcomes"] else "green",
        summary=story["summary"].format(quarter=period.quarter, number=outcome.number),
        cyp_views=story["cyp_views"],
        cyp_views_source=story["cyp_views_source"],
    )
    submit_and_decide(
        update,
        sheet,
        owner=owner,
        chair=chair,
        state=state,
        submitted=submitted,
        decided=decided,
        return_comment=story["return_comment"],
    )


def submit_and_decide(update, sheet, *, owner, chair, state, submitted, decided, return_comment):
    """The owner submits the update; the chair accepts or returns it, as `state` says (or
    leaves it submitted). Also how scripts/generate_councils.py tells its quarters."""
    review_services.update_submit(
        update=update,
        actor=owner,
        actions=sheet.actions,
        priority_indicators=sheet.priority_indicators,
        recorded_at=submitted,
    )
    if state == "accepted":
        review_services.update_accept(update=update, actor=chair, recorded_at=decided)
    elif state == "returned":
        review_services.update_return(
            update=update, actor=chair, comment=return_comment, recorded_at=decided
        )


def _record_demo_figures(plan, actor, story, plan_agreed):
    """Illustrative figures, so that the charts show something real-looking. Every one is
    flagged as illustrative and shown as such: none of them is a council's or the DfE's."""
    council = figure_services.council_profile_save(
        actor=actor, reason="Demo council codes" + EDIT_NOTE, **story["council_profile"]
    )
    years = story["years"]
    randomness = random.Random(2016)  # the same illustrative figures on every machine
    priorities = plan.priority_indicators.select_related("indicator__outcome").order_by("order")
    first_of_each_outcome = {}
    for priority in priorities:
        if priority.indicator.unit == "percentage":
            first_of_each_outcome.setdefault(priority.indicator.outcome_id, priority)
    for priority in first_of_each_outcome.values():
        indicator = priority.indicator
        higher = indicator.better == "higher"
        england = Decimal(randomness.randint(55, 80))
        own = england - (4 if higher else -4)
        for year in years:
            drift = Decimal(randomness.choice([-2, -1, 0, 1, 2, 3]))
            england += drift / 2
            own += drift if higher else -drift
            period_end = datetime.date(year, 3, 31)
            published = datetime.datetime(year, 9, 30, 9, 0, tzinfo=LONDON)  # as DfE would
            figure_services.figure_save(
                indicator=indicator,
                period_end=period_end,
                actor=actor,
                reason="Illustrative demo figure",
                recorded_at=published,
                period_label=str(year),
                value=own,
                denominator=Decimal(randomness.randint(60, 90)) if year < years[-1] else Decimal(9),
                is_illustrative=True,
                source="Illustrative demo data",
                note="Illustrative: a comment on the latest figure would go here."
                if year == years[-1]
                else "",
            )
            areas = [
                ("national", "E92000001", "England", england),
                ("regional", council.region_code, council.region_name, england - 1),
            ] + [
                ("local_authority", code, code, england + randomness.randint(-9, 9))
                for code in council.neighbour_codes + story["other_authorities"]
            ]
            for level, code, name, value in areas:
                save_record(
                    BenchmarkFigure(indicator=indicator),
                    actor=actor,
                    reason="Illustrative demo comparator",
                    recorded_at=published,
                    level=level,
                    area_code=code,
                    area_name=name,
                    period_label=str(year),
                    period_end=period_end,
                    value=max(Decimal(0), min(Decimal(100), value)),
                    source="Illustrative demo data",
                    is_illustrative=True,
                )
        plan_services.priority_indicator_update(
            priority_indicator=priority,
            actor=actor,
            reason="Illustrative demo target",
            recorded_at=plan_agreed,
            target_value=england.quantize(Decimal("1")),
            amber_tolerance=Decimal(5),
        )


def _record_demo_reports(plan, people, story):
    """Committee reports in the shape of the council's own: issued or still a draft."""
    periods = {period.quarter: period for period in plan.review_periods.all()}
    officer = people[story["by"]]
    for report_data in story["reports"]:
        report = report_services.report_create(
            period=periods[report_data["quarter"]],
            actor=officer,
            reason="Report drafted" + EDIT_NOTE,
            recorded_at=_at(report_data["drafted_at"]),
            meeting_on=_date(report_data["meeting_on"]),
            describes=report_data.get("describes", CommitteeReport.Describes.NOW),
            agenda_item=report_data["agenda_item"],
            title=report_data["title"],
            **story["text"],
        )
        if report_data.get("issued_at"):
            report_services.report_issue(
                report=report, actor=officer, recorded_at=_at(report_data["issued_at"])
            )


def _record_demo_views(plan, people, views):
    """The demo's illustrative views of children and young people, some with a response."""
    if not views:
        return
    outcomes = {o.number: o for o in Outcome.objects.filter(strategy=plan.strategy)}
    periods = {p.quarter: p for p in plan.review_periods.all()}
    for view in views["items"]:
        voice = voice_services.voice_save(
            voice=Voice(strategy=plan.strategy, recorded_by=people[view["by"]]),
            actor=people[view["by"]],
            reason=view.get("reason", "View recorded") + EDIT_NOTE,
            recorded_at=_at(view["at"]),
            said=view["said"],
            source=view["source"],
            source_name=view["source_name"],
            heard_on=_date(view["heard_on"]),
            period=periods.get(view.get("quarter")),
            outcomes=[outcomes[number] for number in view["outcomes"]],
        )
        response = view.get("response")
        if response:
            voice_services.response_save(
                voice=voice,
                actor=people[response["by"]],
                reason="Response recorded" + EDIT_NOTE,
                recorded_at=_at(response["at"]),
                we_did=response["we_did"],
                who=response["who"],
                due_on=_date(response["due_on"]),
                status=response["status"],
            )


# What the demo leaves off its public page: a word with two capitals (an abbreviation a
# child may not know: LAC, CiCC) and anything longer than a couple of short sentences.
_ABBREVIATION = re.compile(r"\b\w*[A-Z]\w*[A-Z]\w*\b")
_LONGEST_PUBLIC_TEXT = 30  # words


def _approve_demo_public_texts(plan, actor):
    """The demo's public page: the promises, views, responses, measures and actions whose words
    are short and have no abbreviations, approved as an officer would."""
    texts = [
        *Outcome.objects.filter(strategy=plan.strategy).exclude(kind=Outcome.Kind.HEADING),
        *Indicator.objects.filter(priority_indicators__action_plan=plan).distinct(),
        *Action.objects.filter(priority_indicator__action_plan=plan),
        *Voice.objects.filter(strategy=plan.strategy),
        *VoiceResponse.objects.filter(voice__strategy=plan.strategy),
    ]
    for record in texts:
        words = " ".join(str(getattr(record, f)) for f in PUBLISHABLE[record._meta.label_lower])
        if not _ABBREVIATION.search(words) and len(words.split()) <= _LONGEST_PUBLIC_TEXT:
            texts_approve(record=record, actor=actor, reason="Approved for the demo's public page")
