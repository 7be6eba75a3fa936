"""The browser tests' hook runs axe-core on every page a test opens, not only those it names."""

import pytest

from lacstrategy import roles
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

# A page in breach (an image with no text alternative), served as if by the site.
IN_BREACH = (
    '<!doctype html><html lang="en"><head><title>In breach</title></head>'
    '<body><main><h1>In breach</h1><img src="/static/missing.png"></main></body></html>'
)


@pytest.mark.django_db(transaction=True)
def test_every_page_opened_is_checked_and_a_breach_fails_the_test(new_page, axe_every_page):
    page = new_page()
    # A page route is asked before the hook's context route, so it goes through the hook's hold.
    page.route(
        "**/in-breach/",
        lambda route, request: axe_every_page._route(
            route, request, lambda: route.fulfill(body=IN_BREACH, content_type="text/html")
        ),
    )
    page.goto("/accounts/login/")
    page.goto("/in-breach/")
    page.goto("/privacy/")  # leaving the page in breach waits for its check

    with pytest.raises(pytest.fail.Exception) as failure:
        axe_every_page.finish([page])

    checked = sorted(
        url.removeprefix(page.url.rsplit("/privacy/")[0]) for url in axe_every_page.checked
    )
    assert checked == ["/accounts/login/", "/in-breach/", "/privacy/"]
    assert "/in-breach/: [{'id': 'image-alt'" in str(failure.value)
    assert "/accounts/login/:" not in str(failure.value)
    axe_every_page.checked.clear()  # the breach was the point: the fixture's own check passes


@pytest.mark.django_db(transaction=True)
def test_a_download_and_a_form_post_are_followed_without_breaking_the_check(
    new_page, axe_every_page
):
    UserFactory(username="someone", roles=[roles.VIEWER])
    page = new_page()
    sign_in(page, "someone", "a-test-password")  # a form posted, then a redirect
    page.wait_for_url("**/")
    with page.expect_download() as download:
        page.evaluate("location.href = '/plans/action-plan-template.xlsx'")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto("/privacy/")
    axe_every_page.finish([page])
    assert len(axe_every_page.checked) == 3, axe_every_page.checked
