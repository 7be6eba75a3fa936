"""An administrator redacts a child's name from the records, their history and the draft
reports; issued reports are listed, not changed."""

import re
import threading
import uuid

import pytest
from django.db import close_old_connections, connection
from django.forms.models import model_to_dict
from django.urls import reverse

from actionplans.models import Action
from actionplans.services import action_create, action_delete, action_update
from jobs.models import Job
from lacstrategy.services import EditConflict, save_record
from redaction.models import Redaction
from redaction.selectors import find_text, models_with_history, searched_fields
from redaction.services import redact_text
from reports.models import CommitteeReport
from reports.services import report_update
from reviews.models import ActionUpdate
from tests.conftest import build_plan
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

NAME = "Kayden Smith"
NEW = reverse("redaction:redaction_new")


@pytest.fixture
def admin(users):
    return users["administrator"]


@pytest.fixture
def named(plan_records, admin):
    """The child's name in an action (saved twice, and in a change's reason), in an action's
    progress note (saved twice), in a deleted action, in a draft report and in an issued one."""
    action = plan_records["action"]
    action_update(action=action, actor=admin, comment=f"{NAME} moved placement")
    action = Action.objects.get(pk=action.pk)
    action_update(
        action=action,
        actor=admin,
        comment=f"{NAME} moved placement; KAYDEN SMITH settled",
        reason=f"Spoke to {NAME}'s IRO",
    )
    entry = ActionUpdate(outcome_update=plan_records["draft_update"], action=action)
    save_record(entry, actor=admin, reason="Drafted", progress_note=f"Seen: {NAME}.")
    save_record(entry, actor=admin, reason="Drafted", progress_note=f"Seen: {NAME}, twice.")
    gone = action_create(
        priority_indicator=plan_records["priority"],
        actor=admin,
        description=f"Support for {NAME}",
        undertaken_by="IROs",
        target_text="Ongoing",
    )
    gone_id = gone.pk
    action_delete(action=gone, actor=admin, reason="Wrong place")
    report_update(report=plan_records["report"], actor=admin, information=f"We heard from {NAME}.")
    issued = plan_records["issued_report"]
    save_record(issued, actor=admin, reason="Issued", safeguarding=f"{NAME} is safe.")
    CommitteeReport.objects.filter(pk=issued.pk).update(
        issued_html=f"<p>{NAME.replace(' ', ' ')} is safe.</p>"
    )
    return {**plan_records, "action": action, "entry": entry, "gone_id": gone_id}


def made(named):
    """The redactions a test made (the fixture has one already)."""
    return Redaction.objects.exclude(pk=named["redaction"].pk)


def preview(client, text=NAME, replacement="[redacted]", reason="A child was named"):
    return client.post(NEW, {"text": text, "replacement": replacement, "reason": reason})


def confirmation(page):
    """The preview's confirm form, as the browser would post it."""
    html = page.content.decode()
    form = html[html.index('action="' + NEW) :]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def rows_holding(text):
    """(model, pk, history id or None) of every current and historical row holding `text`."""
    found = []
    for model in models_with_history():
        names = [f.name for f in searched_fields(model)]
        for record in model._default_manager.all():
            if any(text.lower() in (getattr(record, n) or "").lower() for n in names):
                found.append((model._meta.label, record.pk, None))
        for row in model.history.all():
            values = [getattr(row, n) or "" for n in [*names, "history_change_reason"]]
            if any(text.lower() in value.lower() for value in values):
                found.append((model._meta.label, row.id, row.history_id))
    return found


def test_the_preview_lists_every_place_and_changes_nothing(client, admin, named):
    client.force_login(admin)
    before = rows_holding(NAME)

    page = preview(client)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Check what will be removed" in html
    assert "Comment: 2 times now, and in 2 versions in the history" in html
    assert "Progress note: 1 time now, and in 2 versions in the history" in html
    assert "Reason given for a change: in 1 version in the history" in html
    assert f"Action {named['gone_id']} (deleted)" in html
    assert "Report (draft)" in html
    issued_part = html[html.index("Issued reports that hold it") :]
    assert str(named["issued_report"]) in issued_part
    assert "action-plan.pdf" in html  # the document made earlier, to be deleted
    assert rows_holding(NAME) == before


def test_confirming_removes_the_text_from_records_history_and_drafts_not_issued_reports(
    client, admin, named
):
    client.force_login(admin)
    action = named["action"]
    dates_and_people = list(
        action.history.values_list("history_id", "history_date", "history_user")
    )
    issued = named["issued_report"]
    issued_history = list(issued.history.values_list("safeguarding", flat=True))

    response = client.post(NEW, confirmation(preview(client)))

    redaction = made(named).get()
    assert response.status_code == 302 and response["Location"] == redaction.get_absolute_url()
    left = rows_holding(NAME)
    assert {label for label, _, _ in left} == {"reports.CommitteeReport"}
    assert {pk for _, pk, _ in left} == {issued.pk}
    issued.refresh_from_db()
    assert NAME in issued.safeguarding and NAME in issued.issued_html
    assert list(issued.history.values_list("safeguarding", flat=True)) == issued_history

    action.refresh_from_db()
    assert action.comment == "[redacted] moved placement; [redacted] settled"
    # Earlier versions keep their dates and people; one new version records the redaction.
    after = list(action.history.values_list("history_id", "history_date", "history_user"))
    assert after[1:] == dates_and_people
    newest = action.history.first()
    assert newest.history_change_reason == "Text redacted: A child was named"
    assert newest.history_user == admin and newest.version == action.version
    assert action.history.filter(history_change_reason="Spoke to [redacted]'s IRO").exists()
    named["report"].refresh_from_db()
    assert named["report"].information == "We heard from [redacted]."
    assert (
        Action.history.filter(id=named["gone_id"], description="Support for [redacted]").count()
        == 2
    )

    assert (redaction.redacted_by, redaction.reason) == (admin, "A child was named")
    assert list(redaction.issued_reports.all()) == [issued]
    assert redaction.drafts_changed == 1 and redaction.files_deleted == 1
    assert redaction.history_rows_changed >= 7
    assert redaction.occurrences == 4  # twice in the comment, the note, the draft
    for row in [model_to_dict(redaction), *redaction.history.values()]:
        assert "kayden" not in repr(row).lower()
    job = Job.objects.get(pk=named["job"]["pk"])
    assert (job.file, job.file_name) == (None, "")


def test_pages_no_longer_show_the_name(client, admin, named):
    client.force_login(admin)
    client.post(NEW, confirmation(preview(client)))

    for url in [
        named["action"].get_absolute_url(),
        named["draft_update"].get_absolute_url(),
        named["report"].get_absolute_url(),
        reverse("recent_changes"),
        made(named).get().get_absolute_url(),
        reverse("redaction:redaction_list"),
    ]:
        html = client.get(url).content.decode()
        assert "kayden" not in html.lower(), url
    assert (
        "[redacted] moved placement"
        in client.get(named["action"].get_absolute_url()).content.decode()
    )


def test_a_double_click_on_confirm_redacts_once(client, admin, named):
    client.force_login(admin)
    data = confirmation(preview(client))

    first = client.post(NEW, data)
    second = client.post(NEW, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert made(named).count() == 1
    assert Redaction.history.filter(id=made(named).get().pk).count() == 1


def test_a_preview_that_the_records_have_moved_on_from_changes_nothing(client, admin, named):
    client.force_login(admin)
    data = confirmation(preview(client))
    action = Action.objects.get(pk=named["action"].pk)
    action_update(action=action, actor=admin, measure=f"Ask {NAME}")

    page = client.post(NEW, data)

    assert page.status_code == 200
    assert "The records changed since you looked" in page.content.decode()
    assert not made(named).exists()
    assert Action.objects.get(pk=action.pk).measure == f"Ask {NAME}"
    assert client.post(NEW, confirmation(page)).status_code == 302  # the new preview works
    assert not rows_holding("Ask " + NAME)


def test_an_open_edit_form_meets_the_conflict_page_not_the_old_text(client, admin, named):
    client.force_login(admin)
    seen = Action.objects.get(pk=named["action"].pk).version
    client.post(NEW, confirmation(preview(client)))

    with pytest.raises(EditConflict):
        action_update(
            action=Action.objects.get(pk=named["action"].pk),
            actor=admin,
            seen_version=seen,
            comment=f"{NAME} moved placement",
        )


@pytest.mark.parametrize(
    "text,replacement,reason,field,message",
    [
        ("Ka", "[redacted]", "Named", "text", "Enter at least 3 characters"),
        ("  K ", "[redacted]", "Named", "text", "Enter at least 3 characters"),
        (NAME, "[redacted]", f"{NAME} was named", "reason", "Do not repeat the text"),
        (NAME, f"[{NAME}]", "Named", "replacement", "cannot contain the text"),
        ("", "[redacted]", "Named", "text", "Enter the text to remove"),
        (NAME, "[redacted]", "", "reason", "Enter why you are removing it"),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_changes(
    client, admin, named, text, replacement, reason, field, message
):
    client.force_login(admin)
    before = rows_holding(NAME)

    page = preview(client, text=text, replacement=replacement, reason=reason)

    assert page.status_code == 400
    html = page.content.decode()
    assert message in html and f'href="#id_{field}"' in html
    assert rows_holding(NAME) == before and not made(named).exists()


def test_a_replacement_too_long_for_a_field_is_refused(client, admin, named):
    action = Action.objects.get(pk=named["action"].pk)
    action_update(action=action, actor=admin, target_text="x" * 185 + f" {NAME}")
    client.force_login(admin)

    page = preview(client, replacement="[name removed here]")

    assert page.status_code == 400
    assert "would be longer than its 200 characters" in page.content.decode()


def test_text_is_matched_as_whole_words_in_any_case(named, admin):
    action_update(
        action=Action.objects.get(pk=named["action"].pk), actor=admin, measure="Annual review"
    )
    assert not find_text(text="Ann").records
    assert [f.pk for f in find_text(text="annual review").records] == [named["action"].pk]
    assert find_text(text="(IRO)").records == []  # punctuation is text, not a pattern
    assert find_text(text="kAYDEN sMITH").occurrences == 4


def test_text_found_nowhere_says_so_and_offers_no_confirmation(client, admin, named):
    client.force_login(admin)
    page = preview(client, text="Nobody Atall")
    assert page.status_code == 200
    html = page.content.decode()
    assert "The text is not in any record" in html and "Remove the text" not in html


@pytest.mark.parametrize("role", ["strategy_group_member", "committee_officer", "viewer"])
def test_only_administrators_may_redact(client, users, named, role):
    client.force_login(users[role])
    assert preview(client).status_code == 403
    assert client.get(reverse("redaction:redaction_list")).status_code == 403
    assert NAME in Action.objects.get(pk=named["action"].pk).comment


@pytest.mark.parametrize("actions", [2, 30])
def test_preview_queries_do_not_grow(client, users, django_assert_max_num_queries, actions):
    admin = users["administrator"]
    plan = build_plan(outcomes=1, actions_per_outcome=actions)
    for action in Action.objects.filter(priority_indicator__action_plan=plan):
        action_update(action=action, actor=admin, comment=f"{NAME} said")
        action = Action.objects.get(pk=action.pk)
        action_update(action=action, actor=admin, comment=f"{NAME} said again")
    client.force_login(admin)
    # A query or two for each kind of record with a history (every history's reasons are
    # searched), whatever the number of records.
    with django_assert_max_num_queries(60):
        page = preview(client)
    assert page.content.decode().count("Comment: 1 time now, and in 2 versions in the history") == (
        actions
    )


def test_the_redaction_names_records_as_they_are_after_it(client, admin, named):
    """An action's name is its description cut short: cut inside the name, the part before
    the cut must not stay in the redaction's list of records."""
    action = Action.objects.get(pk=named["action"].pk)
    action_update(action=action, actor=admin, description="x" * 80 + f" {NAME} will be seen")
    assert str(Action.objects.get(pk=action.pk)).endswith("Kayden…")
    client.force_login(admin)

    client.post(NEW, confirmation(preview(client)))

    assert "kayden" not in repr(made(named).get().changed).lower()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("still_there", [True, False], ids=["in-the-record", "history-only"])
def test_two_confirmations_at_once_redact_once(users, still_there):
    """Two clicks that reach the server together: one redaction, the same for both, whether
    the record itself holds the text (its row lock makes the second wait) or only its history
    does (the token's unique constraint stops the second)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; .ci/run runs this there")
    admin = users["administrator"]
    action = ActionFactory()
    action_update(action=action, actor=admin, comment=f"{NAME} said")
    if not still_there:
        action_update(action=Action.objects.get(pk=action.pk), actor=admin, comment="Said")
    request = {
        "text": NAME,
        "replacement": "[redacted]",
        "reason": "Named",
        "actor": admin,
        "token": uuid.uuid4(),
        "fingerprint": find_text(text=NAME).fingerprint,
    }
    results, start = {}, threading.Barrier(2)

    def confirm(index):
        close_old_connections()
        try:
            start.wait()
            results[index] = redact_text(**request)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 2
    assert results[0][0].pk == results[1][0].pk
    assert sorted(made for _, made in results.values()) == [False, True]
    assert Redaction.objects.count() == 1
    assert not rows_holding(NAME)
    assert action.history.filter(history_change_reason="Text redacted: Named").count() == 1


def test_reasons_on_records_with_no_free_text_and_waiting_uploads_are_not_missed(
    client, admin, plan_records
):
    """Found in review: a quarter reopened "because of Kayden Smith" (a record with no text
    field of its own) was not searched; a waiting plan upload holding the name would have
    written it back when confirmed."""
    from actionplans.models import PlanImport
    from actionplans.services import plan_import_create
    from reviews.services import period_reopen

    period = plan_records["period"]
    period_reopen(period=period, actor=admin, reason=f"{NAME}'s update came late")
    upload = plan_import_create(
        action_plan=plan_records["plan"],
        actor=admin,
        file_name="plan.csv",
        data=f"Outcome number,Priority indicator,Action\n1,Stable homes,Visit {NAME}\n".encode(),
    )
    found = find_text(text=NAME)
    assert found.found and [u.pk for u in found.uploads] == [upload.pk]
    client.force_login(admin)
    page = preview(client)
    assert "these will be discarded" in page.content.decode()
    assert client.post(NEW, confirmation(page)).status_code == 302
    assert not period.history.filter(history_change_reason__icontains="Kayden").exists()
    assert not PlanImport.objects.filter(pk=upload.pk).exists()
