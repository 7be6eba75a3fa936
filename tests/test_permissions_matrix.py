"""Every URL pattern × every role (and an anonymous visitor) gets the answer it should.

A new URL that is not listed in EXPECTED fails this test, so no view can skip the permissions.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLE_USERS

EVERYONE = set(ROLE_USERS) - {"no_role"}
SIGNED_IN = set(ROLE_USERS)  # anyone who can sign in, with a role or not
ADMIN = {"administrator"}
PLANNERS = {"administrator", "strategy_group_member", "chair"}
DECIDERS = {"administrator", "chair"}
OWNER = {"administrator", "outcome_owner"}
WRITERS = {"administrator", "committee_officer"}
ACTION_EDITORS = PLANNERS | {"outcome_owner"}
VOICE_RECORDERS = {"administrator", "participation_worker"}
# The fixture job was asked for by the committee officer.
JOB_VIEWERS = {"administrator", "committee_officer"}

POST_ONLY = "post only"  # a button's target: GET is 405 for everyone, POST as allowed
# Buttons that a script presses (the page stays as it is): 204 No Content, not a redirect.
ANSWERED_WITHOUT_A_PAGE = {"stay_signed_in"}

# url name: (record whose pk goes in the URL, roles allowed, is it a write page?)
EXPECTED = {
    "home": (None, EVERYONE, False),
    "council_settings": (None, ADMIN, True),
    "stay_signed_in": (None, EVERYONE, POST_ONLY),
    "jobs:job_detail": ("job", JOB_VIEWERS, False),
    "jobs:job_file": ("job", JOB_VIEWERS, False),
    "jobs:job_retry": ("job", JOB_VIEWERS, POST_ONLY),
    "people_list": (None, ADMIN, False),
    "recent_changes": (None, EVERYONE, False),
    "search:results": (None, EVERYONE, False),
    "deleted_records": (None, ADMIN, False),
    "revert_record": ("action_version", ADMIN, True),
    "restore_record": ("deleted_action_version", ADMIN, True),
    "person_create": (None, ADMIN, True),
    "person_detail": ("person", ADMIN, False),
    "person_edit": ("person", ADMIN, True),
    "access_log": (None, ADMIN, False),
    "redaction:redaction_list": (None, ADMIN, False),
    "redaction:redaction_new": (None, ADMIN, True),
    "redaction:redaction_detail": ("redaction", ADMIN, False),
    "reviews:my_updates": (None, EVERYONE, False),
    "reviews:decisions": (None, EVERYONE, False),
    "figures:library": (None, EVERYONE, False),
    "reports:report_list": (None, EVERYONE, False),
    "reports:report_create": ("period", WRITERS, True),
    "reports:annual_create": ("plan", WRITERS, True),
    "reports:strategy_report_create": ("strategy", WRITERS, True),
    "reports:report_detail": ("report", EVERYONE, False),
    "reports:report_edit": ("report", WRITERS, True),
    "reports:report_print": ("report", EVERYONE, False),
    "reports:report_pdf": ("issued_report", EVERYONE, False),
    "reports:report_draft_pdf": ("report", EVERYONE, POST_ONLY),
    "reports:report_docx": ("report", EVERYONE, False),
    "reports:report_issue": ("report", WRITERS, POST_ONLY),
    "reports:report_new_version": ("report", WRITERS, POST_ONLY),
    "reports:plan_document": ("plan", EVERYONE, False),
    "reports:plan_pdf": ("plan", EVERYONE, POST_ONLY),
    "reports:plan_docx": ("plan", EVERYONE, False),
    "reports:plan_xlsx": ("plan", EVERYONE, False),
    "reports:strategy_document": ("strategy", EVERYONE, False),
    "reports:strategy_pdf": ("strategy", EVERYONE, POST_ONLY),
    "reports:strategy_docx": ("strategy", EVERYONE, False),
    "reports:strategy_xlsx": ("strategy", EVERYONE, False),
    "figures:adopt_standard": (None, ADMIN, POST_ONLY),
    "figures:council_profile": (None, ADMIN, True),
    "figures:indicator_chart": ("indicator", EVERYONE, False),
    "figures:import_upload": ("indicator", PLANNERS, True),
    "figures:import_profile": ("indicator", ADMIN, True),
    "figures:import_preview": ("pending_import", PLANNERS, True),
    "figures:figure_entry": ("strategy", PLANNERS, True),
    "reviews:update_form": ("period_and_outcome", OWNER, True),
    "reviews:update_detail": ("draft_update", EVERYONE, False),
    "reviews:update_check": ("draft_update", OWNER, True),
    "reviews:update_accept": ("submitted_update", DECIDERS, POST_ONLY),
    "reviews:update_return": ("submitted_update", DECIDERS, True),
    "reviews:period_dashboard": ("period", EVERYONE, False),
    "reviews:outcome_review": ("period_and_outcome_review", EVERYONE, False),
    "reviews:period_edit": ("period", ADMIN, True),
    "reviews:period_open_or_close": ("period", ADMIN, True),
    "person_unlock": ("person", ADMIN, POST_ONLY),
    "person_two_step_remove": ("person", ADMIN, True),
    "two_step": (None, SIGNED_IN, False),
    "two_step_setup": (None, SIGNED_IN, True),
    "two_step_backup_codes": (None, SIGNED_IN, True),
    "two_step_turn_off": (None, SIGNED_IN, True),
    "outcomes:strategy_list": (None, EVERYONE, False),
    "outcomes:strategy_create": (None, ADMIN, True),
    "outcomes:strategy_detail": ("strategy", EVERYONE, False),
    "outcomes:strategy_edit": ("strategy", ADMIN, True),
    "outcomes:strategy_delete": ("strategy", ADMIN, True),
    "outcomes:outcome_create": ("strategy", ADMIN, True),
    "outcomes:outcome_detail": ("outcome", EVERYONE, False),
    "outcomes:outcome_edit": ("outcome", ADMIN, True),
    "outcomes:outcome_delete": ("outcome", ADMIN, True),
    "outcomes:indicator_create": ("outcome", ADMIN, True),
    "outcomes:indicator_detail": ("indicator", EVERYONE, False),
    "outcomes:group_create": ("strategy", ADMIN, True),
    "actionplans:outcome_priority": ("plan_and_outcome", ADMIN, POST_ONLY),
    "outcomes:group_detail": ("group", EVERYONE, False),
    "outcomes:group_edit": ("group", ADMIN, True),
    "outcomes:group_delete": ("group", ADMIN, True),
    "outcomes:section_create": ("strategy", ADMIN, True),
    "outcomes:section_detail": ("section", EVERYONE, False),
    "outcomes:section_edit": ("section", ADMIN, True),
    "outcomes:section_delete": ("section", ADMIN, True),
    "outcomes:commitment_create": ("outcome", ADMIN, True),
    "outcomes:commitment_detail": ("commitment", EVERYONE, False),
    "outcomes:commitment_edit": ("commitment", ADMIN, True),
    "outcomes:commitment_delete": ("commitment", ADMIN, True),
    "outcomes:indicator_edit": ("indicator", ADMIN, True),
    "outcomes:indicator_delete": ("indicator", ADMIN, True),
    "actionplans:plan_create": ("strategy", ADMIN, True),
    "actionplans:plan_detail": ("plan", EVERYONE, False),
    "actionplans:plan_edit": ("plan", ADMIN, True),
    "actionplans:plan_changes": ("plan", EVERYONE, False),
    "actionplans:plan_as_at": ("plan", EVERYONE, False),
    "actionplans:annual_review": ("plan", EVERYONE, False),
    "actionplans:annual_summary": ("plan", EVERYONE, False),
    "actionplans:plan_delete": ("plan", ADMIN, True),
    "actionplans:priority_indicator_create": ("plan", PLANNERS, True),
    "actionplans:priority_indicator_detail": ("priority", EVERYONE, False),
    "actionplans:priority_indicator_edit": ("priority", PLANNERS, True),
    "actionplans:priority_indicator_delete": ("priority", ADMIN, True),
    "actionplans:action_create": ("priority", ACTION_EDITORS, True),
    "actionplans:action_detail": ("action", EVERYONE, False),
    "actionplans:action_edit": ("action", ACTION_EDITORS, True),
    "actionplans:action_delete": ("action", ADMIN, True),
    "actionplans:plan_spreadsheet": ("plan", EVERYONE, False),
    "actionplans:plan_spreadsheet_template": (None, EVERYONE, False),
    "actionplans:plan_import_upload": ("plan", PLANNERS, True),
    "actionplans:plan_import_preview": ("plan_import", PLANNERS, True),
    "actionplans:plan_import_discard": ("plan_import", PLANNERS, POST_ONLY),
    "frameworks:framework_list": (None, EVERYONE, False),
    "frameworks:framework_detail": ("framework", EVERYONE, False),
    "frameworks:plan_coverage": ("plan", EVERYONE, False),
    "frameworks:version_file": ("framework", EVERYONE, False),
    "frameworks:version_upload": ("framework", ADMIN, True),
    "frameworks:version_preview": ("framework_upload", ADMIN, True),
    "frameworks:version_discard": ("framework_upload", ADMIN, POST_ONLY),
    "frameworks:outcome_tags": ("outcome", ADMIN, True),
    "frameworks:indicator_tags": ("indicator", ADMIN, True),
    "frameworks:action_tags": ("action", ACTION_EDITORS, True),
    "voices:latest": (None, EVERYONE, False),
    "voices:you_said_we_did": ("strategy", EVERYONE, False),
    "voices:voice_create": ("strategy", VOICE_RECORDERS, True),
    "voices:voice_detail": ("voice", EVERYONE, False),
    "voices:voice_edit": ("voice", VOICE_RECORDERS, True),
    "voices:voice_delete": ("voice", VOICE_RECORDERS, True),
    "voices:response_edit": ("voice", VOICE_RECORDERS, True),
    "public:texts": (None, ADMIN, False),
    "feed_guide": (None, EVERYONE, False),
    "api_token_create": ("person", ADMIN, True),
    "api_token_detail": ("api_token", ADMIN, False),
    "api_token_revoke": ("api_token", ADMIN, POST_ONLY),
    "public:text_approve": ("public_text", ADMIN, POST_ONLY),
    "public:text_withdraw": ("public_text", ADMIN, POST_ONLY),
}
# Sign-in pages answer differently: checked in test_security.py, listed here so none is missed.
AUTH_PAGES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change",
    "password_change_done",
    # The second step of signing in: only a session part-way through signing in sees it.
    "two_step_verify",
}
# Pages anyone may read, signed in or not: checked in test_production.py.
PUBLIC_PAGES = {"privacy_notice", "accessibility_statement", "help", "contact"}
# The council's public page: anyone once it is switched on, only administrators (a preview)
# before. Checked in test_public.py.
PUBLIC_SITE = {
    "public:home",
    "public:you_said_we_did",
    "public:measures",
    "public:measure",
    "public:measure_csv",
}


# The records feed answers a token (401 without one), not the sign-in page: test_api.py.
FEED = {f"api:{name}" for name in ("schema", "plans", "actions", "updates", "figures")} | {
    "api:framework_tags"
}


def all_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    missing = set(all_url_names()) - set(EXPECTED) - AUTH_PAGES - PUBLIC_PAGES - PUBLIC_SITE - FEED
    assert not missing, f"Add these URLs to EXPECTED in {__name__}: {sorted(missing)}"


URL_KWARGS = ("pk", "strategy_pk", "outcome_pk", "plan_pk", "priority_pk", "period_pk")


def url_for(name, record_key, records):
    if record_key is None:
        return reverse(name)
    if isinstance(records[record_key], dict):
        return reverse(name, kwargs=records[record_key])
    kwarg = next(k for k in URL_KWARGS if _takes(name, k))
    return reverse(name, kwargs={kwarg: records[record_key].pk})


def _takes(name, kwarg):
    try:
        reverse(name, kwargs={kwarg: 1})
    except Exception:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_answers_each_role(name, client, users, plan_records):
    record_key, allowed, is_write = EXPECTED[name]
    url = url_for(name, record_key, plan_records)

    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
        f"anonymous visitor on {url}"
    )

    for role, user in users.items():
        client.force_login(user)
        if is_write == POST_ONLY:
            assert client.get(url).status_code == 405, f"{role} GET {url}"
            if role not in allowed:
                assert client.post(url, {}).status_code == 403, f"{role} POST {url}"
            continue
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, f"{role} GET {url}"
        if is_write and role not in allowed:
            assert client.post(url, {}).status_code == 403, f"{role} POST {url}"

    # Last, as the action changes state (a discard deletes its record): one allowed role does it.
    if is_write == POST_ONLY:
        client.force_login(users[sorted(allowed)[0]])
        done = 204 if name in ANSWERED_WITHOUT_A_PAGE else 302
        assert client.post(url, {}).status_code == done, f"{sorted(allowed)[0]} POST {url}"
