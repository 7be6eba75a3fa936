"""An administrator adds a framework's later version without a release: download the version in
use as a file, change it, upload it, check the preview, confirm. The old version and its tags
stay; what was tagged with an item whose code the new version keeps is tagged with it too."""

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks import selectors, services
from frameworks.models import Framework, FrameworkItem, FrameworkUpload
from frameworks.services import framework_tags_save, install_shipped_frameworks
from lacstrategy.services import PreviewOutOfDate
from tests.factories import ActionFactory, VoiceFactory, later_version_file

pytestmark = pytest.mark.django_db

CODE = "childrens-social-care-national-framework"


@pytest.fixture
def national(users):
    install_shipped_frameworks(actor=users["administrator"])
    return Framework.objects.get(code=CODE, is_current=True)


def _downloaded(client, framework):
    response = client.get(reverse("frameworks:version_file", args=[framework.pk]))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def _upload(client, framework, data, name="national-framework-2026.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(
        reverse("frameworks:version_upload", args=[framework.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/json")},
    )


def _confirm(client, upload, fingerprint=None):
    page = client.get(upload.get_absolute_url()).content.decode()
    if fingerprint is None:
        fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    return client.post(upload.get_absolute_url(), {"fingerprint": fingerprint})


def test_download_change_upload_check_and_confirm(client, users, national):
    admin = users["administrator"]
    stable = national.items.get(code="stable-loving-homes")
    workforce = national.items.get(code="equipped-workforce")
    action = ActionFactory()
    voice = VoiceFactory()
    framework_tags_save(record=action, actor=admin, items=[stable, workforce])
    framework_tags_save(record=voice, actor=admin, items=[stable])
    client.force_login(admin)

    data = _downloaded(client, national)
    assert [item["code"] for item in data["items"]] == list(
        national.items.values_list("code", flat=True)
    )
    data.update(edition="March 2026", published_on="2026-03-31", source="DfE, revised")
    data["items"] = [item for item in data["items"] if item["code"] != "equipped-workforce"]
    data["items"][3]["title"] = (
        "Children in care and care leavers have stable, loving homes for good"
    )
    data["items"].append(
        {"code": "new-enabler", "part": "Enablers", "label": "Enabler", "title": "Data is shared"}
    )
    response = _upload(client, national, data)
    upload = FrameworkUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()

    # The preview says what will happen, and saves nothing.
    response = client.get(upload.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the new version before it is added" in page
    assert "Kept, reworded" in page and "New</strong>" in page
    assert "2 tags on" in page  # the action's and the view's tags of stable-loving-homes
    assert "The workforce is equipped and effective" in page.split("Not in the new version")[1]
    assert Framework.objects.filter(code=CODE).count() == 1

    response = _confirm(client, upload)
    newer = Framework.objects.get(code=CODE, is_current=True)
    assert response.status_code == 302 and response["Location"] == newer.get_absolute_url()
    assert newer.edition == "March 2026" and newer.source == "DfE, revised"
    national.refresh_from_db()
    assert not national.is_current  # the earlier version stays, with its tags
    carried = newer.items.get(code="stable-loving-homes")
    assert carried.title.endswith("for good")
    assert set(action.framework_items.all()) == {stable, workforce, carried}
    assert set(voice.framework_items.all()) == {stable, carried}
    assert action.history.latest().history_change_reason.startswith("Tagged with")
    assert action.history.latest().history_user == admin
    assert newer.history.get().history_user == admin
    assert not FrameworkUpload.objects.exists()
    assert FrameworkUpload.history.filter(history_type="-").get().history_user == admin
    page = client.get(newer.get_absolute_url()).content.decode()
    assert "Data is shared" in page and "Add a later version" in page


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(code="ofsted-ilacs"), "The file is not a version of"),
        (lambda d: d.update(published_on="2023-01-01"), "A later version is published after"),
        (lambda d: d.update(published_on="31/03/2026"), "Give the date it was published"),
        (lambda d: d.update(edition="December 2023"), "already has a version called"),
        (lambda d: d.update(edition=""), "Version: This field cannot be blank"),
        (lambda d: d.update(colour="red"), "fields a framework version does not: colour"),
        (lambda d: d.update(items=[]), "The file lists no items"),
        (lambda d: d["items"].append(dict(d["items"][0])), "another item has the code"),
        (lambda d: d["items"][0].update(title=""), "Item 1, Title: This field cannot be blank"),
        (lambda d: d["items"][1].update(label="x" * 41), "Item 2, Label: Ensure this value"),
        (lambda d: d["items"][2].update(code="Not a code!"), "Item 3, Code: Enter a valid"),
        (lambda d: d["items"].append("Outcome 5"), "Item 8 is not an item"),
        # Found in review: values of the wrong kind, blanks and characters no database keeps.
        (lambda d: d.update(name=None), "Name: This field cannot be blank"),
        (lambda d: d.update(edition="   "), "Version: This field cannot be blank"),
        (lambda d: d.update(edition="DECEMBER 2023 "), "already has a version called"),
        (lambda d: d.update(published_on=20260331), "The file's published on must be text"),
        (lambda d: d.update(published_on="20260331"), "Give the date it was published as"),
        (lambda d: d.update(kind="inspection"), "A later version keeps the framework's kind"),
        (lambda d: d["items"][0].update(code=5), "Item 1's code must be text in quotes"),
        (lambda d: d["items"][0].update(title=True), "Item 1's title must be text in quotes"),
        (lambda d: d["items"][1].update(title="Safe\u0000"), "Item 2's title holds a character"),
        (lambda d: d.update(source="\ud800"), "The file's source holds a character"),
        (lambda d: d.update(**{"x" * 500: 1}), "does not: " + "x" * 60 + "…"),
    ],
)
def test_a_file_with_problems_says_what_they_are_and_adds_nothing(
    client, users, national, change, message
):
    client.force_login(users["administrator"])
    data = json.loads(later_version_file(national))
    change(data)
    _upload(client, national, data)  # JSON escapes a NUL or half a character: sent as is
    upload = FrameworkUpload.objects.get()
    response = client.get(upload.get_absolute_url())
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page, page.split("govuk-error-summary__list")[1][:600]
    assert "Add version" not in page
    # Confirming anyway adds nothing.
    assert (
        client.post(upload.get_absolute_url(), {"fingerprint": str(national.pk)}).status_code == 400
    )
    assert Framework.objects.filter(code=CODE).count() == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not a framework version file"),
        (b"x" * (1024 * 1024 + 1), "The file is larger than 1 MB"),
        (b"", "The file is empty"),
    ],
)
def test_a_file_that_is_not_a_version_is_refused_at_the_upload(
    client, users, national, content, message
):
    client.force_login(users["administrator"])
    response = _upload(client, national, content, name="photo.png")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FrameworkUpload.objects.exists()


def test_a_file_that_is_not_json_is_explained_in_the_preview(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, b"Outcome,Title\n1,Stable homes\n", name="framework.csv")
    response = client.get(FrameworkUpload.objects.get().get_absolute_url())
    assert response.status_code == 400
    assert "The file is not a framework version file (JSON" in response.content.decode()


def test_a_double_click_adds_the_version_once(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, json.loads(later_version_file(national)))
    upload = FrameworkUpload.objects.get()
    fingerprint = str(national.pk)
    assert _confirm(client, upload, fingerprint).status_code == 302
    response = client.post(upload.get_absolute_url(), {"fingerprint": fingerprint}, follow=True)
    assert "That upload has already been added or discarded" in response.content.decode()
    assert Framework.objects.filter(code=CODE).count() == 2


def test_a_version_added_meanwhile_makes_the_preview_out_of_date(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, json.loads(later_version_file(national)))
    first = FrameworkUpload.objects.get()
    later = json.loads(later_version_file(national, edition="2031", published_on="2031-01-31"))
    _upload(client, national, later)
    second = FrameworkUpload.objects.exclude(pk=first.pk).get()
    seen = client.get(second.get_absolute_url()).content.decode()
    assert f'name="fingerprint" value="{national.pk}"' in seen
    assert _confirm(client, first).status_code == 302

    response = client.post(second.get_absolute_url(), {"fingerprint": str(national.pk)})
    assert response.status_code == 409
    page = response.content.decode()
    assert "another version was added while you were checking" in page
    assert "in use now: 2030" in page  # compared with the version added meanwhile
    assert Framework.objects.filter(code=CODE).count() == 2
    assert _confirm(client, second).status_code == 302
    assert Framework.objects.get(code=CODE, is_current=True).edition == "2031"


def test_discarding_an_upload_saves_nothing(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, json.loads(later_version_file(national)))
    upload = FrameworkUpload.objects.get()
    response = client.post(reverse("frameworks:version_discard", args=[upload.pk]), follow=True)
    assert "was discarded: nothing from it was saved" in response.content.decode()
    assert not FrameworkUpload.objects.exists()
    assert Framework.objects.filter(code=CODE).count() == 1


def test_only_the_version_in_use_offers_a_later_version(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, json.loads(later_version_file(national)))
    _confirm(client, FrameworkUpload.objects.get())
    page = client.get(national.get_absolute_url()).content.decode()
    assert "Add a later version" not in page and "Download this version" in page
    url = reverse("frameworks:version_upload", args=[national.pk])
    assert client.get(url).status_code == 404
    client.force_login(users["viewer"])
    newer = Framework.objects.get(code=CODE, is_current=True)
    assert "Add a later version" not in client.get(newer.get_absolute_url()).content.decode()


@pytest.mark.parametrize("tagged", [2, 30])
def test_the_preview_s_queries_do_not_grow_with_tags(
    client, users, national, tagged, django_assert_max_num_queries
):
    items = list(national.items.all())
    for number in range(tagged):
        framework_tags_save(
            record=ActionFactory(), actor=users["administrator"], items=items[: 1 + number % 3]
        )
    client.force_login(users["administrator"])
    _upload(client, national, json.loads(later_version_file(national)))
    upload = FrameworkUpload.objects.get()
    with django_assert_max_num_queries(20):
        response = client.get(upload.get_absolute_url())
    assert response.status_code == 200
    expected = sum(1 + number % 3 for number in range(tagged))
    assert f"{expected} tags on" in response.content.decode()
    assert FrameworkItem.objects.filter(framework__code=CODE).count() == 7


def test_a_file_nested_too_deep_is_explained_not_an_error(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, b"[" * 100_000, name="deep.json")
    response = client.get(FrameworkUpload.objects.get().get_absolute_url())
    assert response.status_code == 400
    assert "The file is not a framework version file (JSON" in response.content.decode()


def test_an_upload_confirmed_while_another_waited_shows_the_new_preview(
    users, national, monkeypatch
):
    # Two administrators confirm two uploads at once: the second, past its preview before the
    # first was saved, finds the version it extends no longer in use.
    admin = users["administrator"]
    first = services.framework_upload_create(
        framework=national,
        actor=admin,
        file_name="a.json",
        data=later_version_file(national).encode(),
    )
    second = services.framework_upload_create(
        framework=national,
        actor=admin,
        file_name="b.json",
        data=later_version_file(national, edition="2031", published_on="2031-01-31").encode(),
    )
    seen_before = selectors.version_preview(upload=second)
    services.framework_upload_apply(upload=first, actor=admin, fingerprint=str(national.pk))
    previews = iter([seen_before])
    monkeypatch.setattr(
        services,
        "version_preview",
        lambda *, upload: next(previews, None) or selectors.version_preview(upload=upload),
    )
    with pytest.raises(PreviewOutOfDate) as raised:
        services.framework_upload_apply(upload=second, actor=admin, fingerprint=str(national.pk))
    assert raised.value.preview.in_use.edition == "2030"
    assert Framework.objects.filter(code=CODE).count() == 2


def test_a_discard_after_the_version_was_added_says_so(client, users, national):
    client.force_login(users["administrator"])
    _upload(client, national, json.loads(later_version_file(national)))
    _upload(
        client,
        national,
        json.loads(later_version_file(national, edition="2031", published_on="2031-01-31")),
    )
    first, second = FrameworkUpload.objects.order_by("pk")
    page = client.get(reverse("frameworks:version_upload", args=[national.pk])).content.decode()
    assert f'action="/frameworks/uploads/{second.pk}/discard/"' in page  # each waiting upload
    assert _confirm(client, first).status_code == 302
    discard = reverse("frameworks:version_discard", args=[first.pk])
    response = client.post(discard, follow=True)
    assert "That upload has already been added or discarded" in response.content.decode()
    assert not FrameworkUpload.history.filter(history_change_reason="Upload discarded").exists()
    # Discarding the other goes back to the upload page of the version now in use.
    response = client.post(reverse("frameworks:version_discard", args=[second.pk]))
    newer = Framework.objects.get(code=CODE, is_current=True)
    assert response["Location"] == reverse("frameworks:version_upload", args=[newer.pk])
