"""Search across the records: what each person may see, on SQLite and on PostgreSQL.

The suite runs on both databases in CI; the tests that depend on one say so and skip on the
other.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from lacstrategy.services import council_save
from search import selectors
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    OutcomeFactory,
    PriorityIndicatorFactory,
    StrategyFactory,
    UserFactory,
    VoiceFactory,
    VoiceResponseFactory,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the plain fallback")


def kinds(results):
    return {group.key: [hit.title for hit in group.hits] for group in results.groups}


def test_finds_each_kind_of_record_for_an_administrator(users, plan_records):
    plan_records["action"].description = "Recruit more foster carers in the county"
    plan_records["action"].save()
    plan_records["indicator"].title = "Foster placements lasting two years"
    plan_records["indicator"].save()
    # Made-up names can hold the word ("Amanda Hunt-Foster"): the others' are set here.
    get_user_model().objects.update(full_name="Sam Smith", job_title="Officer")
    UserFactory(full_name="Fiona Foster", job_title="Fostering lead")
    plan_records["report"].title = "Fostering progress"
    plan_records["report"].save()

    results = selectors.search(user=users["administrator"], text="foster")

    found = kinds(results)
    assert found["actions"] == ["Recruit more foster carers in the county"]
    assert found["indicators"] == ["Foster placements lasting two years"]
    assert found["people"] == ["Fiona Foster"]
    assert found["reports"] == ["Fostering progress (version 1, draft)"]
    assert results.total == 4


def test_strategies_and_outcomes_are_found_by_their_words(users, plan_records):
    results = selectors.search(user=users["viewer"], text="opportunities")  # the vision
    assert kinds(results)["strategies"] == [plan_records["strategy"].title]

    outcome = plan_records["outcome"]
    results = selectors.search(user=users["viewer"], text=outcome.statement.split("(")[0])
    assert str(outcome) in kinds(results)["outcomes"]


def test_children_s_views_are_found_by_their_words_and_the_council_s_response(users, plan_records):
    """What children and young people said, and what the council did about it, are records
    every role may read: search finds them by either."""
    voice = VoiceFactory(
        strategy=plan_records["strategy"],
        said="We want to keep our pets when we move placement",
        source_name="Your Life, Your Care survey 2016",
    )
    VoiceResponseFactory(voice=voice, we_did="Carers are now asked about pets before a move.")
    VoiceFactory(strategy=plan_records["strategy"], said="More trips in the holidays")

    for text in ("pets", "carers asked"):
        results = selectors.search(user=users["viewer"], text=text)
        group = next(group for group in results.groups if group.key == "views")
        assert group.name == "children and young people's views"
        [hit] = group.hits
        assert hit.url == voice.get_absolute_url()
        assert hit.title == "We want to keep our pets when we move placement"
        assert hit.where == f"{voice}, {plan_records['strategy'].title}"


def test_people_are_found_only_by_those_who_may_see_people(users, plan_records):
    UserFactory(full_name="Priya Ramanathan")

    for key in ("strategy_group_member", "chair", "outcome_owner", "viewer"):
        results = selectors.search(user=users[key], text="Ramanathan")
        assert "people" not in kinds(results), key
        assert results.total == 0

    assert kinds(selectors.search(user=users["administrator"], text="Ramanathan")) == {
        "people": ["Priya Ramanathan"]
    }


def test_the_system_account_is_not_a_person_to_find(users):
    from lacstrategy.services import SYSTEM_USERNAME

    UserFactory(username=SYSTEM_USERNAME, full_name="System")
    assert selectors.search(user=users["administrator"], text="system").total == 0


def test_someone_without_a_role_finds_nothing(users, plan_records):
    results = selectors.search(user=users["no_role"], text="Q1 progress")
    assert results.total == 0 and results.groups == []


def test_draft_reports_are_found_by_whoever_may_open_them(users, plan_records, client):
    """Every role may open a draft report (the permissions matrix), so every role finds it;
    each result's link opens for the person who found it."""
    for key in ("viewer", "outcome_owner", "committee_officer", "administrator"):
        client.force_login(users[key])
        results = selectors.search(user=users[key], text="Q1 progress")
        titles = kinds(results)["reports"]
        assert "Q1 progress (version 1, draft)" in titles, key
        for group in results.groups:
            for hit in group.hits:
                assert client.get(hit.url).status_code == 200, (key, hit.url)


def test_each_result_has_a_short_context_and_where_it_is(users, plan_records):
    action = plan_records["action"]
    action.description = "Set up a panel. " + "Long words here. " * 40 + "The kinship panel meets."
    action.save()

    [group] = selectors.search(user=users["viewer"], text="kinship").groups

    [hit] = group.hits
    assert hit.url == action.get_absolute_url()
    assert "kinship" in hit.context and len(hit.context) <= 200
    assert hit.context.startswith("…")
    assert "2016-17" in hit.where  # the plan year it is in


def test_a_context_that_only_repeats_the_title_is_left_out(users, plan_records):
    ActionFactory(priority_indicator=plan_records["priority"], description="Mentoring circle")
    [group] = selectors.search(user=users["viewer"], text="mentoring").groups
    assert group.hits[0].title == "Mentoring circle" and group.hits[0].context == ""


def test_results_are_bounded_and_counted(users, plan_records):
    priority = plan_records["priority"]
    ActionFactory.create_batch(25, priority_indicator=priority, description="Mentoring scheme")

    results = selectors.search(user=users["viewer"], text="mentoring")

    [group] = results.groups
    assert group.count == 25 and len(group.hits) == selectors.PER_KIND == 20
    assert group.has_more


def test_one_kind_is_paged(users, plan_records):
    priority = plan_records["priority"]
    ActionFactory.create_batch(25, priority_indicator=priority, description="Mentoring scheme")

    results = selectors.search(user=users["viewer"], text="mentoring", kind="actions", page=2)

    [group] = results.groups
    assert group.count == 25 and len(group.hits) == 5
    assert group.page_obj.number == 2


@pytest.mark.parametrize("text", ["", "   ", "!!!", '"', "-", "a & b | c", "'; drop", "x"])
def test_odd_or_empty_words_find_nothing_and_do_not_fail(users, plan_records, text):
    assert selectors.search(user=users["viewer"], text=text).total == 0


def test_every_word_must_be_found(users, plan_records):
    ActionFactory(priority_indicator=plan_records["priority"], description="Health passports")
    assert selectors.search(user=users["viewer"], text="health passports").total == 1
    assert selectors.search(user=users["viewer"], text="health dentists").total == 0


@on_postgresql
def test_postgresql_matches_other_forms_of_a_word_and_ranks_titles_first(users, plan_records):
    priority = plan_records["priority"]
    ActionFactory(priority_indicator=priority, description="Plan visits", measure="Mentors")
    ActionFactory(priority_indicator=priority, description="Mentoring for teenagers")

    results = selectors.search(user=users["viewer"], text="mentors")

    # "mentoring" is found by "mentors" (English stemming); the description outranks the
    # measure.
    assert kinds(results)["actions"] == ["Mentoring for teenagers", "Plan visits"]


@on_postgresql
def test_postgresql_understands_phrases_and_leaving_words_out(users, plan_records):
    priority = plan_records["priority"]
    ActionFactory(priority_indicator=priority, description="Health passports for care leavers")
    ActionFactory(priority_indicator=priority, description="Passports for leavers' health")

    phrase = selectors.search(user=users["viewer"], text='"health passports"')
    assert kinds(phrase)["actions"] == ["Health passports for care leavers"]
    without = selectors.search(user=users["viewer"], text="passports -care")
    assert kinds(without)["actions"] == ["Passports for leavers' health"]


@on_sqlite
def test_sqlite_finds_words_inside_others(users, plan_records):
    IndicatorFactory(outcome=plan_records["outcome"], title="Placement stability")
    results = selectors.search(user=users["viewer"], text="stab")
    assert "Placement stability" in kinds(results)["indicators"]


# ---- The page ----------------------------------------------------------------------------


def search_page(client, **params):
    return client.get(reverse("search:results"), params)


# Session, user, roles and the council's names; each of the seven kinds' first hits, with what
# they show joined; and the count of each of the six kinds here with more than a page's worth.
SEARCH_QUERIES = 17


@pytest.mark.parametrize("each", [selectors.PER_KIND + 1, 2 * selectors.PER_KIND + 5])
def test_the_page_reads_as_many_queries_however_many_records_match(
    client, users, django_assert_max_num_queries, each
):
    """Past a page's worth, each kind is counted: at two sizes past it, the same queries."""
    strategy = StrategyFactory()
    outcome = OutcomeFactory(strategy=strategy, number=1)
    priority = PriorityIndicatorFactory(indicator=IndicatorFactory(outcome=outcome))
    for n in range(each):
        StrategyFactory(title=f"Kinship care strategy {n}")
        OutcomeFactory(strategy=strategy, number=n + 2, statement=f"Kinship carers {n}")
        IndicatorFactory(outcome=outcome, title=f"Kinship placements {n}")
        ActionFactory(priority_indicator=priority, description=f"Kinship support {n}")
        VoiceResponseFactory(voice=VoiceFactory(strategy=strategy, said=f"Kinship visits {n}"))
        UserFactory(full_name=f"Kinship Worker {n}")
    client.force_login(users["administrator"])
    with django_assert_max_num_queries(SEARCH_QUERIES):
        page = search_page(client, q="kinship").content.decode()
    for kind in ("strategies", "outcomes", "indicators", "actions", "children and young", "people"):
        assert f"Show all {each} {kind}" in page


def test_the_page_without_words_shows_the_form(client, users):
    client.force_login(users["viewer"])
    response = search_page(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label' in page and 'type="search"' in page
    assert "results for" not in page


def test_the_page_heads_its_results_with_their_count(client, users, plan_records):
    client.force_login(users["viewer"])
    page = search_page(client, q="Q1 progress").content.decode()
    assert "2 results for ‘Q1 progress’" in page
    assert plan_records["report"].get_absolute_url() in page
    assert "<title>2 results for ‘Q1 progress’ - Search" in page


def test_the_page_says_when_nothing_is_found(client, users, plan_records):
    client.force_login(users["viewer"])
    page = search_page(client, q="zebra").content.decode()
    assert "0 results for ‘zebra’" in page
    assert "There are no matching results" in page


def test_words_are_escaped(client, users):
    client.force_login(users["viewer"])
    page = search_page(client, q="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "care\x00leavers"},
        {"q": "%%%_\\"},
        {"q": "care", "kind": "nonsense"},
        {"q": "care", "kind": "actions", "page": "-3"},
        {"q": "care", "kind": "actions", "page": "many"},
        {"q": ["care", "leavers"]},
    ],
)
def test_odd_requests_never_fail(client, users, plan_records, params):
    client.force_login(users["administrator"])
    response = search_page(client, **params)
    assert response.status_code == 200


def test_too_many_words_are_an_error_on_the_field(client, users):
    client.force_login(users["viewer"])
    page = search_page(client, q="x" * 5000).content.decode()
    assert "govuk-error-summary" in page and 'href="#search-q"' in page
    assert "results for" not in page


def test_a_kind_page_shows_all_of_that_kind_with_pages(client, users, plan_records):
    priority = plan_records["priority"]
    ActionFactory.create_batch(25, priority_indicator=priority, description="Mentoring scheme")
    client.force_login(users["viewer"])

    page = search_page(client, q="mentoring").content.decode()
    assert "Show all 25 actions" in page

    page = search_page(client, q="mentoring", kind="actions", page="2").content.decode()
    assert "govuk-pagination" in page
    assert "25 results for ‘mentoring’ in actions" in page


def test_no_role_cannot_search(client, users):
    client.force_login(users["no_role"])
    assert search_page(client, q="care").status_code == 403


def test_the_small_search_box_for_other_pages():
    from django.template.loader import render_to_string

    html = render_to_string("partial/search_form.html")
    assert f'action="{reverse("search:results")}"' in html and 'method="get"' in html
    assert '<label class="govuk-label govuk-visually-hidden" for="app-search-box-q">' in html
    assert 'id="app-search-box-q" name="q" type="search"' in html


def test_search_is_in_the_service_navigation_and_on_home(client, users):
    client.force_login(users["viewer"])
    page = client.get(reverse("home")).content.decode()
    assert f'<a class="govuk-service-navigation__link" href="{reverse("search:results")}"' in page
    assert 'id="app-search-box-q"' in page


def test_the_hint_names_the_kinds_this_person_may_search_in_the_council_s_words(client, users):
    council_save(actor=users["administrator"], name="Examplebury", outcome_plural="ambitions")
    client.force_login(users["viewer"])
    page = search_page(client).content.decode()
    assert (
        "Strategies, ambitions, indicators, actions, children and young people&#x27;s views "
        "and reports. Results" in page
    )
    client.force_login(users["administrator"])
    assert "views, reports and people. Results" in search_page(client).content.decode()


def test_a_kind_this_person_may_not_search_is_not_searched(client, users):
    UserFactory(full_name="Kinship Worker")
    client.force_login(users["viewer"])
    response = search_page(client, q="kinship", kind="people")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kinship Worker" not in page and " in people" not in page
