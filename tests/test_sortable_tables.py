"""The tables people compare rows in can be sorted (static/js/sortable-tables.js, MOJ Frontend's
sortable table): each sortable header says aria-sort, and each cell whose words would sort
wrongly gives a sort value. Without JavaScript the table is as the server ordered it."""

import re
from html import escape

import pytest
from django.urls import reverse

from reviews.models import OutcomeUpdate

pytestmark = pytest.mark.django_db

SCRIPT = "/static/js/sortable-tables.js"


def sortable_tables(page):
    return re.findall(r'<table[^>]*data-module="moj-sortable-table"', page)


def header_sorts(page):
    return re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)"[^>]*>([^<]*)', page)


def test_the_dashboard_sorts_its_outcomes_by_update_and_rag(client, users, plan_records):
    period = plan_records["period"]
    OutcomeUpdate.objects.filter(pk=plan_records["submitted_update"].pk).update(overall_rag="red")
    client.force_login(users["chair"])

    page = client.get(reverse("reviews:period_dashboard", args=[period.pk])).content.decode()

    assert len(sortable_tables(page)) == 1 and SCRIPT in page
    assert [label for _, label in header_sorts(page)] == ["Outcome", "Update", "Overall RAG"]
    assert header_sorts(page)[0][0] == "ascending"  # as the server ordered it
    # The red outcome sorts before the unrated one; a submitted update after a draft.
    assert 'data-sort-value="1">Red' in page and 'data-sort-value="4"><span' in page
    assert 'data-sort-value="2"' in page and 'data-sort-value="3"' in page


def test_people_sort_by_name_organisation_and_role(client, users):
    client.force_login(users["administrator"])
    page = client.get(reverse("people_list")).content.decode()
    assert len(sortable_tables(page)) == 1 and SCRIPT in page
    assert [label for _, label in header_sorts(page)] == [
        "Name",
        "Job title and organisation",
        "Roles",
    ]
    # Escaped as the template escapes it: names such as O'Brien come from the factory.
    assert f'data-sort-value="{escape(users["viewer"].full_name)}"' in page


def test_the_annual_summary_sorts_priorities_by_how_they_moved(client, users, plan_records):
    client.force_login(users["viewer"])
    url = reverse("actionplans:annual_summary", args=[plan_records["plan"].pk])
    page = client.get(url).content.decode()
    assert len(sortable_tables(page)) == 1 and SCRIPT in page
    # In the plan's order first, or by how far each is from its target (red first).
    assert header_sorts(page) == [("ascending", "Priority indicator"), ("none", "Against target")]
