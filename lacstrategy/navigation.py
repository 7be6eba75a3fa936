"""The GOV.UK service navigation: its items, which one the page is in, and who sees each."""

from dataclasses import dataclass

from django.urls import reverse

from lacstrategy import permissions, two_step

PEOPLE_PAGES = {
    "people_list",
    "person_create",
    "person_detail",
    "person_edit",
    "person_unlock",
    "person_two_step_remove",
    "access_log",
    "council_settings",
    "deleted_records",
    "revert_record",
    "restore_record",
}

# (label, URL name, the pages under it as URL names or "namespace:", permission or None).
ITEMS = [
    ("Home", "home", {"home"}, None),
    ("Strategies", "outcomes:strategy_list", {"outcomes:", "actionplans:", "figures:"}, None),
    ("My updates", "reviews:my_updates", {"reviews:my_updates", "reviews:update_"}, None),
    ("You said, we did", "voices:latest", {"voices:"}, None),
    ("Reports", "reports:report_list", {"reports:"}, None),
    ("Recent changes", "recent_changes", {"recent_changes"}, None),
    ("Search", "search:results", {"search:"}, "lacstrategy.view_records"),
    (
        "People and roles",
        "people_list",
        PEOPLE_PAGES | {"redaction:", "public:texts", "api_token_"},
        "lacstrategy.manage_people",
    ),
]


@dataclass
class Item:
    label: str
    url: str
    current: str  # aria-current: "page" on the item's own page, "true" below it, "" elsewhere


def _in_section(view_name, pages):
    return any(
        view_name == page or (page.endswith((":", "_")) and view_name.startswith(page))
        for page in pages
    )


def items_for(request):
    """The items this person may use, the one the page belongs to marked."""
    # Error pages can be drawn before the session and the user are known.
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or getattr(request, "session", {}).get(two_step.STEP)
    ):
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    items = []
    for label, url_name, pages, permission in ITEMS:
        if not permissions.allows(user, permission or "lacstrategy.view_records"):
            continue
        url = reverse(url_name)
        if request.path == url:
            current = "page"
        elif _in_section(view_name, pages):
            current = "true"
        else:
            current = ""
        items.append(Item(label, url, current))
    return items
