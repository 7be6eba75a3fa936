from django.conf import settings
from django.utils.functional import SimpleLazyObject

from lacstrategy import navigation, two_step
from lacstrategy.selectors import council
from lacstrategy.sessions import seconds_left


def service(request):
    """The council's own words for every page; read from the database once, when a page uses
    them."""
    current = SimpleLazyObject(council)
    return {
        "council": current,
        "service_name": SimpleLazyObject(lambda: current.service_name),
        "council_name": SimpleLazyObject(lambda: current.name),
        "terms": SimpleLazyObject(lambda: current.terms),
        "session_seconds_left": SimpleLazyObject(lambda: seconds_left(request)),
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "idle_seconds": settings.SESSION_IDLE_MINUTES * 60,
        # Signed in with a password, but not yet through two-step sign-in.
        "sign_in_unfinished": bool(getattr(request, "session", {}).get(two_step.STEP)),
        "service_navigation": SimpleLazyObject(lambda: navigation.items_for(request)),
    }
