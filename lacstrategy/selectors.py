import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Value
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lacstrategy.models import Council
from lacstrategy.services import SYSTEM_USERNAME
from outcomes.models import Outcome

# Within a request the council is read once, however many pages, forms and documents ask.
_request_cache = contextvars.ContextVar("council_cache", default=None)


def council():
    """The council's names and words; before `setup_council`, an unsaved one with no name and
    the default words."""
    cache = _request_cache.get()
    if cache is None:
        return Council.objects.filter(pk=1).first() or Council()
    if "council" not in cache:
        cache["council"] = Council.objects.filter(pk=1).first() or Council()
    return cache["council"]


def terms():
    """The council's words for the strategy's parts (see models.Terms)."""
    return council().terms


# The product's own names for the strategy's levels, as model and field names spell them.
LEVEL_WORDS = re.compile(
    r"\b(priority indicators|priority indicator|priority areas|priority area|outcome groups|"
    r"outcome group|outcomes|outcome)\b",
    re.I,
)
LEVEL_TERMS = {
    "priority indicators": "priorities",
    "priority indicator": "priority",
    "priority areas": "priorities",
    "priority area": "priority",
    "outcome groups": "groups",
    "outcome group": "group",
    "outcomes": "outcomes",
    "outcome": "outcome",
}


def in_council_words(text):
    """`text` built from the product's names (a field's label, a record's kind) in the
    council's words: "Position in the outcome's actions" may become "... statement's ..."."""
    words = terms()

    def swap(match):
        found = match.group(0)
        word = getattr(words, LEVEL_TERMS[found.lower()])
        return word[:1].upper() + word[1:] if found[:1].isupper() else word

    return LEVEL_WORDS.sub(swap, str(text))


@contextmanager
def council_read_once():
    """Within it (a request, a background job), `council()` reads the database once."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


class CouncilOncePerRequest:
    """Middleware: the council read by `council()` is kept for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with council_read_once():
            return self.get_response(request)


def forget_council():
    """After a save, the rest of the request reads the council again."""
    cache = _request_cache.get()
    if cache is not None:
        cache.clear()


def people_list():
    """Everyone who can be given a sign-in, with their roles and the outcomes they own."""
    return (
        get_user_model()
        .objects.exclude(username=SYSTEM_USERNAME)
        .prefetch_related(
            "groups",
            Prefetch(
                "owned_outcomes", queryset=Outcome.objects.select_related("strategy", "group")
            ),
        )
    )


def person_detail(*, pk):
    return people_list().get(pk=pk)


def access_events():
    """Sign-ins, sign-outs and failed sign-ins, newest first, as one query to paginate."""
    columns = ("event", "moment", "username", "ip_address", "user_agent")

    def event(queryset, name, moment):
        return (
            queryset.order_by()
            .annotate(event=Value(name, output_field=CharField()), moment=F(moment))
            .values(*columns)
        )

    sign_ins = event(AccessLog.objects.all(), "Signed in", "attempt_time")
    sign_outs = event(AccessLog.objects.exclude(logout_time=None), "Signed out", "logout_time")
    failures = event(
        AccessFailureLog.objects.filter(locked_out=False), "Failed sign-in", "attempt_time"
    )
    lockouts = event(
        AccessFailureLog.objects.filter(locked_out=True), "Refused: account locked", "attempt_time"
    )
    return sign_ins.union(sign_outs, failures, lockouts, all=True).order_by("-moment")


def locked_usernames():
    """Usernames locked out now by repeated failed sign-ins (django-axes)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )


def two_step_device(*, user):
    """The person's authenticator app, once confirmed with a code; None if two-step is off."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(*, user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass
class SetupGap:
    """Something an administrator has still to set up, and the page where it is done."""

    text: str
    link_text: str
    url: str


def setup_gaps(*, periods=None, today=None):
    """What is missing before the quarterly cycle can run, in a fixed number of queries.
    `periods` are each plan's current quarter, when the caller has them already."""
    # These apps' models read this module (terms), so they are imported when asked.
    from actionplans.models import ActionPlan, PriorityIndicator
    from outcomes.models import Strategy
    from reviews.selectors import current_periods

    today = today or timezone.localdate()
    words = terms()
    gaps = []
    settings_url = reverse("council_settings")
    this_council = council()
    if not this_council.name:
        gaps.append(
            SetupGap(
                "The council's name is not set yet, so pages, documents and e-mails cannot "
                "show it.",
                "Set it in Council settings",
                settings_url,
            )
        )
    if not (this_council.support_email or this_council.support_phone or this_council.support_url):
        gaps.append(
            SetupGap(
                "The Help and Contact pages give nobody to ask for help with this service.",
                "Add a help contact in Council settings",
                settings_url + "#id_support_email",
            )
        )
    if not this_council.accessibility_prepared:
        gaps.append(
            SetupGap(
                "The accessibility statement does not say when it was prepared; the law asks "
                "for the date.",
                "Add the statement's dates in Council settings",
                settings_url + "#id_accessibility_prepared_0",
            )
        )
    # Whether each has a plan and each plan a priority, not how many (a count reads them all).
    strategies = list(
        Strategy.objects.exclude(status=Strategy.Status.ARCHIVED).annotate(
            plans=Exists(ActionPlan.objects.filter(strategy=OuterRef("pk")))
        )
    )
    if not strategies:
        gaps.append(
            SetupGap(
                f"There is no {words.strategy} yet.",
                "Add the strategy",
                reverse("outcomes:strategy_create"),
            )
        )
    for strategy in strategies:
        if not strategy.plans:
            gaps.append(
                SetupGap(
                    f"{strategy} has no action plan yet.",
                    "Add an action plan",
                    reverse("actionplans:plan_create", args=[strategy.pk]),
                )
            )
    empty_plans = (
        ActionPlan.objects.filter(strategy__in=strategies)
        .exclude(Exists(PriorityIndicator.objects.filter(action_plan=OuterRef("pk"))))
        .select_related("strategy")
    )
    for plan in empty_plans:
        gaps.append(
            SetupGap(
                f"{plan} of {plan.strategy} has no {words.priorities} yet.",
                f"Choose its {words.priorities}",
                plan.get_absolute_url(),
            )
        )
    ownerless = (
        Outcome.objects.filter(strategy__in=strategies, owners__isnull=True)
        .exclude(kind=Outcome.Kind.HEADING)
        .select_related("strategy", "group")
        .order_by("strategy", "order", "number")
    )
    for outcome in ownerless:
        gaps.append(
            SetupGap(
                f"{outcome.short_name} has no owner, so nobody is asked for its quarterly update.",
                f"Choose an owner for {outcome.short_name}",
                reverse("outcomes:outcome_edit", args=[outcome.pk]),
            )
        )
    if not get_user_model().objects.filter(is_chair=True, is_active=True).exists():
        gaps.append(
            SetupGap(
                f"Nobody is the {words.chair}, so submitted updates wait for an administrator "
                "to accept or return them.",
                "Choose the chair in People and roles",
                reverse("people_list"),
            )
        )
    for period in current_periods() if periods is None else periods:
        if period.meeting_on < today:
            gaps.append(
                SetupGap(
                    f"Q{period.quarter} {period.action_plan.year_label} had its review meeting "
                    f"on {period.meeting_on:%-d %B %Y} and is still open.",
                    f"Close Q{period.quarter} once it has been reviewed",
                    reverse("reviews:period_open_or_close", args=[period.pk]),
                )
            )
    return gaps
