"""Bringing an action plan in from the spreadsheet template, and taking it out the same way."""

import datetime
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actionplans import services
from actionplans.models import Action, ActionPlan, PlanImport, PriorityIndicator
from actionplans.plan_import import plan_import_preview, target_date_from_words
from actionplans.plan_template import COLUMN_BY_KEY, COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES
from outcomes.models import Indicator, Outcome
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    OutcomeFactory,
    PlanImportFactory,
    PriorityIndicatorFactory,
    StrategyFactory,
    UserFactory,
)

HEADERS = [
    "OUTCOME NUMBER",
    "Outcome",
    "Outcome  owners",
    "Priority area",
    "Action",
    "Measure",
    "This work will be undertaken by",
    "Lead users",
    "Target date",
    "Target in words",
    "C & YP views",
    "status",
    "RAG rating",
    "Comment",
    "Notes for the group",
]


def hand_written_plan(owner, lead, *, corrected=False):
    """A plan typed into the template by a person, as councils lay it out: a title above the
    headings, the outcome merged down its rows, headings spelt their own way, and a column of
    their own. `corrected` is the same file with two rows changed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2016-17"
    sheet["A1"] = "Looked After Children and Care Leavers Strategy: Annual Action Plan 2016-17"
    sheet.append([])
    sheet.append(HEADERS)
    happy = "Looked after children and care leavers are happy and healthy"
    safe = "Looked after children and care leavers are safe"
    rows = [
        [
            1,
            happy,
            owner.email.upper(),
            "Children and young people have good emotional wellbeing",
            "Review current emotional and mental health provision",
            "A report to the Strategy Group",
            "Mental Health and Wellbeing Programme Lead",
            lead.email,
            None,
            "March 2017",
            "",
            "On track",
            "Green",
            "",
            "ask the CiCC",
        ],
        [
            None,
            None,
            None,
            "Children and young people have good emotional wellbeing",
            "Scope the mental health needs of unaccompanied asylum seeking children",
            "",
            "Mental Health and Wellbeing Programme Lead",
            "",
            datetime.datetime(2017, 3, 31),
            "",
            "",
            "Not started",
            "",
            "",
            "",
        ],
        [
            None,
            None,
            None,
            "Children and young people have their health needs assessed when they enter care",
            "Develop a quality assurance tool for health assessments",
            "",
            "Designated Nurse (LAC)",
            f"{lead.email}; {owner.email}",
            "31/07/2017",
            "",
            "Young people asked for health assessments out of school hours",
            "at risk",
            "A",
            "=starts like a formula",
            "",
        ],
        [
            2,
            safe,
            owner.email,
            "Children are safe from going missing",
            "Return interviews for every child who goes missing",
            "",
            "Missing Children's Team",
            "",
            None,
            "Ongoing - review 6 monthly",
            "",
            "Complete" if corrected else "On track",
            "green",
            "",
            "",
        ],
    ]
    if corrected:
        rows[1][8] = datetime.datetime(2017, 6, 30)
    for row in rows:
        sheet.append(row)
    sheet["N6"].data_type = "s"  # typed in Excel as '=starts ...: text, not a formula
    for column in "ABC":
        sheet.merge_cells(f"{column}4:{column}6")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def empty_plan(users):
    strategy = StrategyFactory()
    return ActionPlanFactory(strategy=strategy, financial_year_start=2016)


def _import(plan, data, actor, file_name="plan.xlsx"):
    pending = services.plan_import_create(
        action_plan=plan, actor=actor, file_name=file_name, data=data
    )
    preview = plan_import_preview(plan=plan, file_name=file_name, data=data, actor=actor)
    assert preview.errors == []
    services.plan_import_apply(plan_import=pending, actor=actor, fingerprint=preview.fingerprint)
    return preview


def _plan_state(plan):
    """Everything an import could change, and how many history rows each record has."""
    actions = Action.objects.filter(priority_indicator__action_plan=plan).order_by("pk")
    outcomes = Outcome.objects.filter(strategy=plan.strategy).order_by("pk")
    return {
        "actions": [
            (
                a.pk,
                a.priority_indicator_id,
                a.description,
                a.measure,
                a.undertaken_by,
                a.target_date,
                a.target_text,
                a.cyp_views,
                a.status,
                a.rag,
                a.comment,
                a.order,
                a.version,
                a.reference,
                sorted(a.lead_users.values_list("pk", flat=True)),
                sorted(a.also_serves.values_list("pk", flat=True)),
                a.history.count(),
            )
            for a in actions
        ],
        "outcomes": [
            (o.pk, o.statement, o.kind, o.version, sorted(o.owners.values_list("pk", flat=True)))
            for o in outcomes
        ],
        "priorities": list(
            PriorityIndicator.objects.filter(action_plan=plan).values_list("pk", "version")
        ),
        "indicators": list(
            Indicator.objects.filter(outcome__strategy=plan.strategy).values_list("pk", "title")
        ),
    }


def test_a_hand_written_plan_is_imported_then_a_corrected_copy_changes_only_its_rows(
    empty_plan, users
):
    admin, owner = users["administrator"], users["outcome_owner"]
    lead = users["strategy_group_member"]
    data = hand_written_plan(owner, lead)

    preview = plan_import_preview(plan=empty_plan, file_name="plan.xlsx", data=data, actor=admin)
    assert preview.errors == []
    assert preview.columns_read == [
        "'Priority area' read as Priority indicator",
        "'This work will be undertaken by' read as Undertaken by",
        "'RAG rating' read as RAG",
        "'Notes for the group' left out: the import has no such column",
    ]
    # 2 outcomes, 3 indicators, 3 priority indicators, 4 actions
    assert preview.created_count == 12
    assert Action.objects.count() == 0  # a preview saves nothing

    _import(empty_plan, data, admin)
    happy, safe = Outcome.objects.filter(strategy=empty_plan.strategy).order_by("number")
    assert happy.statement.startswith("Looked after children and care leavers are happy")
    assert list(happy.owners.all()) == [owner]  # the e-mail matched ignoring case
    assert list(safe.owners.all()) == [owner]
    review, scope, tool = Action.objects.filter(
        priority_indicator__indicator__outcome=happy
    ).order_by("pk")
    assert review.status == "on_track" and review.rag == "green"
    assert review.target_text == "March 2017" and review.target_date is None
    assert list(review.lead_users.all()) == [lead]
    assert scope.target_date == datetime.date(2017, 3, 31)  # merged outcome cells carried down
    assert scope.status == "not_started" and scope.rag == ""
    assert tool.target_date == datetime.date(2017, 7, 31)
    assert tool.status == "at_risk" and tool.rag == "amber"
    assert set(tool.lead_users.all()) == {lead, owner}
    assert tool.comment == "=starts like a formula"
    assert tool.cyp_views.startswith("Young people asked")
    assert tool.history.latest().history_change_reason == "Imported from plan.xlsx"
    assert tool.history.latest().history_user == admin
    new_indicator = tool.priority_indicator.indicator
    assert new_indicator.unit == Indicator.Unit.QUALITATIVE
    assert new_indicator.history.latest().history_change_reason == "Imported from plan.xlsx"

    before = _plan_state(empty_plan)
    again = plan_import_preview(plan=empty_plan, file_name="plan.xlsx", data=data, actor=admin)
    assert again.errors == [] and again.writes == []
    assert _plan_state(empty_plan) == before  # the same file twice: no duplicates

    corrected = hand_written_plan(owner, lead, corrected=True)
    preview = _import(empty_plan, corrected, admin, file_name="plan corrected.xlsx")
    assert preview.created_count == 0
    assert [(p.kind, p.row) for p in preview.writes] == [("action", 5), ("action", 7)]
    after = _plan_state(empty_plan)
    changed = {
        row[0] for row, old in zip(after["actions"], before["actions"], strict=True) if row != old
    }
    missing = Action.objects.get(description__startswith="Return interviews")
    scope.refresh_from_db()
    assert changed == {scope.pk, missing.pk}
    assert scope.target_date == datetime.date(2017, 6, 30)
    assert missing.status == "complete"
    assert missing.history.latest().history_change_reason == "Imported from plan corrected.xlsx"
    assert {k: v for k, v in after.items() if k != "actions"} == {
        k: v for k, v in before.items() if k != "actions"
    }


def test_exporting_and_importing_again_leaves_the_database_unchanged(plan_records, users):
    plan = plan_records["plan"]
    action = plan_records["action"]
    action.description = "- a bullet first\r\n- and a second line  "
    action.comment = '@SUM(A1:A2) and +44 and =HYPERLINK("http://example.org")'
    action.measure = "-1+2"
    action.undertaken_by = "'=starts with an apostrophe"
    action.cyp_views = "Line one\x0bLine two (a line break pasted from Word)"
    action.target_text = "'quoted'"
    other = plan_records["other_action"]
    other.description = "Too long for a cell " * 2000  # 40,000 characters: the export cuts it
    other.save()
    action.target_date = datetime.date(2017, 1, 31)
    action.rag = "amber"
    action.reference = "2.3"
    action.save()
    outcome = plan_records["outcome"]
    outcome.kind = Outcome.Kind.DELIVERY
    outcome.save()
    heading = OutcomeFactory(
        strategy=plan.strategy, statement="Corporate parenting", kind=Outcome.Kind.HEADING
    )
    ActionFactory(
        priority_indicator=PriorityIndicatorFactory(action_plan=plan, indicator__outcome=heading)
    )
    action.also_serves.set([PriorityIndicatorFactory(action_plan=plan)])
    left = UserFactory(is_active=False)  # a lead who has since left keeps the action
    action.lead_users.set([users["outcome_owner"], users["chair"], left])
    PriorityIndicatorFactory(action_plan=plan)  # a priority without actions yet
    admin = users["administrator"]
    client_data = _export(plan, admin)
    before = _plan_state(plan)

    preview = plan_import_preview(plan=plan, file_name="export.xlsx", data=client_data, actor=admin)
    assert preview.errors == []
    assert preview.writes == []
    pending = services.plan_import_create(
        action_plan=plan, actor=admin, file_name="export.xlsx", data=client_data
    )
    services.plan_import_apply(plan_import=pending, actor=admin, fingerprint=preview.fingerprint)
    assert _plan_state(plan) == before


def _export(plan, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(reverse("actionplans:plan_spreadsheet", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def test_exported_cells_that_look_like_formulas_are_text(plan_records, users):
    action = plan_records["action"]
    action.description = "=cmd|' /C calc'!A0"
    action.comment = "@SUM(1+1)"
    action.measure = "+44 115 977 3000"
    action.undertaken_by = "-2+3"
    action.save()
    sheet = load_workbook(io.BytesIO(_export(plan_records["plan"], users["administrator"])))[
        "Action plan"
    ]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in COLUMNS]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == action.pk)
    cells = {headers[i]: cell for i, cell in enumerate(row)}
    for header in ("Action", "Comment", "Measure", "Undertaken by"):
        assert cells[header].data_type == "s"
        assert cells[header].value.startswith("'")
    for column in sheet.iter_cols():
        for cell in column:
            assert cell.data_type != "f"


def _workbook(rows, keys=None, headers=None):
    """A workbook with the template's columns (`keys`, by default all but the ID) and
    a row for each dict of `rows`."""
    keys = [c.key for c in COLUMNS if c.key != "service_id"] if keys is None else keys
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or [COLUMN_BY_KEY[key].header for key in keys])
    for row in rows:
        sheet.append([row.get(key, "") for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(**values):
    return {
        "outcome_number": 1,
        "outcome": "Looked after children are safe",
        "priority_indicator": "Children have a stable home",
        "action": "Review placement stability",
        "status": "On track",
        "rag": "Green",
    } | values


BAD_FILES = {
    "not a spreadsheet": (b"%PDF-1.7 a report", "not a spreadsheet"),
    "a damaged workbook": (b"PK\x03\x04 this zip was cut short", "may be damaged"),
    "an old .xls workbook": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    "an empty file": (b"", "The file is empty"),
    "an empty sheet": (lambda: _workbook([], keys=[]), "no row of column"),
    "headings but no rows": (lambda: _workbook([]), "no rows under them"),
    "missing required columns": (
        lambda: _workbook([_row()], keys=["outcome_number", "status"]),
        "has no 'Action' column",
    ),
    "a date that isn't one": (
        lambda: _workbook([_row(target_date="the end of March")]),
        "Row 2, column 'Target date': 'the end of March' is not a date",
    ),
    "a status that isn't allowed": (
        lambda: _workbook([_row(status="Nearly there")]),
        "Row 2, column 'Status': 'Nearly there' is not a status. Use one of: Not started",
    ),
    "a RAG that isn't allowed": (
        lambda: _workbook([_row(rag="Purple")]),
        "Row 2, column 'RAG': 'Purple' is not a RAG rating",
    ),
    "an unknown owner e-mail": (
        lambda: _workbook([_row(outcome_owners="nobody@example.org")]),
        "Row 2, column 'Outcome owners': no one with the e-mail address nobody@example.org",
    ),
    "a formula": (
        lambda: _workbook([_row(comment="=1+2")]),
        "Row 2, column 'Comment': the cell holds a formula",
    ),
    "a sheet of 10,000 rows": (
        lambda: _workbook([_row(action=f"Action {n}") for n in range(10_000)]),
        f"has more than {MAX_ROWS:,} rows",
    ),
    "a CSV with a bad row": (
        b"Outcome number,Priority indicator,Action\r\none,Stable homes,Review\r\n",
        "Row 2, column 'Outcome number': 'one' is not an outcome number",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_broken_file_is_refused_with_its_reason_and_saves_nothing(case, plan_records, users):
    data, message = BAD_FILES[case]
    data = data() if callable(data) else data
    plan, admin = plan_records["plan"], users["administrator"]
    before = _plan_state(plan)
    file_name = "plan.csv" if case.startswith("a CSV") else "plan.xlsx"
    preview = plan_import_preview(plan=plan, file_name=file_name, data=data, actor=admin)
    assert any(message in error for error in preview.errors), preview.errors
    assert preview.writes == []
    pending = PlanImportFactory(
        action_plan=plan, file_name=file_name, content=data, uploaded_by=admin
    )
    with pytest.raises(ValidationError):
        services.plan_import_apply(plan_import=pending, actor=admin, fingerprint="")
    assert _plan_state(plan) == before
    assert PlanImport.objects.filter(pk=pending.pk).exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(plan_records, users):
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        services.plan_import_create(
            action_plan=plan_records["plan"],
            actor=users["administrator"],
            file_name="huge.xlsx",
            data=b"x" * (MAX_UPLOAD_BYTES + 1),
        )
    assert not PlanImport.objects.filter(file_name="huge.xlsx").exists()


def test_a_csv_file_is_imported_too(empty_plan, users):
    admin = users["administrator"]
    csv = (
        "outcome number,OUTCOME,priority indicator,action,target date,status,rag\r\n"
        "1,Care leavers are in work,Care leavers in education or training,"
        "Offer every care leaver an apprenticeship interview,31/03/2017,Not started,\r\n"
    ).encode("cp1252")
    _import(empty_plan, csv, admin, file_name="plan.csv")
    action = Action.objects.get()
    assert action.target_date == datetime.date(2017, 3, 31)
    assert action.priority_indicator.indicator.outcome.statement == "Care leavers are in work"


def test_a_row_that_repeats_another_is_reported(empty_plan, users):
    data = _workbook([_row(), _row(status="Complete")])
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=data, actor=users["administrator"]
    )
    assert "Row 3, column 'Action': this is the same action as row 2" in preview.errors


def test_a_reference_from_another_plan_is_refused(plan_records, users):
    elsewhere = ActionFactory()
    data = _workbook([_row(service_id=elsewhere.pk)], keys=[c.key for c in COLUMNS])
    preview = plan_import_preview(
        plan=plan_records["plan"], file_name="p.xlsx", data=data, actor=users["administrator"]
    )
    assert any(
        error.startswith(f"Row 2, column 'ID in this service': there is no action {elsewhere.pk}")
        for error in preview.errors
    )


def test_a_reference_lets_a_corrected_file_reword_an_action(plan_records, users):
    plan, admin = plan_records["plan"], users["administrator"]
    action = plan_records["action"]
    sheet = load_workbook(io.BytesIO(_export(plan, admin)))
    rows = sheet["Action plan"]
    headers = [cell.value for cell in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[0].value == action.pk:
            row[headers.index("Action")].value = "Reworded by the Strategy Group"
    buffer = io.BytesIO()
    sheet.save(buffer)
    preview = _import(plan, buffer.getvalue(), admin)
    assert [[(c.label, c.old, c.new) for c in p.changes] for p in preview.writes] == [
        [("Action", action.description, "Reworded by the Strategy Group")]
    ]
    action.refresh_from_db()
    assert action.description == "Reworded by the Strategy Group"
    assert Action.objects.filter(priority_indicator__action_plan=plan).count() == 2


def test_a_change_made_after_the_preview_stops_the_import(plan_records, users):
    plan, admin = plan_records["plan"], users["administrator"]
    data = _export(plan, admin)
    sheet = load_workbook(io.BytesIO(data))
    rows = sheet["Action plan"]
    rows.cell(2, [c.value for c in rows[1]].index("Status") + 1).value = "Complete"
    buffer = io.BytesIO()
    sheet.save(buffer)
    data = buffer.getvalue()
    pending = services.plan_import_create(
        action_plan=plan, actor=admin, file_name="p.xlsx", data=data
    )
    seen = plan_import_preview(plan=plan, file_name="p.xlsx", data=data, actor=admin)
    assert seen.updated_count == 1
    action = Action.objects.get(pk=rows["A2"].value)
    services.action_update(action=action, actor=users["chair"], measure="Changed meanwhile")
    before = _plan_state(plan)
    with pytest.raises(services.PreviewOutOfDate):
        services.plan_import_apply(plan_import=pending, actor=admin, fingerprint=seen.fingerprint)
    assert _plan_state(plan) == before


def test_only_an_administrator_can_add_outcomes_by_import(empty_plan, users):
    data = _workbook([_row()])
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=data, actor=users["strategy_group_member"]
    )
    assert preview.errors == [
        "Row 2: only an administrator can add the outcome 'Outcome 1: Looked after children "
        "are safe'"
    ]


def test_a_strategy_group_member_can_import_actions_into_existing_priorities(users):
    plan = ActionPlanFactory()
    outcome = OutcomeFactory(strategy=plan.strategy, number=1, statement="Safe")
    priority = PriorityIndicatorFactory(action_plan=plan, indicator__outcome=outcome)
    data = _workbook(
        [_row(outcome="Safe", priority_indicator=priority.indicator.title, action="New work")]
    )
    _import(plan, data, users["strategy_group_member"])
    assert priority.actions.get().description == "New work"


def test_the_import_command_previews_and_imports(empty_plan, users, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(hand_written_plan(users["outcome_owner"], users["chair"]))
    call_command("import_action_plan", empty_plan.pk, str(path), "--dry-run")
    assert "Dry run, nothing saved: 12 to add, 0 to change" in capsys.readouterr().out
    assert not Action.objects.exists()
    call_command("import_action_plan", empty_plan.pk, str(path))
    assert Action.objects.count() == 4
    assert not PlanImport.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("Outcome number,Priority indicator,Action\n1,X,Y,\n1,X,Y\n")
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_action_plan", empty_plan.pk, str(bad))
    assert Action.objects.count() == 4


def test_upload_preview_and_confirm_through_the_pages(client, plan_records, users):
    plan = plan_records["plan"]
    client.force_login(users["strategy_group_member"])
    data = _workbook(
        [
            _row(
                outcome_number=plan_records["outcome"].number,
                outcome=plan_records["outcome"].statement,
                priority_indicator=plan_records["priority"].indicator.title,
                action="Meet every child within 5 days of coming into care",
            )
        ],
        keys=["outcome_number", "outcome", "priority_indicator", "action", "status"],
    )
    upload_url = reverse("actionplans:plan_import_upload", args=[plan.pk])
    response = client.post(upload_url, {"file": _upload("new.xlsx", data)})
    assert response.status_code == 302
    preview_page = client.get(response["Location"])
    assert preview_page.status_code == 200
    assert b"Meet every child within 5 days" in preview_page.content
    assert b"1</strong> to add" in preview_page.content
    assert not Action.objects.filter(description__startswith="Meet every child").exists()
    confirm = client.post(
        response["Location"], {"fingerprint": preview_page.context["preview"].fingerprint}
    )
    assert confirm.status_code == 302
    assert Action.objects.filter(description__startswith="Meet every child").exists()
    # A second click, after the first has imported it: said so, not "page not found".
    again = client.post(
        response["Location"],
        {"fingerprint": preview_page.context["preview"].fingerprint},
        follow=True,
    )
    assert b"That upload has already been imported or discarded" in again.content
    assert again.redirect_chain[-1][0] == plan.get_absolute_url()
    assert Action.objects.filter(description__startswith="Meet every child").count() == 1
    # Someone who may not import into the plan learns nothing of it.
    client.force_login(users["viewer"])
    assert client.get(response["Location"]).status_code == 403
    client.force_login(users["strategy_group_member"])

    response = client.post(upload_url, {"file": _upload("bad.xlsx", b"rubbish")})
    page = client.get(response["Location"])
    assert page.status_code == 400
    assert b"nothing has been saved" in page.content
    assert client.post(upload_url, {}).status_code == 400


def test_an_upload_is_read_once_however_often_its_preview_is_seen(
    client, plan_records, users, monkeypatch
):
    import actionplans.plan_template as plan_template

    plan = plan_records["plan"]
    client.force_login(users["strategy_group_member"])
    data = _workbook(
        [
            _row(
                outcome_number=plan_records["outcome"].number,
                outcome=plan_records["outcome"].statement,
                priority_indicator=plan_records["priority"].indicator.title,
                action="Meet every child within 5 days of coming into care",
                target_date=datetime.date(2017, 3, 31),
            )
        ],
        keys=["outcome_number", "outcome", "priority_indicator", "action", "target_date"],
    )
    reads = []
    real_read = plan_template.read_template
    monkeypatch.setattr(plan_template, "read_template", lambda *a: reads.append(1) or real_read(*a))
    upload_url = reverse("actionplans:plan_import_upload", args=[plan.pk])
    preview_url = client.post(upload_url, {"file": _upload("new.xlsx", data)})["Location"]
    for _ in range(3):
        preview_page = client.get(preview_url)
    confirm = client.post(preview_url, {"fingerprint": preview_page.context["preview"].fingerprint})
    assert confirm.status_code == 302 and reads == [1]
    saved = Action.objects.get(description__startswith="Meet every child")
    assert saved.target_date == datetime.date(2017, 3, 31)  # a date kept as a date


def test_a_stale_confirmation_shows_the_new_preview(client, plan_records, users):
    plan = plan_records["plan"]
    client.force_login(users["administrator"])
    data = _workbook([_row(action="A new action")])
    pending = services.plan_import_create(
        action_plan=plan, actor=users["administrator"], file_name="p.xlsx", data=data
    )
    url = reverse("actionplans:plan_import_preview", args=[pending.pk])
    response = client.post(url, {"fingerprint": "not the one shown"})
    assert response.status_code == 409
    assert b"the plan changed while you were checking" in response.content
    assert not Action.objects.filter(description="A new action").exists()


def test_discarding_an_upload(client, plan_records, users):
    client.force_login(users["administrator"])
    pending = services.plan_import_create(
        action_plan=plan_records["plan"],
        actor=users["administrator"],
        file_name="p.xlsx",
        data=b"x",
    )
    response = client.post(reverse("actionplans:plan_import_discard", args=[pending.pk]))
    assert response.status_code == 302
    assert not PlanImport.objects.filter(pk=pending.pk).exists()
    # Discarded again (a second click, or confirmed meanwhile): said so, one history row.
    again = client.post(reverse("actionplans:plan_import_discard", args=[pending.pk]))
    assert again["Location"] == plan_records["plan"].get_absolute_url()
    with pytest.raises(services.UploadGone):
        services.plan_import_discard(plan_import=pending, actor=users["administrator"])
    assert PlanImport.history.filter(id=pending.pk, history_type="-").count() == 1


def test_each_waiting_upload_can_be_discarded_from_the_upload_page(client, plan_records, users):
    """An upload whose preview cannot be read is not stuck in the list: each waiting upload has
    its own Discard button on the upload page, as framework uploads do."""
    plan = plan_records["plan"]
    client.force_login(users["administrator"])
    unreadable = services.plan_import_create(
        action_plan=plan, actor=users["administrator"], file_name="broken.xlsx", data=b"x"
    )
    upload_page = reverse("actionplans:plan_import_upload", args=[plan.pk])
    page = client.get(upload_page).content.decode()
    discard = reverse("actionplans:plan_import_discard", args=[unreadable.pk])
    assert f'action="{discard}"' in page
    assert '<span class="govuk-visually-hidden"> broken.xlsx</span>' in page
    response = client.post(discard)
    assert response["Location"] == upload_page
    assert not PlanImport.objects.filter(pk=unreadable.pk).exists()
    after = client.get(upload_page).content.decode()
    assert "broken.xlsx was discarded" in after and f'action="{discard}"' not in after


def test_the_blank_template_explains_its_columns(client, users):
    client.force_login(users["outcome_owner"])
    response = client.get(reverse("actionplans:plan_spreadsheet_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Action plan", "How to fill this in"]
    guidance = [row[0] for row in workbook["How to fill this in"].iter_rows(values_only=True)]
    assert all(column.header in guidance for column in COLUMNS)


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_plan_is_not_touched_by_an_import_into_another_year(users):
    """Matching is within the plan: last year's actions are never changed by this year's file."""
    strategy = StrategyFactory()
    last_year = ActionPlanFactory(strategy=strategy, financial_year_start=2015)
    this_year = ActionPlanFactory(strategy=strategy, financial_year_start=2016)
    outcome = OutcomeFactory(strategy=strategy, number=1, statement="Safe")
    old = ActionFactory(
        priority_indicator=PriorityIndicatorFactory(
            action_plan=last_year, indicator__outcome=outcome
        ),
        description="Review placement stability",
    )
    data = _workbook(
        [_row(outcome="Safe", priority_indicator=old.priority_indicator.indicator.title)]
    )
    _import(this_year, data, users["administrator"])
    old.refresh_from_db()
    assert old.version == 1
    assert ActionPlan.objects.get(pk=this_year.pk).priority_indicators.get().actions.count() == 1


def _exported_sheet(plan, user):
    return load_workbook(io.BytesIO(_export(plan, user)))


def _saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_changing_an_outcome_keeps_its_indicators_and_actions(plan_records, users):
    plan, admin = plan_records["plan"], users["administrator"]
    workbook = _exported_sheet(plan, admin)
    sheet = workbook["Action plan"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Outcome number")].value == 1:
            row[headers.index("Outcome owners")].value += f"; {users['chair'].email}"
            row[headers.index("Outcome")].value = "Children in care are safe and well"
    before = _plan_state(plan)
    preview = _import(plan, _saved(workbook), admin)
    assert [(p.kind, p.is_new) for p in preview.writes] == [("outcome", False)]
    after = _plan_state(plan)
    assert after["actions"] == before["actions"]
    assert after["indicators"] == before["indicators"]
    outcome = plan_records["outcome"]
    outcome.refresh_from_db()
    assert outcome.statement == "Children in care are safe and well"
    assert set(outcome.owners.all()) == {users["outcome_owner"], users["chair"]}


def test_two_indicators_worded_alike_round_trip_to_the_plans_priority(plan_records, users):
    plan, admin = plan_records["plan"], users["administrator"]
    priority = plan_records["priority"]
    # First by order, but not this plan's priority.
    IndicatorFactory(outcome=plan_records["outcome"], title=priority.indicator.title, order=0)
    before = _plan_state(plan)
    preview = plan_import_preview(
        plan=plan, file_name="p.xlsx", data=_export(plan, admin), actor=admin
    )
    assert preview.errors == [] and preview.writes == []
    assert _plan_state(plan) == before


def test_confirming_twice_saves_once(plan_records, users, client):
    plan, admin = plan_records["plan"], users["administrator"]
    data = _workbook([_row(action="Only once")])
    pending = services.plan_import_create(
        action_plan=plan, actor=admin, file_name="p.xlsx", data=data
    )
    preview = plan_import_preview(plan=plan, file_name="p.xlsx", data=data, actor=admin)
    client.force_login(admin)
    url = reverse("actionplans:plan_import_preview", args=[pending.pk])
    assert client.post(url, {"fingerprint": preview.fingerprint}).status_code == 302
    with pytest.raises(services.UploadGone):
        services.plan_import_apply(
            plan_import=pending, actor=admin, fingerprint=preview.fingerprint
        )
    assert Action.objects.filter(description="Only once").count() == 1


@pytest.mark.parametrize(
    "value", ["\u00b2", "3.5", "9" * 5000, True], ids=["superscript", "decimal", "huge", "bool"]
)
def test_an_odd_outcome_number_is_a_row_error(value, empty_plan, users):
    data = _workbook([_row(outcome_number=value)])
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=data, actor=users["administrator"]
    )
    assert len(preview.errors) == 1
    assert preview.errors[0].startswith("Row 2, column 'Outcome number': ")


def test_a_workbook_with_several_plans_is_refused_unless_one_is_named(empty_plan, users):
    workbook = Workbook()
    for number, title in enumerate(("2015-16", "2016-17")):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append(["Outcome number", "Outcome", "Priority indicator", "Action"])
        sheet.append([1, "Safe", "Stable homes", f"Action of {title}"])
    admin = users["administrator"]
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=_saved(workbook), actor=admin
    )
    assert preview.errors == [
        "The workbook has several sheets with the template's columns ('2015-16', '2016-17'). "
        "Name the one for this plan 'Action plan', or upload a workbook with one plan"
    ]
    workbook["2016-17"].title = "Action plan"
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=_saved(workbook), actor=admin
    )
    assert preview.sheet_name == "Action plan"
    assert [p.label for p in preview.writes if p.kind == "action"] == ["Action of 2016-17"]


def test_a_workbook_merging_a_whole_column_is_refused_before_it_is_loaded(empty_plan, users):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Outcome number", "Priority indicator", "Action"])
    sheet.merge_cells("D1:E2")
    # Made small, then widened in the file's XML: openpyxl takes most of a minute to write it.
    source, widened = zipfile.ZipFile(io.BytesIO(_saved(workbook))), io.BytesIO()
    with zipfile.ZipFile(widened, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item).replace(b'ref="D1:E2"', b'ref="D1:Z200000"'))
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=widened.getvalue(), actor=users["administrator"]
    )
    assert preview.errors == [
        "The workbook merges 4,600,000 cells. Unmerge the cells of the plan's rows "
        "(Home, Merge & Center, Unmerge Cells) and upload it again"
    ]


def test_headings_with_e_mails_in_their_name_and_people_who_cannot_sign_in(empty_plan, users):
    leaver = UserFactory(is_active=False)
    data = _workbook(
        [_row(lead_users=leaver.email)],
        keys=["outcome_number", "outcome", "priority_indicator", "action", "lead_users"],
        headers=[
            "Outcome number",
            "Outcome",
            "Priority indicator",
            "Action",
            "Lead users (e-mails)",
        ],
    )
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=data, actor=users["administrator"]
    )
    assert preview.warnings == []
    assert preview.errors == [
        f"Row 2, column 'Lead users (e-mails)': {leaver.email} can no longer sign in to "
        "Corporate Parenting Strategy. "
        "Choose someone who can, or ask an administrator to restore their account"
    ]


def test_a_zip_bomb_of_cells_is_refused_before_it_is_loaded(empty_plan, users, monkeypatch):
    """A few hundred KB that unpack into a million cells: counted in the XML, never loaded."""
    import actionplans.plan_template as plan_template

    loaded = []
    monkeypatch.setattr(plan_template, "load_workbook", lambda *a, **k: loaded.append(1))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Outcome number", "Priority indicator", "Action"])
    sheet.append([1, "x", "y"])
    row = _saved(workbook)
    # Widened in the file's XML: half a million identical cells, which zip squeezes to nothing.
    source, bomb = zipfile.ZipFile(io.BytesIO(row)), io.BytesIO()
    # Cells written as <c> with no attributes, which a count of "<c " would miss.
    cells = (
        b'<c r="A2" t="inlineStr"><is><t>x</t></is></c>' * 250_000 + b"<c><v>1</v></c>" * 250_000
    )
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>", b"<row r='3'>" + cells + b"</row></sheetData>"
                )
            target.writestr(item.filename, content, zipfile.ZIP_DEFLATED)
    assert len(bomb.getvalue()) < 1_000_000  # under a megabyte on the wire
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=bomb.getvalue(), actor=users["administrator"]
    )
    assert preview.errors and "500,006 cells in one sheet" in preview.errors[0]
    assert loaded == []


def _widened_workbook(rows_of_cells):
    """A workbook whose sheet XML is widened by hand: as large as the limits allow, in a file
    of a few hundred KB."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    sheet.append(["Outcome number", "Priority indicator", "Action"])
    source, widened = zipfile.ZipFile(io.BytesIO(_saved(workbook))), io.BytesIO()
    with zipfile.ZipFile(widened, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", rows_of_cells + b"</sheetData>")
            target.writestr(item.filename, content)
    return widened.getvalue()


def test_reading_the_largest_workbook_allowed_stays_well_under_200_mb(tmp_path):
    """Peak memory of a whole process (Django included) reading a sheet of just under the cell
    limit, unpacking to nearly the size limit; and a full plan of nearly MAX_ROWS rows. A whole
    loaded workbook (not the read-only stream) peaked at 197 MB on the first."""
    import subprocess
    import sys

    from actionplans.plan_template import MAX_CELLS, MAX_UNPACKED_BYTES

    cell = b'<c t="inlineStr"><is><t>' + b"w" * 60 + b"</t></is></c>"
    row = b"<row>" + cell * 12 + b"</row>"
    largest = _widened_workbook(row * ((MAX_CELLS - 100) // 12))
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(largest)).infolist()) < (
        MAX_UNPACKED_BYTES
    )
    full_plan = _widened_workbook(row * (MAX_ROWS - 10))
    (tmp_path / "largest.xlsx").write_bytes(largest)
    (tmp_path / "full.xlsx").write_bytes(full_plan)
    code = (
        "import django, sys; django.setup()\n"
        "from actionplans.plan_template import read_template, TemplateError\n"
        # VmHWM: this process's peak since exec (ru_maxrss would include the parent's, forked)
        "status = lambda: open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "peak = lambda: int(status()) // 1024\n"
        "before = peak()\n"
        "try: read_template(sys.argv[1], open(sys.argv[1], 'rb').read())\n"
        "except TemplateError: pass\n"
        "print(before, peak())\n"
    )
    for name in ("largest.xlsx", "full.xlsx"):
        result = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / name)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "lacstrategy.settings", "DEBUG": "true"},
        )
        before, peak = map(int, result.stdout.split())
        # 200 MB for the whole process; reading itself takes under half (the loaded workbook
        # took 122 MB more than the process had).
        assert peak < 200 and peak - before < 100, (name, before, peak)


def test_a_merge_in_the_last_column_fills_every_row_it_covers():
    """A file need not write the cells a merge covers; the stream stops at a row's last written
    cell, so the merged value is carried to the cells it never met (found in review)."""
    from actionplans.plan_template import read_template

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Outcome number", "Priority indicator", "Action", "Measure"])
    sheet.append([1, "Stable homes", "Do A", "Measure shared"])
    sheet.append([None, "Stable homes", "Do B"])
    sheet.append([None, "Stable homes", "Do C"])
    sheet.merge_cells("D2:D4")
    sheet.merge_cells("A2:A4")
    rows = read_template("p.xlsx", _saved(workbook)).rows
    assert [row.values["measure"] for row in rows] == ["Measure shared"] * 3
    assert [row.values["outcome_number"] for row in rows] == [1, 1, 1]


# A council's own table, as it is (issue 13, item 5)


@pytest.mark.parametrize(
    "words,expected",
    [
        ("Sep 16", datetime.date(2016, 9, 30)),
        ("Sept 2016", datetime.date(2016, 9, 30)),
        ("September 2016", datetime.date(2016, 9, 30)),
        ("March 2017", datetime.date(2017, 3, 31)),
        ("Feb-17", datetime.date(2017, 2, 28)),
        ("Feb 2016", datetime.date(2016, 2, 29)),
        ("end of Dec '16", datetime.date(2016, 12, 31)),
        ("April 2016 - March 2017", datetime.date(2017, 3, 31)),
        ("June", datetime.date(2016, 6, 30)),
        ("January", datetime.date(2017, 1, 31)),
        ("31/07/2017", datetime.date(2017, 7, 31)),
        ("Q1", datetime.date(2016, 6, 30)),
        ("Q2", datetime.date(2016, 9, 30)),
        ("q3", datetime.date(2016, 12, 31)),
        ("Quarter 4", datetime.date(2017, 3, 31)),
        ("Ongoing", None),
        ("Ongoing - review 6 monthly", None),
        ("", None),
        ("2016/17", None),
        ("We may review it", None),
        ("Q5", None),
        ("Sep 99999", None),
    ],
)
def test_a_timescale_in_words_gives_the_date_it_means(words, expected):
    assert target_date_from_words(words, 2016) == expected


COUNCIL_HEADINGS = ["Ref", "Priority", "Action", "Lead", "Timescale", "Comment"]


def _council_sheet(rows, headings=COUNCIL_HEADINGS):
    """A council's plan as it keeps it: its own headings, no template columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan 2016-17"
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    return _saved(workbook)


@pytest.fixture
def council_plan(users):
    """Outcomes 1 and 3 have one priority in the 2016-17 plan, 2 has none, 4 has two."""
    strategy = StrategyFactory()
    plan = ActionPlanFactory(strategy=strategy, financial_year_start=2016)
    outcomes = {
        number: OutcomeFactory(strategy=strategy, number=number, statement=statement)
        for number, statement in [
            (1, "Reduce numbers in care"),
            (2, "Children in care are healthy"),
            (3, "Care leavers are in work"),
            (4, "Children in care are safe"),
        ]
    }
    priorities = {
        number: PriorityIndicatorFactory(action_plan=plan, indicator__outcome=outcomes[number])
        for number in (1, 3, 4)
    }
    PriorityIndicatorFactory(action_plan=plan, indicator__outcome=outcomes[4])
    return {"plan": plan, "outcomes": outcomes, "priorities": priorities}


COUNCIL_ROWS = [
    [1, 1, "Review every placement at risk of breaking down", "JB", "Sep 16", "Started in May"],
    [2, 2, "Health assessments within 20 days", "LEAD", "Q3", ""],
    [3, "1, 2, 3", "Apprenticeships for care leavers", "JB / SM", "Ongoing", "Shared"],
    ["Corporate parenting"],
    [4, "", "Train every councillor as a corporate parent", "", "March 2017", "Members"],
    [5, None, "An annual councillors' event with the Children in Care Council", "", "", ""],
]


def test_a_councils_own_table_is_read_as_it_is(council_plan, users):
    plan, admin = council_plan["plan"], users["administrator"]
    owner = users["outcome_owner"]
    rows = [list(row) for row in COUNCIL_ROWS]
    rows[1][3] = f"{owner.full_name} "  # a full name, as the plan writes it
    data = _council_sheet(rows)

    preview = plan_import_preview(plan=plan, file_name="plan.xlsx", data=data, actor=admin)
    assert preview.errors == []
    assert preview.columns_read == [
        "'Ref' read as Action number",
        "'Priority' read as Outcome number: on its own it is taken to mean the outcome, not "
        "the priority indicator",
        "'Lead' read as Undertaken by",
        "'Timescale' read as Target in words",
    ]
    assert preview.notes == [
        "Row 3: Outcome 2 has no priority indicator in this plan, so a new priority indicator "
        "with no figure, 'Children in care are healthy', will be made for it",
        "Row 6: 'Corporate parenting' has no priority indicator in this plan, so a new priority "
        "indicator with no figure, 'Corporate parenting', will be made for it",
    ]
    assert Action.objects.count() == 0  # nothing saved before the confirmation

    _import(plan, data, admin)
    actions = {a.reference: a for a in Action.objects.filter(priority_indicator__action_plan=plan)}
    assert sorted(actions) == ["1", "2", "3", "4", "5"]
    first = actions["1"]
    assert first.priority_indicator == council_plan["priorities"][1]
    assert (first.undertaken_by, list(first.lead_users.all())) == ("JB", [])
    assert (first.target_text, first.target_date) == ("Sep 16", datetime.date(2016, 9, 30))
    assert first.comment == "Started in May"

    health = actions["2"]
    assert list(health.lead_users.all()) == [owner]  # matched by full name
    assert health.undertaken_by == owner.full_name
    assert health.target_date == datetime.date(2016, 12, 31)  # Q3 of 2016-17
    indicator = health.priority_indicator.indicator
    assert indicator.outcome == council_plan["outcomes"][2]
    assert (indicator.title, indicator.unit) == ("Children in care are healthy", "qualitative")

    shared = actions["3"]
    assert shared.priority_indicator == council_plan["priorities"][1]
    assert set(shared.also_serves.all()) == {
        health.priority_indicator,  # made by this import
        council_plan["priorities"][3],
    }
    assert (shared.target_text, shared.target_date) == ("Ongoing", None)

    heading = Outcome.objects.get(strategy=plan.strategy, kind=Outcome.Kind.HEADING)
    assert (heading.statement, heading.number) == ("Corporate parenting", 5)
    for reference in ("4", "5"):
        assert actions[reference].priority_indicator.indicator.outcome == heading
    assert actions["4"].target_date == datetime.date(2017, 3, 31)
    assert (actions["5"].target_text, actions["5"].target_date) == ("", None)

    again = plan_import_preview(plan=plan, file_name="plan.xlsx", data=data, actor=admin)
    assert again.errors == [] and again.writes == []  # the same table twice changes nothing

    # Reworded in the council's file: matched by its number, not added again.
    rows[0][2] = "Review every placement at risk"
    preview = _import(plan, _council_sheet(rows), admin)
    assert [(p.kind, p.is_new, p.record) for p in preview.writes] == [("action", False, first)]


def test_an_outcome_with_several_priorities_needs_the_priority_column(council_plan, users):
    data = _council_sheet([[1, 4, "Return interviews for every child", "", "", ""]])
    preview = plan_import_preview(
        plan=council_plan["plan"], file_name="p.xlsx", data=data, actor=users["administrator"]
    )
    assert len(preview.errors) == 1
    assert preview.errors[0].startswith(
        "Row 2, column 'Priority': outcome 4 has 2 priority indicators in this plan ("
    )
    assert preview.errors[0].endswith(
        "Add a column 'Priority indicator' to say which priority indicator the action is for"
    )
    assert preview.writes == []


def test_action_numbers_are_once_in_the_sheet_and_once_in_the_plan(council_plan, users):
    plan, admin = council_plan["plan"], users["administrator"]
    held = ActionFactory(
        priority_indicator=council_plan["priorities"][3], reference="7", description="Held"
    )
    twice = _council_sheet(
        [[2, 1, "First action", "", "", ""], [2, 3, "Second action", "", "", ""]]
    )
    preview = plan_import_preview(plan=plan, file_name="p.xlsx", data=twice, actor=admin)
    assert preview.errors == [
        "Row 3, column 'Ref': action 2 is also in row 2: give each action its own number"
    ]
    # An action matched by its ID, given a number another action of the plan has.
    other = ActionFactory(priority_indicator=council_plan["priorities"][1], description="Other")
    clash = _workbook(
        [{"service_id": other.pk, "outcome_number": 1, "action": "Other", "action_number": 7}],
        keys=["service_id", "outcome_number", "action", "action_number"],
    )
    preview = plan_import_preview(plan=plan, file_name="p.xlsx", data=clash, actor=admin)
    assert preview.errors == [
        "Row 2, column 'Action number': the plan already has an action 7 ('Held'). Give this "
        "action another number, or change that action's number first"
    ]
    held.refresh_from_db()
    assert held.version == 1


def test_a_kind_column_sets_new_outcomes_kinds(empty_plan, users):
    data = _workbook(
        [
            _row(outcome_number=1, outcome="Reduce numbers in care", outcome_kind="Delivery"),
            _row(
                outcome_number=2,
                outcome="Care leavers are in work",
                outcome_kind="Outcome outcome",
                action="Another",
            ),
            _row(outcome_number=3, outcome="Safe", outcome_kind="None", action="Third"),
        ],
        keys=["outcome_number", "outcome", "outcome_kind", "priority_indicator", "action"],
    )
    _import(empty_plan, data, users["administrator"])
    kinds = dict(Outcome.objects.values_list("number", "kind"))
    assert kinds == {1: "delivery", 2: "outcome", 3: ""}

    wrong = _workbook(
        [_row(outcome_kind="Strategic")], keys=["outcome_number", "outcome_kind", "action"]
    )
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=wrong, actor=users["administrator"]
    )
    assert preview.errors[0].startswith(
        "Row 2, column 'Outcome kind': 'Strategic' is not a kind of outcome. Use Delivery"
    )


@pytest.mark.parametrize(
    "words,priority_column",
    [
        ({"outcome_singular": "priority", "outcome_plural": "priorities"}, "outcome_number"),
        ({"priority_singular": "priority", "priority_plural": "priorities"}, "priority_indicator"),
    ],
)
def test_a_priority_heading_follows_the_councils_words(words, priority_column, users):
    from actionplans.plan_import import council_headings
    from actionplans.plan_template import read_template
    from lacstrategy.services import council_save

    council_save(actor=users["administrator"], name="Testshire County Council", **words)
    data = _council_sheet(
        [[1, 1, "Act", "", "", ""]], headings=["No.", "Outcome number", *COUNCIL_HEADINGS[1:]]
    )
    if priority_column == "outcome_number":  # "Outcome number" and "Priority" would be two
        data = _council_sheet([[1, 1, "Act", "", "", ""]])
    sheet = read_template("p.xlsx", data, council_headings())
    assert sheet.headers[priority_column] == "Priority"


def test_leads_are_words_and_people_are_matched_only_when_they_exist(empty_plan, users):
    owner, chair = users["outcome_owner"], users["chair"]
    data = _workbook(
        [_row(lead_users=f"{owner.full_name}; {chair.email}")],
        keys=["outcome_number", "outcome", "priority_indicator", "action", "lead_users"],
    )
    _import(empty_plan, data, users["administrator"])
    assert set(Action.objects.get().lead_users.all()) == {owner, chair}
    unknown = _workbook(
        [_row(lead_users="Nobody Known")],
        keys=["outcome_number", "outcome", "priority_indicator", "action", "lead_users"],
    )
    preview = plan_import_preview(
        plan=empty_plan, file_name="p.xlsx", data=unknown, actor=users["administrator"]
    )
    assert preview.errors == [
        "Row 2, column 'Lead users': no one called Nobody Known can sign in to "
        "Corporate Parenting Strategy. "
        "Add them under People and roles first, or correct the name"
    ]


def test_a_reference_column_is_the_ids_of_an_old_export_or_else_action_numbers(plan_records, users):
    plan, admin = plan_records["plan"], users["administrator"]
    workbook = _exported_sheet(plan, admin)
    sheet = workbook["Action plan"]
    sheet["A1"] = "Reference"  # as exports made before action numbers headed the IDs
    preview = plan_import_preview(plan=plan, file_name="p.xlsx", data=_saved(workbook), actor=admin)
    assert preview.errors == [] and preview.writes == []
    assert preview.columns_read[0] == (
        "'Reference' read as ID in this service: its values are the IDs of actions in this service"
    )

    numbered = _council_sheet(
        [[900001, 1, "A numbered action", "", "", ""]],
        headings=["Reference", *COUNCIL_HEADINGS[1:]],
    )
    preview = plan_import_preview(plan=plan, file_name="p.xlsx", data=numbered, actor=admin)
    assert preview.errors == []
    assert preview.columns_read[0] == "'Reference' read as Action number"
    [action] = [p for p in preview.writes if p.kind == "action"]
    assert action.fields["reference"] == "900001"


def test_the_preview_page_says_how_the_table_was_read(client, council_plan, users):
    client.force_login(users["administrator"])
    plan = council_plan["plan"]
    response = client.post(
        reverse("actionplans:plan_import_upload", args=[plan.pk]),
        {"file": _upload("council.xlsx", _council_sheet(COUNCIL_ROWS))},
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "How the file was read" in text
    assert "&#x27;Timescale&#x27; read as Target in words" in text
    assert '<h2 class="govuk-heading-m">Corporate parenting</h2>' in text
    assert "a new priority indicator with no figure" in text
    assert "Add</strong> Plan heading" in text


def test_errors_name_the_row_and_the_column_as_the_file_heads_it(council_plan, users):
    data = _council_sheet(
        [
            [1, "one", "Act", "", "Sep 16", ""],
            [2, 1, "Act again", "", "=TODAY()", ""],
            ["A heading with nothing under it"],
        ]
    )
    preview = plan_import_preview(
        plan=council_plan["plan"], file_name="p.xlsx", data=data, actor=users["administrator"]
    )
    assert preview.errors == [
        "Row 2, column 'Priority': 'one' is not an outcome number or the statement of an outcome "
        "in the strategy: enter a number such as 1",
        "Row 3, column 'Timescale': the cell holds a formula; type the value instead",
    ]
    assert preview.notes == [
        "Row 4: 'A heading with nothing under it' is read as a heading in the plan, but no row "
        "goes under it, so it is left out"
    ]
    assert preview.writes == []


def test_a_month_excel_made_a_date_is_read_as_the_month_shown(council_plan, users):
    """Excel turns "Sep-16" typed in a cell into 1 September 2016, shown as "mmm-yy"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Priority", "Action", "Timescale", "Target date"])
    sheet.append([1, "Act", datetime.datetime(2016, 9, 1), datetime.datetime(2017, 3, 1)])
    sheet.append([1, "Act again", datetime.datetime(2016, 9, 1), datetime.datetime(2017, 3, 5)])
    sheet["C2"].number_format = "mmm-yy"
    sheet["D2"].number_format = "[$-809]mmmm yyyy;@"
    sheet["C3"].number_format = "mmmm yyyy"
    sheet["D3"].number_format = "dd/mm/yyyy"
    _import(council_plan["plan"], _saved(workbook), users["administrator"])
    first, second = Action.objects.filter(
        priority_indicator=council_plan["priorities"][1]
    ).order_by("pk")
    assert (first.target_text, first.target_date) == ("Sep-16", datetime.date(2017, 3, 31))
    assert (second.target_text, second.target_date) == (
        "September 2016",
        datetime.date(2017, 3, 5),
    )
