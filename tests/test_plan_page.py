"""The plan page: contents and a RAG summary first, tools to one side, and a filter that works
without JavaScript (issue 15, item 4)."""

import datetime
import re

import pytest
from django.urls import reverse

from actionplans.models import Action
from actionplans.selectors import action_plan_sections
from figures.models import IndicatorFigure
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
    PriorityIndicatorFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(users):
    """Outcome 1 owned by `outcome_owner`, outcome 2 by `other_outcome_owner`; the first owner
    also leads one action under outcome 2."""
    strategy = StrategyFactory()
    first = OutcomeFactory(strategy=strategy, number=1, owners=[users["outcome_owner"]])
    second = OutcomeFactory(strategy=strategy, number=2, owners=[users["other_outcome_owner"]])
    plan = ActionPlanFactory(strategy=strategy)
    one = PriorityIndicatorFactory(action_plan=plan, indicator=IndicatorFactory(outcome=first))
    two = PriorityIndicatorFactory(action_plan=plan, indicator=IndicatorFactory(outcome=second))
    actions = {
        "red_on_track": ActionFactory(priority_indicator=one, rag="red", status="on_track"),
        "green_complete": ActionFactory(priority_indicator=one, rag="green", status="complete"),
        "unrated": ActionFactory(priority_indicator=two, rag="", status="not_started"),
        "led": ActionFactory(
            priority_indicator=two,
            rag="amber",
            status="at_risk",
            lead_users=[users["outcome_owner"]],
        ),
    }
    return {"plan": plan, "first": first, "second": second, **actions}


def shown(sections):
    return {action.pk for section in sections for action in section.actions}


def ids(plan, *names):
    return {plan[name].pk for name in names}


def test_unfiltered_the_plan_shows_every_outcome_and_action(plan):
    sections = action_plan_sections(action_plan=plan["plan"])
    assert [s.outcome for s in sections] == [plan["first"], plan["second"]]
    assert shown(sections) == ids(plan, "red_on_track", "green_complete", "unrated", "led")


def test_filter_by_outcome(plan):
    sections = action_plan_sections(action_plan=plan["plan"], outcome=plan["second"])
    assert [s.outcome for s in sections] == [plan["second"]]
    assert shown(sections) == ids(plan, "unrated", "led")


def test_filter_by_outcome_owner(plan, users):
    sections = action_plan_sections(action_plan=plan["plan"], owner=users["other_outcome_owner"])
    assert shown(sections) == ids(plan, "unrated", "led")


def test_filter_by_status(plan):
    sections = action_plan_sections(action_plan=plan["plan"], statuses=["at_risk", "complete"])
    assert shown(sections) == ids(plan, "green_complete", "led")


def test_filter_by_rag_including_not_rated(plan):
    sections = action_plan_sections(action_plan=plan["plan"], rags=["red", ""])
    assert shown(sections) == ids(plan, "red_on_track", "unrated")


def test_my_actions_are_on_outcomes_i_own_or_that_i_lead(plan, users):
    sections = action_plan_sections(action_plan=plan["plan"], mine=users["outcome_owner"])
    assert shown(sections) == ids(plan, "red_on_track", "green_complete", "led")
    # Led by two people, on an outcome with two owners: still listed once.
    plan["led"].lead_users.add(users["other_outcome_owner"])
    plan["second"].owners.add(users["outcome_owner"])
    sections = action_plan_sections(action_plan=plan["plan"], mine=users["outcome_owner"])
    assert sorted(a.pk for s in sections for a in s.actions) == sorted(
        ids(plan, "red_on_track", "green_complete", "led", "unrated")
    )


def test_filters_combine_and_outcomes_without_a_match_are_left_out(plan, users):
    sections = action_plan_sections(
        action_plan=plan["plan"], mine=users["outcome_owner"], rags=["amber"]
    )
    assert [s.outcome for s in sections] == [plan["second"]]
    assert shown(sections) == ids(plan, "led")


def test_someone_with_no_actions_sees_none(plan):
    assert action_plan_sections(action_plan=plan["plan"], mine=UserFactory()) == []


def test_each_listed_action_says_what_its_record_says(plan):
    """The sections read actions as values (PlanAction), not records: their words must not
    drift from the record's."""
    plan["unrated"].reference, plan["unrated"].target_text = "7", "By the end of Q2"
    plan["led"].description = "A first line\nand a second that the list leaves out"
    plan["led"].target_text, plan["led"].target_date = "", datetime.date(2017, 3, 31)
    for action in (plan["unrated"], plan["led"]):
        action.save()
    listed = {a.pk: a for s in action_plan_sections(action_plan=plan["plan"]) for a in s.actions}
    for name in ("red_on_track", "green_complete", "unrated", "led"):
        record, shown = plan[name], listed[plan[name].pk]
        assert (
            str(shown),
            shown.short_description,
            shown.target_display,
            shown.get_status_display(),
            shown.get_rag_display(),
        ) == (
            str(record),
            record.short_description,
            record.target_display,
            record.get_status_display(),
            record.get_rag_display(),
        )
    assert str(listed[plan["unrated"].pk]) == "Action 7"
    assert listed[plan["led"].pk].target_display == "31 March 2017"
    # A value that is not a choice (written outside the forms) is shown as it is, as a record's.
    Action.objects.filter(pk=plan["led"].pk).update(status="legacy", rag="pink")
    listed = {a.pk: a for s in action_plan_sections(action_plan=plan["plan"]) for a in s.actions}
    shown = listed[plan["led"].pk]
    assert (shown.get_status_display(), shown.get_rag_display()) == ("legacy", "pink")


def test_each_outcome_counts_its_actions_by_rag_and_status(plan):
    first, second = action_plan_sections(action_plan=plan["plan"])
    assert first.rag_counts == [("Red", 1), ("Amber", 0), ("Green", 1), ("Not rated", 0)]
    assert first.status_counts == [("On track", 1), ("Complete", 1)]
    assert second.rag_counts == [("Red", 0), ("Amber", 1), ("Green", 0), ("Not rated", 1)]
    assert second.status_counts == [("Not started", 1), ("At risk", 1)]


# The page


def get(client, plan, **params):
    return client.get(reverse("actionplans:plan_detail", args=[plan["plan"].pk]), params)


def test_the_page_starts_with_contents_and_a_rag_summary(client, users, plan):
    client.force_login(users["viewer"])
    page = get(client, plan).content.decode()
    contents = page.index('id="contents-heading"')
    assert contents < page.index("Plan tools") or contents < page.index('id="outcome-1"')
    assert page.index("Progress by") < page.index('id="outcome-1"')
    assert 'href="#outcome-1"' in page and 'href="#outcome-2"' in page
    assert 'href="#top"' in page  # back to top
    assert 'type="date"' not in page


def test_filtering_by_get_parameters_says_how_many_match(client, users, plan):
    client.force_login(users["outcome_owner"])
    response = get(client, plan, mine="on", rag="amber")
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 action matches" in page
    assert "Clear filters" in page
    assert plan["led"].get_absolute_url() in page
    assert plan["red_on_track"].get_absolute_url() not in page


def test_no_match_says_so(client, users, plan):
    client.force_login(users["viewer"])
    page = get(client, plan, mine="on").content.decode()
    assert "No actions match" in page
    assert "Clear filters" in page
    # No empty "Contents" heading above the filter when nothing matches.
    assert 'id="contents-heading"' not in page


@pytest.mark.parametrize(
    "params",
    [
        {"rag": "purple"},
        {"status": "nonsense"},
        {"outcome": "99999999999999999999999"},
        {"outcome": "abc"},
        {"owner": "-1"},
    ],
)
def test_invalid_filters_give_a_clear_message_not_an_error(client, users, plan, params):
    client.force_login(users["viewer"])
    response = get(client, plan, **params)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    # The filter that could not be used is left off: the whole plan shows.
    assert plan["red_on_track"].get_absolute_url() in page
    assert plan["unrated"].get_absolute_url() in page


def test_the_filter_shows_what_was_chosen_and_links_each_error_to_its_field(client, users, plan):
    client.force_login(users["viewer"])
    owner = users["other_outcome_owner"]
    page = get(
        client, plan, outcome=plan["second"].pk, owner=owner.pk, status="at_risk", rag="not_rated"
    ).content.decode()
    assert re.search(rf'<option value="{plan["second"].pk}" selected>', page)
    assert re.search(rf'<option value="{owner.pk}" selected>', page)
    assert len(re.findall(r"<option [^>]*selected>", page)) == 2
    assert re.search(r'id="id_status_3" value="at_risk" checked>', page)
    assert re.search(r'id="id_rag_4" value="not_rated" checked>', page)
    assert page.count(" checked>") == 2
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_rag_4">Not rated' in page

    page = get(client, plan, outcome="abc", status="nonsense").content.decode()
    for field_id in ("id_outcome", "id_status_1"):  # the summary's links land on the fields
        assert f'<a href="#{field_id}">' in page
        assert f'id="{field_id}"' in page
    assert 'class="govuk-select govuk-select--error" aria-describedby="id_outcome_1_error"' in page
    assert '<p id="id_status_1_error" class="govuk-error-message">' in page
    # What hand-written markup could lose: each field's label or legend, and its error's link.
    assert '<label for="id_outcome" class="govuk-label">Outcome</label>' in page
    assert '<label for="id_owner" class="govuk-label">Outcome owner</label>' in page
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_status_1_error">' in page
    assert '<legend class="govuk-fieldset__legend">Status</legend>' in page
    assert '<legend class="govuk-fieldset__legend">RAG rating</legend>' in page


def test_the_plan_as_it_stood_is_asked_for_with_the_govuk_date_pattern(client, users, plan):
    client.force_login(users["viewer"])
    url = reverse("actionplans:plan_as_at", args=[plan["plan"].pk])
    page = client.get(url).content.decode()
    assert 'name="as_at_0"' in page and 'type="date"' not in page
    response = client.get(url, {"as_at_0": "30", "as_at_1": "9", "as_at_2": "2016"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("reports:plan_document", args=[plan["plan"].pk]) + "?as_at=2016-09-30"
    )
    wrong = client.get(url, {"as_at_0": "31", "as_at_1": "2", "as_at_2": "2016"})
    assert wrong.status_code == 400
    assert "must be a real date" in wrong.content.decode()


def test_every_plan_tool_is_in_the_panel_and_only_where_allowed(client, users, plan):
    pk = plan["plan"].pk
    everyone = [
        reverse("reports:plan_document", args=[pk]),
        reverse("reports:plan_pdf", args=[pk]),
        reverse("reports:plan_docx", args=[pk]),
        reverse("reports:plan_xlsx", args=[pk]),
        reverse("actionplans:plan_changes", args=[pk]),
        reverse("actionplans:plan_as_at", args=[pk]),
        reverse("actionplans:plan_spreadsheet", args=[pk]),
        reverse("actionplans:annual_review", args=[pk]),
    ]
    administrators = [
        reverse("actionplans:plan_import_upload", args=[pk]),
        reverse("actionplans:priority_indicator_create", args=[pk]),
        reverse("actionplans:plan_edit", args=[pk]),
        reverse("actionplans:plan_delete", args=[pk]),
    ]

    def panel(username):
        client.force_login(users[username])
        page = get(client, plan).content.decode()
        return page[page.index('id="plan-tools-heading"') : page.index("</aside>")]

    tools = panel("administrator")
    assert all(f'"{url}"' in tools for url in everyone + administrators)
    tools = panel("viewer")
    assert all(f'"{url}"' in tools for url in everyone)
    assert not any(f'"{url}"' in tools for url in administrators)


def test_a_date_still_to_come_is_refused_with_a_clear_message(client, users, plan):
    client.force_login(users["viewer"])
    url = reverse("actionplans:plan_as_at", args=[plan["plan"].pk])
    response = client.get(url, {"as_at_0": "1", "as_at_1": "1", "as_at_2": "2999"})
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()


def test_each_priority_draws_its_trend_in_the_page_named_in_words(client, users, plan):
    indicator = plan["red_on_track"].priority_indicator.indicator
    for year, value in ((2014, 60), (2015, None), (2016, 70)):
        IndicatorFigure.objects.create(
            indicator=indicator,
            period_label=str(year),
            period_end=datetime.date(year, 3, 31),
            value=value,
        )
    client.force_login(users["viewer"])
    page = get(client, plan).content.decode()
    # One sparkline (the other priority has no figures), drawn in the page: no request of its own.
    assert page.count('<span class="app-trend"><svg') == 1
    assert "trend.svg" not in page
    title = re.search(
        r'<svg [^>]*role="img" aria-labelledby="([^"]+)"><title id="\1">(.*?)</title>', page
    )
    assert title[2] == "Trend: improving"
