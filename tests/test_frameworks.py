"""The national frameworks as reference data, tags on outcomes, indicators and actions, a later
version of a framework, and the plan's coverage page."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import ActionPlan
from frameworks.models import Framework, FrameworkItem
from frameworks.selectors import framework_coverage, frameworks_in_use
from frameworks.services import (
    framework_new_version,
    framework_tags_save,
    install_shipped_frameworks,
)
from lacstrategy.history import record_history
from tests.conftest import build_plan
from tests.factories import (
    ActionFactory,
    FrameworkItemFactory,
    IndicatorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(users):
    install_shipped_frameworks(actor=users["administrator"])
    return {f.code: {item.code: item for item in f.items_in_order} for f in frameworks_in_use()}


def test_the_shipped_frameworks_each_with_its_source_version_and_history(shipped):
    assert list(shipped) == [
        "corporate-parenting-principles",
        "childrens-social-care-national-framework",
        "ofsted-ilacs",
    ]
    principles = shipped["corporate-parenting-principles"]
    assert [item.label for item in principles.values()] == [f"({c})" for c in "abcdefg"]
    national = shipped["childrens-social-care-national-framework"]
    # Outcomes and enablers by stable codes, never by DfE's numbers.
    assert {i.part for i in national.values()} == {"Outcomes", "Enablers"}
    assert "stable-loving-homes" in national
    assert set(shipped["ofsted-ilacs"]) >= {"children-in-care", "care-leavers"}
    for framework in Framework.objects.all():
        assert framework.source and framework.published_on and framework.edition
        assert framework.history.get().history_change_reason.startswith("Shipped with")
    install_shipped_frameworks(actor=None)  # again: nothing added twice
    assert FrameworkItem.objects.count() == 19


def test_migrate_ships_them(django_db_setup):
    # The test database was made by migrate: the data migration put them there.
    assert Framework.objects.filter(is_current=True).count() == 3


def test_tagging_an_action_keeps_the_change_in_its_history(client, users, shipped):
    action = ActionFactory()
    item = shipped["corporate-parenting-principles"]["express-views"]
    client.force_login(users["administrator"])
    url = reverse("frameworks:action_tags", args=[action.pk])
    page = client.get(url).content.decode()
    assert "Corporate parenting principles" in page and "(b) To encourage" in page
    field = f"framework_{item.framework_id}"
    response = client.post(
        url, {field: [item.pk], "seen_version": action.version, "change_reason": "Pledge review"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert list(action.framework_items.all()) == [item]
    latest = record_history(action)[0]
    assert latest.reason == "Pledge review"
    assert any("frameworks" in change.label.lower() for change in latest.changes)
    shown = client.get(action.get_absolute_url()).content.decode()
    assert "Corporate parenting principles: (b) To encourage" in shown


def test_a_stale_tag_form_is_refused_not_saved_over(client, users, shipped):
    action = ActionFactory()
    item = shipped["ofsted-ilacs"]["care-leavers"]
    client.force_login(users["administrator"])
    framework_tags_save(record=action, actor=users["administrator"], items=[item])
    response = client.post(
        reverse("frameworks:action_tags", args=[action.pk]),
        {f"framework_{item.framework_id}": [], "seen_version": action.version - 1},
    )
    assert response.status_code == 409
    assert list(action.framework_items.all()) == [item]


def test_an_owner_tags_only_actions_on_their_outcomes(client, users, plan_records, shipped):
    records = plan_records
    client.force_login(users["outcome_owner"])
    mine = reverse("frameworks:action_tags", args=[records["action"].pk])
    theirs = reverse("frameworks:action_tags", args=[records["other_action"].pk])
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 403


def test_a_later_version_keeps_the_old_tags_and_carries_them_by_code(users, shipped):
    admin = users["administrator"]
    ilacs = Framework.objects.get(code="ofsted-ilacs", is_current=True)
    old = shipped["ofsted-ilacs"]["care-leavers"]
    indicator = IndicatorFactory()
    framework_tags_save(record=indicator, actor=admin, items=[old])
    newer = framework_new_version(
        framework=ilacs,
        actor=admin,
        edition="2026-27",
        published_on=datetime.date(2026, 4, 1),
        source="Ofsted",
        items=[
            {"code": "care-leavers", "label": "Judgement", "title": "Care leavers"},
            {"code": "new-area", "label": "Judgement", "title": "Something new"},
        ],
    )
    ilacs.refresh_from_db()
    assert not ilacs.is_current and newer.is_current
    carried = newer.items.get(code="care-leavers")
    assert set(indicator.framework_items.all()) == {old, carried}
    assert indicator.history.latest().history_change_reason.startswith("Tagged with")
    assert [f.code for f in frameworks_in_use()].count("ofsted-ilacs") == 1


def test_only_one_version_of_a_framework_is_in_use():
    from django.db import IntegrityError

    first = FrameworkItemFactory().framework
    with pytest.raises(IntegrityError):
        Framework.objects.create(
            code=first.code,
            name=first.name,
            kind=first.kind,
            edition="later",
            published_on=first.published_on,
            source="x",
        )


def test_coverage_shows_what_serves_each_part_and_marks_the_gaps(client, users, shipped):
    admin = users["administrator"]
    plan = build_plan(outcomes=2, actions_per_outcome=2)
    principles = shipped["corporate-parenting-principles"]
    outcome = plan.strategy.outcomes.get(number=1)
    action = ActionFactory(
        priority_indicator__action_plan=plan, priority_indicator__indicator__outcome=outcome
    )
    indicator = IndicatorFactory(outcome=outcome)
    framework_tags_save(record=action, actor=admin, items=[principles["express-views"]])
    framework_tags_save(record=indicator, actor=admin, items=[principles["high-aspirations"]])
    framework_tags_save(record=outcome, actor=admin, items=[principles["best-interests"]])
    frameworks, commitments = framework_coverage(strategy_id=plan.strategy_id, action_plan=plan)
    rows = {row.item.code: row for row in frameworks[0].rows}
    assert rows["express-views"].actions == [action]
    assert rows["express-views"].state == ("Has actions", "green")
    assert rows["high-aspirations"].indicators == [indicator]
    assert rows["high-aspirations"].state == ("No action this year", "yellow")
    assert rows["best-interests"].outcomes == [outcome]
    assert rows["access-to-services"].state == ("No action or indicator", "red")
    assert len(frameworks[0].gaps) == 6
    # The pledge: the strategy's commitments, with the plan's actions that deliver them.
    assert len(commitments) == 4 and sum(1 for row in commitments if row.actions) == 2
    client.force_login(users["viewer"])
    page = client.get(reverse("frameworks:plan_coverage", args=[plan.pk])).content.decode()
    assert "6 of 7 with no action this year" in page
    assert page.count("No action or indicator") >= 5
    assert "app-coverage-gap" in page


def test_an_earlier_version_s_tags_stay_on_the_record_but_off_the_coverage(users, shipped):
    admin = users["administrator"]
    plan = build_plan(outcomes=1, actions_per_outcome=2)
    action = plan.priority_indicators.first().actions.first()
    retired = FrameworkItemFactory(framework__is_current=False, framework__code="old")
    framework_tags_save(record=action, actor=admin, items=[retired])
    frameworks, _ = framework_coverage(strategy_id=plan.strategy_id, action_plan=plan)
    assert all(not row.actions for f in frameworks for row in f.rows)
    # The tag form keeps it: only the versions in use are offered, the rest stay.
    from django.forms import modelform_factory

    from frameworks.forms import FrameworkTagsForm

    form_class = modelform_factory(type(action), form=FrameworkTagsForm, fields=[])
    form = form_class(
        {"seen_version": action.version}, instance=action, frameworks=frameworks_in_use()
    )
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["items"] == [retired.pk]


@pytest.mark.parametrize("outcomes,actions_per_outcome", [(1, 2), (6, 20)])
def test_coverage_page_queries_do_not_grow(
    client, users, shipped, django_assert_max_num_queries, outcomes, actions_per_outcome
):
    plan = build_plan(outcomes=outcomes, actions_per_outcome=actions_per_outcome)
    items = [item for codes in shipped.values() for item in codes.values()]
    for number, action in enumerate(
        ActionFactory._meta.model.objects.filter(priority_indicator__action_plan=plan)
    ):
        action.framework_items.set(items[number % len(items) : number % len(items) + 2])
    for priority in plan.priority_indicators.all():
        priority.indicator.framework_items.set(items[:3])
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("frameworks:plan_coverage", args=[plan.pk]))
    assert response.status_code == 200


def test_the_demo_tags_are_labelled_illustrative(client, users):
    call_command("load_demo", on_a_live_site=True, stdout=io.StringIO())
    plan = ActionPlan.objects.get()
    client.force_login(users["viewer"])
    page = client.get(reverse("frameworks:plan_coverage", args=[plan.pk])).content.decode()
    assert "These tags are illustrative" in page
    assert "Has actions" in page and "No action or indicator" in page
    tagged = plan.priority_indicators.first().actions.first()
    # Tagged when the plan was agreed, before the year's story: no late change in the reports.
    tagging = tagged.history.get(
        history_change_reason="Illustrative framework tags made by the demo"
    )
    assert tagging.history_date == plan.history.earliest().history_date


def test_a_measure_adopted_from_the_library_brings_its_framework_tags(users, shipped):
    from figures.library import standard_indicators
    from figures.services import adopt_standard_indicator
    from tests.factories import OutcomeFactory

    # Every measure names parts that exist in the frameworks shipped.
    names = {f"{f}/{i}" for f, items in shipped.items() for i in items}
    for entry in standard_indicators():
        assert entry["frameworks"] and set(entry["frameworks"]) <= names, entry["code"]
    indicator = adopt_standard_indicator(
        outcome=OutcomeFactory(), code="leavers-eet-19-21", actor=users["administrator"]
    )
    assert {i.code for i in indicator.framework_items.all()} == {
        "stable-loving-homes",
        "care-leavers",
        "prepare-for-adulthood",
    }
    assert indicator.history.get().history_type == "+"  # one history row, links included


def test_the_annual_report_and_the_strategy_document_include_the_frameworks(
    client, users, plan_records, shipped
):
    from reports.models import CommitteeReport
    from tests.test_council_words import docx_text
    from tests.test_reports import NARRATIVE

    plan = plan_records["plan"]
    principle = shipped["corporate-parenting-principles"]["express-views"]
    framework_tags_save(
        record=plan_records["action"], actor=users["administrator"], items=[principle]
    )
    # The strategy document shows the strategy's tags: its outcomes' and indicators'.
    framework_tags_save(
        record=plan_records["outcome"],
        actor=users["administrator"],
        items=[shipped["corporate-parenting-principles"]["safe-and-stable"]],
    )
    client.force_login(users["committee_officer"])
    client.post(reverse("reports:annual_create", args=[plan.pk]), NARRATIVE)
    report = CommitteeReport.objects.get(title=NARRATIVE["title"])
    documents = {
        "annual report": client.get(reverse("reports:report_print", args=[report.pk])),
        "annual report (Word)": client.get(reverse("reports:report_docx", args=[report.pk])),
        "strategy": client.get(reverse("reports:strategy_document", args=[plan.strategy_id])),
        "strategy (Word)": client.get(reverse("reports:strategy_docx", args=[plan.strategy_id])),
    }
    for name, response in documents.items():
        assert response.status_code == 200, name
        text = (
            docx_text(response.content)
            if "Word" in name
            else response.content.decode().replace("&#x27;", "'")
        )
        assert "The national frameworks" in text, name
        assert "Children's Social Care National Framework (December 2023)" in text, name
        assert "(f) For those children" in text, name
        if name.startswith("annual"):
            assert "(b) To encourage those children" in text, name
            assert "Has actions" in text and "No action or indicator" in text, name


def test_a_framework_s_page_and_the_list_name_each_version(client, users, shipped):
    national = Framework.objects.get(code="childrens-social-care-national-framework")
    client.force_login(users["viewer"])
    page = client.get(national.get_absolute_url()).content.decode()
    assert "December 2023" in page and "Earlier version" not in page
    assert "Children in care and care leavers have stable, loving homes" in page
    listed = client.get(reverse("frameworks:framework_list")).content.decode()
    assert listed.count('govuk-tag--green">In use') == 3 and "December 2023" in listed


def test_the_year_s_roll_over_carries_each_action_s_tags(users, shipped):
    from actionplans.services import plan_roll_over

    plan = build_plan(outcomes=1, actions_per_outcome=2)
    action = plan.priority_indicators.first().actions.first()
    item = shipped["ofsted-ilacs"]["children-in-care"]
    framework_tags_save(record=action, actor=users["administrator"], items=[item])
    priorities = {p.indicator: "Same again" for p in plan.priority_indicators.all()}
    new_plan = plan_roll_over(
        plan=plan,
        actor=users["administrator"],
        financial_year_start=plan.financial_year_start + 1,
        priorities=priorities,
    )
    carried = (
        ActionPlan.objects.get(pk=new_plan.pk)
        .priority_indicators.first()
        .actions.get(carried_from=action)
    )
    assert list(carried.framework_items.all()) == [item]


def test_withdrawn_actions_serve_nothing_and_commitments_say_so_in_their_words(users, shipped):
    plan = build_plan(outcomes=1, actions_per_outcome=2)
    admin = users["administrator"]
    item = shipped["corporate-parenting-principles"]["express-views"]
    action = plan.priority_indicators.first().actions.first()
    framework_tags_save(record=action, actor=admin, items=[item])
    ActionFactory._meta.model.objects.filter(pk=action.pk).update(status="withdrawn")
    frameworks, commitments = framework_coverage(strategy_id=plan.strategy_id, action_plan=plan)
    row = next(r for r in frameworks[0].rows if r.item == item)
    assert row.actions == [] and row.is_gap
    undelivered = [r for r in commitments if not r.actions]
    assert undelivered and all(r.state == ("No action this year", "red") for r in undelivered)


def test_a_later_version_is_added_only_to_the_version_in_use(users, shipped):
    from django.core.exceptions import ValidationError

    first = FrameworkItemFactory(framework__is_current=False).framework
    with pytest.raises(ValidationError):
        framework_new_version(
            framework=first,
            actor=users["administrator"],
            edition="later",
            published_on=datetime.date(2026, 1, 1),
            source="x",
            items=[],
        )


def test_the_coverage_page_names_each_part_and_links_each_commitment(client, users, shipped):
    plan = build_plan(outcomes=1, actions_per_outcome=2)
    client.force_login(users["viewer"])
    page = client.get(reverse("frameworks:plan_coverage", args=[plan.pk])).content.decode()
    assert '<a class="govuk-link" href="/strategies/commitments/' in page
    assert "(g) To prepare those children and young people for adulthood" in page
    assert not re.search(r"<a [^>]*>\s*</a>", page)  # no link without words


def test_the_first_migration_s_frozen_files_are_the_first_shipped():
    from importlib import import_module

    from frameworks.migrations import SHIPPED_FILES

    first = import_module("frameworks.migrations.0002_reference_frameworks")
    assert SHIPPED_FILES[: len(first.FILES)] == first.FILES
