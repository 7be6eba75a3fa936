"""Generated input posted to every page that writes: never a 500, and nothing half-saved.

Each write URL of the permissions matrix gets a bounded number of generated posts (the form's
own field names with odd values: huge and negative numbers, impossible dates, formulas, markup,
NUL characters, very long text), as a role allowed to use it. A refused post must leave every
table as it was.
"""

import os
import re

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permissions_matrix import EXPECTED, POST_ONLY, url_for

pytestmark = pytest.mark.django_db

ODD_VALUES = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "2016-02-30",
            "31",
            "13",
            '=HYPERLINK("http://x")',
            "<script>alert(1)</script>",
            "\x00",
            "a" * 5000,
            "on",
            "true",
        ]
    ),
)
WRITE_URLS = sorted(name for name, (_, _, write) in EXPECTED.items() if write)
NAME_RE = re.compile(r'name="([^"]+)"')
MACHINERY = {"csrfmiddlewaretoken"}


# Written by any request (the session, sign-in records): not what the post asked for.
NOT_THE_POST_S = {"sessions", "axes"}


def rows_in_every_table():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_THE_POST_S
    }


@pytest.mark.parametrize("name", WRITE_URLS)
def test_generated_input_never_gives_a_500_nor_a_half_save(name, client, users, plan_records):
    record_key, allowed, kind = EXPECTED[name]
    url = url_for(name, record_key, plan_records)
    client.force_login(users["administrator" if "administrator" in allowed else min(allowed)])
    fields = ["x"]
    if kind != POST_ONLY:
        page = client.get(url).content.decode()
        fields += sorted(set(NAME_RE.findall(page)) - MACHINERY)

    @settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),  # CI's bound; more by hand
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.dictionaries(
            keys=st.sampled_from(fields),
            values=st.one_of(ODD_VALUES, st.lists(ODD_VALUES, max_size=3)),
            max_size=len(fields),
        )
    )
    def post(data):
        before = rows_in_every_table()
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code >= 400:
            assert rows_in_every_table() == before, ("a refused post saved something", url, data)

    post()
