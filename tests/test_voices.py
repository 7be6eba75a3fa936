"""Children and young people's views as records, the council's responses, and "You said, we
did": recorded by the participation worker, seen by owners on their update form, and in the
committee and annual reports."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from figures.charts import Series, line_chart_svg, trend_words
from figures.services import figure_save
from lacstrategy.services import EditConflict
from outcomes.models import Indicator
from reports.models import CommitteeReport
from reports.selectors import annual_content, report_content
from reports.word import report_docx
from reviews.services import period_close
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    OutcomeFactory,
    StrategyFactory,
    VoiceFactory,
    VoiceResponseFactory,
)
from tests.test_word import REPORT, open_doc
from voices.models import Voice, VoiceResponse
from voices.services import response_save, voice_save

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_participation_worker_records_a_view_for_a_quarter_from_its_dashboard(
    client, users, plan_records
):
    period, strategy = plan_records["period"], plan_records["plan"].strategy
    outcome, action = plan_records["outcome"], plan_records["action"]
    client.force_login(users["participation_worker"])
    dashboard = client.get(period.get_absolute_url()).content.decode()
    create_url = reverse("voices:voice_create", args=[strategy.pk]) + f"?period={period.pk}"
    assert escape(create_url) in dashboard

    odd = reverse("voices:voice_create", args=[strategy.pk]) + "?period=²"
    assert client.get(odd).status_code == 200
    form = client.get(create_url).content.decode()
    # From the dashboard, the quarter and the children's council are chosen already.
    assert f'<option value="{period.pk}" selected>' in form
    assert re.search(r'value="cicc"\s+checked', form)
    response = client.post(
        create_url,
        {
            "said": "We want fewer meetings about us",
            "source": "cicc",
            "source_name": "",
            **_date("heard_on", datetime.date(2016, 6, 20)),
            "period": period.pk,
            "outcomes": [outcome.pk],
            "actions": [action.pk],
        },
    )
    assert response.status_code == 302
    voice = Voice.objects.get(said="We want fewer meetings about us")
    assert response["Location"] == voice.get_absolute_url()
    assert list(voice.outcomes.all()) == [outcome] and list(voice.actions.all()) == [action]
    created = voice.history.get()
    assert created.history_user == users["participation_worker"]
    assert created.history_change_reason.startswith("View recorded")
    assert (
        "We want fewer meetings about us" in client.get(period.get_absolute_url()).content.decode()
    )


def test_a_view_cannot_be_about_another_strategy(client, users, plan_records):
    strategy = plan_records["plan"].strategy
    elsewhere = OutcomeFactory(strategy=StrategyFactory())
    client.force_login(users["participation_worker"])
    response = client.post(
        reverse("voices:voice_create", args=[strategy.pk]),
        {
            "said": "Somewhere else",
            "source": "survey",
            **_date("heard_on", datetime.date(2016, 6, 20)),
            "outcomes": [elsewhere.pk],
        },
    )
    assert response.status_code == 400
    assert "Select one of the outcomes choices shown" in response.content.decode()
    assert not Voice.objects.filter(said="Somewhere else").exists()
    # The service keeps the rule too, for imports and scripts.
    with pytest.raises(ValidationError) as refused:
        voice_save(
            voice=Voice(strategy=strategy, recorded_by=users["participation_worker"]),
            actor=users["participation_worker"],
            said="Somewhere else",
            source="survey",
            heard_on=datetime.date(2016, 6, 20),
            outcomes=[elsewhere],
        )
    assert "outcomes" in refused.value.message_dict


def test_a_closed_quarters_views_stay_as_the_review_saw_them(client, users, plan_records):
    period, voice = plan_records["period"], plan_records["voice"]
    period_close(period=period, actor=users["administrator"], reason="Reviewed")
    client.force_login(users["participation_worker"])

    refused = client.get(reverse("voices:voice_edit", args=[voice.pk]))
    assert refused.status_code == 403
    assert "review that is now closed" in refused.content.decode()
    # A new view cannot be put into the closed quarter either: said against the field.
    response = client.post(
        reverse("voices:voice_create", args=[period.action_plan.strategy_id]),
        {
            "said": "Late words",
            "source": "cicc",
            **_date("heard_on", datetime.date(2016, 6, 20)),
            "period": period.pk,
        },
    )
    assert response.status_code == 400
    assert "review is closed" in response.content.decode()
    assert not Voice.objects.filter(said="Late words").exists()
    # Its response can still move on: the work goes on after the meeting.
    assert client.get(reverse("voices:response_edit", args=[voice.pk])).status_code == 200


def test_a_response_is_made_then_moved_on_with_its_history(client, users, plan_records):
    voice = plan_records["voice"]
    client.force_login(users["participation_worker"])
    url = reverse("voices:response_edit", args=[voice.pk])
    data = {
        "we_did": "Time on your own at every visit",
        "who": "Group Manager, Children in Care",
        **_date("due_on", datetime.date(2017, 3, 31)),
        "status": "planned",
    }
    assert client.post(url, data).status_code == 302
    # A double click: the same again changes nothing and is not an error.
    assert client.post(url, data).status_code == 302
    response = VoiceResponse.objects.get(voice=voice)
    assert response.version == 1 and response.history.count() == 1

    page = client.get(voice.get_absolute_url()).content.decode()
    assert 'govuk-tag--blue">We will do this' in page
    form = client.get(url).content.decode()
    assert 'name="seen_version" value="1"' in form
    client.post(url, {**data, "status": "done", "seen_version": 1, "change_reason": "Done"})
    response.refresh_from_db()
    assert response.status == "done" and response.history.count() == 2
    listing = client.get(reverse("voices:you_said_we_did", args=[voice.strategy_id]))
    assert 'govuk-tag--green">Done' in listing.content.decode()


def test_two_people_answering_a_view_at_once_do_not_overwrite_each_other(users, plan_records):
    voice = plan_records["voice"]
    first = {"we_did": "One answer", "who": "Team A", "status": "planned"}
    response_save(voice=voice, actor=users["participation_worker"], **first)
    with pytest.raises(EditConflict):
        response_save(
            voice=voice,
            actor=users["administrator"],
            we_did="Another answer",
            who="Team B",
            status="planned",
        )
    assert VoiceResponse.objects.get(voice=voice).we_did == "One answer"


def test_the_list_filters_by_response_and_says_when_nothing_matches(client, users, plan_records):
    strategy = plan_records["plan"].strategy
    answered = VoiceResponseFactory(voice=VoiceFactory(strategy=strategy, said="Answered one"))
    client.force_login(users["viewer"])
    url = reverse("voices:you_said_we_did", args=[strategy.pk])

    page = client.get(url, {"status": "none"}).content.decode()
    assert plan_records["voice"].said in page and "Answered one" not in page
    filter_form = page[page.index('<form method="get"') :].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in filter_form  # a filter's address carries no secret
    page = client.get(url, {"status": answered.status}).content.decode()
    assert "Answered one" in page and plan_records["voice"].said not in page
    page = client.get(url, {"status": "done"}).content.decode()
    assert "No views match the filter" in page
    # A changed link: said, and every view shown.
    page = client.get(url, {"status": "everything"}).content.decode()
    assert "the link asks for one there is not" in page and "Answered one" in page


def test_the_owner_sees_what_was_said_about_their_outcome_on_the_update_form(
    client, users, plan_records
):
    period, outcome = plan_records["period"], plan_records["outcome"]
    strategy = outcome.strategy
    # About the outcome through one of its actions; another about someone else's outcome.
    about_action = VoiceFactory(
        strategy=strategy, said="The action helped", heard_on=period.starts_on
    )
    about_action.actions.set([plan_records["action"]])
    other = VoiceFactory(strategy=strategy, said="Not about yours", heard_on=period.starts_on)
    other.outcomes.set([plan_records["other_outcome"]])
    client.force_login(users["outcome_owner"])
    page = client.get(reverse("reviews:update_form", args=[period.pk, outcome.pk])).content.decode()
    assert "The action helped" in page and "Not about yours" not in page
    assert "this year (1)" in page


def test_a_committee_report_says_what_was_said_and_done_as_at_its_moment(users, plan_records):
    period, voice = plan_records["period"], plan_records["voice"]
    report = CommitteeReport.objects.create(
        period=period, body="A committee", meeting_on=period.meeting_on, title="Q1"
    )
    before_response = timezone.now()
    response_save(
        voice=voice,
        actor=users["participation_worker"],
        we_did="Done it",
        who="Team",
        status="done",
    )
    now = report_content(report=report, as_at=None, charts=False)["you_said_we_did"]
    assert [(row["said"], row["we_did"], row["status"]) for row in now] == [
        (voice.said, "Done it", "Done")
    ]
    then = report_content(report=report, as_at=before_response, charts=False)["you_said_we_did"]
    assert [(row["said"], row["status"]) for row in then] == [(voice.said, "No response yet")]


def test_the_annual_report_has_the_years_you_said_we_did(users, plan_records):
    plan = plan_records["plan"]
    in_year = VoiceFactory(strategy=plan.strategy, heard_on=plan.starts_on, said="In the year")
    VoiceResponseFactory(voice=in_year)
    VoiceFactory(
        strategy=plan.strategy,
        heard_on=plan.ends_on + datetime.timedelta(days=1),
        said="The next year",
    )
    rows = annual_content(action_plan=plan)["you_said_we_did"]
    said = [row["said"] for row in rows]
    assert "In the year" in said and "The next year" not in said
    assert rows[said.index("In the year")]["we_did"] == in_year.response.we_did


@pytest.mark.parametrize("size", [2, 30])
def test_you_said_we_did_queries_do_not_grow(
    client, users, plan_records, django_assert_max_num_queries, size
):
    strategy = plan_records["plan"].strategy
    outcomes = [plan_records["outcome"], plan_records["other_outcome"]]
    for n in range(size):
        voice = VoiceFactory(strategy=strategy, recorded_by=users["participation_worker"])
        voice.outcomes.set(outcomes)
        voice.actions.set([ActionFactory(priority_indicator=plan_records["priority"])])
        if n % 2:
            VoiceResponseFactory(voice=voice)
    client.force_login(users["viewer"])
    with django_assert_max_num_queries(YOU_SAID_WE_DID_QUERIES):
        response = client.get(reverse("voices:you_said_we_did", args=[strategy.pk]))
    assert response.content.decode().count('class="govuk-summary-card"') == min(size + 1, 25)


YOU_SAID_WE_DID_QUERIES = 9


def test_the_word_report_says_what_was_done_in_the_status_s_words():
    rows = [
        {
            "said": "Meetings after college",
            "source": "Children in Care Council meeting",
            "heard_on": "2016-09-06",
            "we_did": "You choose the time",
            "who": "Leaving Care Team Manager",
            "due_on": "2016-12-31",
            "status": "Done",
        },
        {
            "said": "Practise living alone",
            "source": "Consultation",
            "heard_on": "2016-11-03",
            "we_did": "",
            "who": "",
            "due_on": "",
            "status": "No response yet",
        },
    ]
    texts = [p.text for p in open_doc(report_docx({**REPORT, "you_said_we_did": rows})).paragraphs]
    start = texts.index("You said, we did")
    assert texts[start + 1 : start + 7] == [
        "Meetings after college",
        "Children in Care Council meeting, 6 September 2016",
        "Done: You choose the time (Leaving Care Team Manager, by 31 December 2016)",
        "Practise living alone",
        "Consultation, 3 November 2016",
        "No response yet.",
    ]


def test_young_people_s_survey_ratings_are_figures_of_an_indicator_relying_on_their_views(
    client, users, plan_records
):
    rating = IndicatorFactory(
        outcome=plan_records["outcome"],
        title="Young people's rating of our promise to listen",
        unit=Indicator.Unit.RATING,
        views_based=True,
    )
    admin = users["administrator"]
    for year, value in [(2015, 1), (2016, 2), (2017, 3)]:
        figure_save(
            indicator=rating,
            period_end=datetime.date(year, 3, 31),
            actor=admin,
            period_label=f"Survey {year}",
            value=Decimal(value),
            source="Your Life, Your Care survey",
        )
    with pytest.raises(ValidationError) as refused:
        figure_save(
            indicator=rating,
            period_end=datetime.date(2018, 3, 31),
            actor=admin,
            period_label="Survey 2018",
            value=Decimal("2.5"),
        )
    assert "1 (red), 2 (amber) or 3 (green)" in str(refused.value)
    # Said in words on its page, and in its chart: the axis and the text alternative.
    client.force_login(users["viewer"])
    page = client.get(rating.get_absolute_url()).content.decode()
    assert "Green" in page and "Amber" in page
    chart = line_chart_svg(
        title=rating.title,
        description="",
        periods=["2015", "2016", "2017"],
        series=[Series("Us", [1, 2, 3], "council")],
        unit=Indicator.Unit.RATING,
    )
    assert all(f">{words}</text>" in chart for words in ("Red", "Amber", "Green"))
    assert "Rose from Red in 2015 to Green in 2017" in trend_words(
        periods=["2015", "2016", "2017"],
        series=[Series("Us", [1, 2, 3], "council")],
        unit=Indicator.Unit.RATING,
    )
