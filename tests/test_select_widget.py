"""lacstrategy.forms.Select writes Django's select in Python: the same HTML, byte for byte."""

import datetime

import pytest
from django import forms
from django.utils.safestring import mark_safe

from lacstrategy.forms import Select

CHOICES = [
    ("", "Anyone"),
    (1, 'Sam "Sammy" O\'Neil & <Co>'),
    ("Outcome 2 <b>", [(2, "Safe"), (3, "Heard & listened to")]),
    (4, "Izzy Martin"),
    (5, mark_safe("Already <em>safe</em> &amp; kept")),
    (6, datetime.date(2024, 1, 2)),
    (7, 12345.5),
]


@pytest.mark.parametrize("value", [None, "", 1, "3", [4]])
@pytest.mark.parametrize(
    "attrs", [None, {"class": "govuk-select govuk-input--error", "aria-invalid": "true"}]
)
def test_the_same_html_as_djangos_select(value, attrs):
    mine = Select(choices=CHOICES).render(
        "person", value, attrs={"id": "id_person", **(attrs or {})}
    )
    django = forms.Select(choices=CHOICES).render(
        "person", value, attrs={"id": "id_person", **(attrs or {})}
    )
    assert mine == django
    assert "&lt;Co&gt;" in mine


def test_a_disabled_or_required_select_writes_its_flags_as_django_does():
    attrs = {"id": "id_kind", "disabled": True, "required": False, "data-x<y": mark_safe("a&b")}
    mine = Select(choices=CHOICES).render("kind", 2, attrs=attrs)
    assert mine == forms.Select(choices=CHOICES).render("kind", 2, attrs=attrs)
    assert " disabled" in mine and "required" not in mine
