"""The plan and strategy documents in the shapes other councils write them (issue 13, items
2 to 5): delivery and outcome priorities numbered across both kinds, with commitments, a plan
heading that is not an outcome and numbered actions; and statements that fold priorities
numbered across the strategy. All the content is invented for the tests."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from actionplans import services as plan_services
from actionplans.models import ActionPlan, PriorityIndicator
from lacstrategy.services import council_save
from outcomes.models import Commitment, Indicator, Outcome, OutcomeGroup, Strategy, StrategySection
from reports import documents
from reports.selectors import plan_document, strategy_document
from tests.test_council_words import WORDS, answer_text, defaults_in, docx_text, visible_text
from tests.test_reports import pdf_text

pytestmark = pytest.mark.django_db

DELIVERY = ["Reduce numbers in care", "Reduce costs of care", "Stable homes", "Fewer moves"]
OUTCOME = [f"Young people thrive, part {n}" for n in range(5, 12)]


def add_priority(plan, outcome, *, order=0, **fields):
    indicator = Indicator.objects.create(
        outcome=outcome, title=f"{outcome.statement}: progress", unit="qualitative"
    )
    return PriorityIndicator.objects.create(
        action_plan=plan, indicator=indicator, order=order, **fields
    )


def build_kinds(actor, *, actions_each=1):
    """4 delivery and 7 outcome priorities numbered 1 to 11, each with commitments and a
    numbered action; "Corporate parenting" as a plan heading; action 1 also serves 3, 5, 9."""
    council_save(
        actor=actor,
        name="Examplebury Council",
        outcome_singular="priority",
        outcome_plural="priorities",
        priority_singular="focus area",
        priority_plural="focus areas",
    )
    strategy = Strategy.objects.create(
        title="Children in Care Strategy 2016-19",
        period_start=datetime.date(2016, 4, 1),
        period_end=datetime.date(2019, 3, 31),
        vision="Every child in care has a good home.",
        principles="Listen first",
        status=Strategy.Status.DRAFT,
        version_label="Draft v3",
        version_date=datetime.date(2016, 4, 4),
    )
    for order, heading in [(2, "Governance"), (1, "Our approach"), (3, "Sufficiency statement")]:
        StrategySection.objects.create(
            strategy=strategy,
            heading=heading,
            body=f"{heading}, first paragraph.\n\n{heading}, second paragraph.",
            order=order,
        )
    plan = ActionPlan.objects.create(strategy=strategy, financial_year_start=2016)
    priorities = {}
    statements = [("delivery", s) for s in DELIVERY] + [("outcome", s) for s in OUTCOME]
    # Outcome priorities first in the council's order: the kind, not the order, heads them.
    for number, (kind, statement) in enumerate(statements, start=1):
        order = number + 10 if kind == "delivery" else number
        outcome = Outcome.objects.create(
            strategy=strategy, number=number, statement=statement, kind=kind, order=order
        )
        for position in (1, 2):
            Commitment.objects.create(
                outcome=outcome, text=f"We will do thing {position} for {number}.", order=position
            )
        priorities[number] = add_priority(plan, outcome)
    heading = Outcome.objects.create(
        strategy=strategy, number=12, statement="Corporate parenting", kind="heading", order=20
    )
    priorities[12] = add_priority(plan, heading)
    actions = {}
    reference = 0
    for number, priority in priorities.items():
        for _ in range(actions_each):
            reference += 1
            actions[reference] = plan_services.action_create(
                priority_indicator=priority,
                actor=actor,
                reference=str(reference),
                description=f"Action for {number}",
                target_text="Sep 16" if number == 1 else "",
                undertaken_by="JB",
            )
    first = actions[1]
    plan_services.action_update(
        action=first,
        actor=actor,
        also_serves=[priorities[3], priorities[5], priorities[9]],
        commitments=[Commitment.objects.get(outcome__number=1, order=1)],
        comment="Agreed at the board",
    )
    plan_services.priority_indicator_update(
        priority_indicator=priorities[5],
        actor=actor,
        origin="survey",
        origin_detail="Your Life survey 2015",
        survey_rating="red",
        rationale="Young people told us they move too often.",
    )
    return strategy, plan


def build_groups(*, numbering=Strategy.Numbering.STRATEGY, plan=True):
    """13 priorities folded into 6 statements, numbered 1 to 13 across the strategy."""
    strategy = Strategy.objects.create(
        title="Children in Care Strategy",
        period_start=datetime.date(2016, 4, 1),
        period_end=datetime.date(2019, 3, 31),
        outcome_numbering=numbering,
    )
    action_plan = ActionPlan.objects.create(strategy=strategy, financial_year_start=2016)
    number = 0
    for group_number, size in enumerate([3, 2, 2, 2, 2, 2], start=1):
        group = OutcomeGroup.objects.create(
            strategy=strategy,
            number=group_number,
            title=f"Statement {group_number} title",
            description=f"What statement {group_number} means.",
        )
        for place in range(1, size + 1):
            number += 1
            outcome = Outcome.objects.create(
                strategy=strategy,
                group=group,
                number=number if numbering == Strategy.Numbering.STRATEGY else place,
                statement=f"Statement {number}",
                order=0,
            )
            if plan:
                add_priority(action_plan, outcome)
    return strategy, action_plan


@pytest.fixture
def kinds(users):
    return build_kinds(users["administrator"])


@pytest.fixture
def groups(users):
    council_save(
        actor=users["administrator"],
        name="Sampleshire Council",
        outcome_singular="strategic priority",
        outcome_plural="strategic priorities",
        group_singular="strategic priority statement",
        group_plural="strategic priority statements",
    )
    return build_groups()


def order_of(text, *phrases):
    positions = [text.find(phrase) for phrase in phrases]
    assert -1 not in positions, dict(zip(phrases, positions, strict=True))
    return positions == sorted(positions)


def plan_html(client, users, plan):
    client.force_login(users["viewer"])
    return client.get(reverse("reports:plan_document", args=[plan.pk])).content.decode()


def test_the_plan_puts_priorities_under_their_kinds_and_plan_headings_last(client, users, kinds):
    _, plan = kinds
    html = plan_html(client, users, plan)
    text = visible_text(html)
    assert order_of(
        text,
        "Delivery priorities",
        "Delivery priority 1: Reduce numbers in care",
        "Delivery priority 4: Fewer moves",
        "Outcome priorities",
        "Outcome priority 5: Young people thrive, part 5",
        "Outcome priority 11:",
        "Corporate parenting",
    )
    assert "<h2>Delivery priorities</h2>" in html and "<h2>Corporate parenting</h2>" in html
    assert "<h3>Delivery priority 1: Reduce numbers in care</h3>" in html
    # The plan heading is not a priority: no number, no owners row.
    assert "priority 12" not in text.lower()
    corporate = text[text.index("Corporate parenting") :]
    assert "Responsible" not in corporate.split("Action for 12")[0]


def test_the_plan_numbers_actions_and_says_what_else_they_serve(client, users, kinds):
    _, plan = kinds
    html = plan_html(client, users, plan)
    assert '<th scope="col">No.</th><th scope="col">Action</th>' in html
    assert re.search(r"<tr><td>1</td><td><p[^>]*>Action for 1</p>", html)
    text = visible_text(html)
    assert "Also serves: Priority 3, Priority 5, Priority 9" in text
    assert "Comment: Agreed at the board" in text


def test_the_plan_says_where_each_priority_came_from_and_why(client, users, kinds):
    _, plan = kinds
    text = visible_text(plan_html(client, users, plan))
    assert (
        "Why it was chosen Young people thrive, part 5: progress : Young people told us they "
        "move too often. Where it came from: Children and young people's survey (Your Life "
        "survey 2015), rated Red"
    ) in text


def test_the_plan_ends_with_the_commitments_no_action_delivers(client, users, kinds):
    _, plan = kinds
    text = visible_text(plan_html(client, users, plan))
    end = text[text.index("Commitments with no action in 2016/17") :]
    assert order_of(  # in the document's order: delivery priorities first
        end,
        "Priority 1 We will do thing 2 for 1.",
        "Priority 2 We will do thing 1 for 2.",
        "Priority 5 We will do thing 1 for 5.",
    )
    assert "We will do thing 1 for 1." not in end  # action 1 delivers it
    assert end.count("We will do thing") == 21


def test_the_plan_folds_priorities_under_their_statements(client, users, groups):
    _, plan = groups
    html = plan_html(client, users, plan)
    text = visible_text(html)
    assert order_of(
        text,
        "Strategic priority statement 1: Statement 1 title",
        "What statement 1 means.",
        "Strategy strategic priority 1: Statement 1",
        "Strategy strategic priority 3:",
        "Strategic priority statement 2: Statement 2 title",
        "Strategy strategic priority 4:",
        "Strategic priority statement 6: Statement 6 title",
        "Strategy strategic priority 13:",
    )
    assert text.count("Strategic priority statement 2:") == 1
    assert "Commitments with no action" not in text  # the strategy has none


def test_numbering_within_each_statement(users):
    council_save(actor=users["administrator"], name="Sampleshire Council")
    _, plan = build_groups(numbering=Strategy.Numbering.GROUP)
    references = [o["reference"] for o in plan_document(action_plan=plan)["outcomes"]]
    assert references[:5] == ["1.1", "1.2", "1.3", "2.1", "2.2"]


def test_the_plan_document_is_as_it_was_including_the_links(users, kinds):
    _, plan = kinds
    action = plan.priority_indicators.get(indicator__outcome__number=2).actions.get()
    before = timezone.now()
    plan_services.action_update(
        action=action,
        actor=users["administrator"],
        also_serves=[plan.priority_indicators.get(indicator__outcome__number=4)],
        commitments=[Commitment.objects.get(outcome__number=2, order=2)],
    )

    def serves_and_missing(moment):
        data = plan_document(action_plan=plan, as_at=moment)
        serves = {a["reference"]: a["also_serves"] for o in data["outcomes"] for a in o["actions"]}
        missing = [c["text"] for c in data["commitments_without_action"]]
        return serves["2"], "We will do thing 2 for 2." in missing

    assert serves_and_missing(before) == ([], True)
    assert serves_and_missing(None) == (["Priority 4"], False)


def test_the_plan_word_document(client, users, kinds):
    _, plan = kinds
    client.force_login(users["viewer"])
    document = Document(
        io.BytesIO(client.get(reverse("reports:plan_docx", args=[plan.pk])).content)
    )
    headings = [(p.style.name, p.text) for p in document.paragraphs if "Heading" in p.style.name]
    assert ("Heading 1", "Delivery priorities") in headings
    assert ("Heading 2", "Delivery priority 1: Reduce numbers in care") in headings
    corporate = headings.index(("Heading 1", "Corporate parenting"))
    assert headings[corporate + 1][0] == "Heading 2"  # how it will be achieved
    assert ("Heading 1", "Commitments with no action in 2016/17") in headings
    assert not [text for _, text in headings if "12" in text]
    actions = document.tables[1]
    assert [c.text for c in actions.rows[0].cells][:2] == ["No.", "Action"]
    assert actions.rows[1].cells[0].text == "1"
    assert "Also serves: Priority 3, Priority 5, Priority 9" in actions.rows[1].cells[1].text
    text = docx_text(client.get(reverse("reports:plan_docx", args=[plan.pk])).content)
    assert "Where it came from: Children and young people's survey (Your Life survey" in text


def test_the_plan_workbook(client, users, kinds):
    _, plan = kinds
    client.force_login(users["viewer"])
    book = load_workbook(
        io.BytesIO(client.get(reverse("reports:plan_xlsx", args=[plan.pk])).content)
    )
    sheet = book["Action plan"]
    header = [c.value for c in sheet[2]]
    assert header == [
        "Section",
        "Priority number",
        "Priority",
        "Priority owners",
        "Focus areas",
        "Why chosen",
        "No.",
        "Action",
        "Also serves",
        "This work will be undertaken by",
        "Target date for completion",
        "Status",
        "RAG",
        "Comment",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    first = rows[0]
    assert first[:3] == ["Delivery priorities", 1, "Reduce numbers in care"]
    assert first[6:9] == ["1", "Action for 1", "Priority 3, Priority 5, Priority 9"]
    assert first[-1] == "Agreed at the board"
    fifth = next(row for row in rows if row[1] == 5)
    assert "rated Red" in fifth[5] and "move too often" in fifth[5]
    corporate = rows[-1]
    assert corporate[:3] == ["Corporate parenting", None, "Corporate parenting"]
    missing = [[c.value for c in row] for row in book["Commitments with no action"].iter_rows()]
    assert missing[0] == ["Priority", "Commitment"] and len(missing) == 22


def test_the_strategy_document(client, users, kinds):
    strategy, plan = kinds
    client.force_login(users["viewer"])
    html = client.get(reverse("reports:strategy_document", args=[strategy.pk])).content.decode()
    text = visible_text(html)
    assert text.index("Draft v3, 4 April 2016") < text.index("Vision")
    assert order_of(
        text,
        "Our approach Our approach, first paragraph. Our approach, second paragraph.",
        "Governance Governance, first paragraph.",
        "Sufficiency statement",
        "Delivery priorities",
        "Delivery priority 1: Reduce numbers in care",
        "Outcome priorities",
        "Outcome priority 11:",
    )
    assert "<li>We will do thing 1 for 1.</li><li>We will do thing 2 for 1.</li>" in html
    # A plan heading, not part of the strategy (the national frameworks come after it).
    assert "Corporate parenting" not in text.split("The national frameworks")[0]
    assert (
        "Young people thrive, part 5: progress (2016-17 plan): Young people told us they move "
        "too often. Where it came from: Children and young people's survey"
    ) in text


def test_an_approved_strategy_shows_no_draft_version(client, users, kinds):
    strategy, _ = kinds
    Strategy.objects.filter(pk=strategy.pk).update(
        status="approved", approved_by="Board", approved_on=datetime.date(2016, 6, 1)
    )
    strategy.refresh_from_db()
    assert strategy_document(strategy=strategy)["version"] == ""


def test_the_strategy_word_document(client, users, kinds):
    strategy, _ = kinds
    client.force_login(users["viewer"])
    content = client.get(reverse("reports:strategy_docx", args=[strategy.pk])).content
    document = Document(io.BytesIO(content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [text for _, text in paragraphs]
    assert texts.index("Draft v3, 4 April 2016") < texts.index("Vision")
    headings = [text for style, text in paragraphs if style.startswith("Heading 1")]
    assert headings[2:6] == ["Our approach", "Governance", "Sufficiency statement", "Priorities"]
    assert ("Heading 2", "Delivery priorities") in paragraphs
    assert ("Heading 3", "Delivery priority 1: Reduce numbers in care") in paragraphs
    assert ("List Bullet", "We will do thing 2 for 1.") in paragraphs


def test_the_strategy_workbook(client, users, kinds):
    strategy, _ = kinds
    client.force_login(users["viewer"])
    content = client.get(reverse("reports:strategy_xlsx", args=[strategy.pk])).content
    book = load_workbook(io.BytesIO(content))
    rows = [[c.value for c in row][:2] for row in book["Strategy"].iter_rows(min_row=3)]
    assert rows[0] == ["Version", "Draft v3, 4 April 2016"]
    assert [
        "Our approach",
        "Our approach, first paragraph.\n\nOur approach, second paragraph.",
    ] in rows
    first = rows.index([None, "Delivery priorities"])
    assert rows[first + 1] == ["Delivery priority 1", "Reduce numbers in care"]
    assert ["Commitments", "We will do thing 1 for 1.\nWe will do thing 2 for 1."] in rows
    assert [None, "Outcome priorities"] in rows


def test_the_strategy_folds_priorities_under_statements_with_their_descriptions(
    client, users, groups
):
    strategy, _ = groups
    client.force_login(users["viewer"])
    html = client.get(reverse("reports:strategy_document", args=[strategy.pk])).content.decode()
    assert order_of(
        visible_text(html),
        "Strategic priority statement 1: Statement 1 title What statement 1 means.",
        "Strategic priority 1: Statement 1",
        "Strategic priority statement 2: Statement 2 title",
        "Strategic priority 4: Statement 4",
    )
    assert "<h4>Strategic priority 4: Statement 4</h4>" in html


def test_the_plan_pdf_shows_the_kinds_and_numbers(users, kinds):
    _, plan = kinds
    pdf = documents.render_pdf(
        "reports/plan_document.html", {"data": plan_document(action_plan=plan), "plan": plan}
    )
    text = " ".join(pdf_text(pdf).split())
    assert order_of(
        text,
        "Delivery priorities",
        "Delivery priority 1: Reduce numbers in care",
        "Also serves: Priority 3, Priority 5, Priority 9",
        "Outcome priorities",
        "Corporate parenting",
        "Commitments with no action in 2016/17",
    )


def test_the_new_parts_of_the_documents_are_in_the_councils_words(client, users):
    council_save(
        actor=users["administrator"],
        name="Testshire County Council",
        **WORDS,
    )
    strategy, plan = build_groups()
    first, second = plan.priority_indicators.order_by("pk")[:2]
    Commitment.objects.create(outcome=first.indicator.outcome, text="We will listen.")
    plan_services.priority_indicator_update(
        priority_indicator=first, actor=users["administrator"], origin="jsna", rationale="Need"
    )
    plan_services.action_create(
        priority_indicator=first,
        actor=users["administrator"],
        reference="7",
        description="Act",
        also_serves=[second],
    )
    client.force_login(users["viewer"])
    for name, pk, shown in [
        ("reports:plan_document", plan.pk, "Also serves: Zeta aim 2"),
        ("reports:plan_docx", plan.pk, "Also serves: Zeta aim 2"),
        ("reports:plan_xlsx", plan.pk, "Zeta aim 2"),
        ("reports:strategy_document", strategy.pk, "Omega cluster 1: Statement 1 title"),
        ("reports:strategy_docx", strategy.pk, "Where it came from: Joint Strategic Needs"),
    ]:
        text = answer_text(client.get(reverse(name, args=[pk])))
        assert shown in text, name
        assert "Commitments with no action" in text or "strategy" in name
        assert not defaults_in(text), (name, defaults_in(text))
