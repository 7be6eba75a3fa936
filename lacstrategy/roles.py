"""The roles of DESIGN.md, held as auth groups. A person can hold several."""

ADMINISTRATOR = "Administrator"
STRATEGY_GROUP_MEMBER = "Strategy Group member"
OUTCOME_OWNER = "Outcome owner"
COMMITTEE_OFFICER = "Committee officer"
PARTICIPATION_WORKER = "Participation worker"
VIEWER = "Viewer"

ALL_ROLES = [
    ADMINISTRATOR,
    STRATEGY_GROUP_MEMBER,
    OUTCOME_OWNER,
    COMMITTEE_OFFICER,
    PARTICIPATION_WORKER,
    VIEWER,
]


def role_label(name, terms):
    """How a role is shown to people: three roles carry the council's own words. The group names
    stay as they are, as permissions and backups refer to them."""
    return {
        STRATEGY_GROUP_MEMBER: f"{terms.review_group} member",
        OUTCOME_OWNER: f"{terms.outcome[:1].upper()}{terms.outcome[1:]} owner",
        COMMITTEE_OFFICER: f"{terms.committee} officer",
    }.get(name, name)


def user_roles(user):
    """The names of the user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def role_groups(names):
    """The groups for these role names, created if missing (a flushed test database has none)."""
    from django.contrib.auth.models import Group

    return [Group.objects.get_or_create(name=name)[0] for name in names]
