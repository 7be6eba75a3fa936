from django.conf import settings
from django.utils.functional import SimpleLazyObject

from lacstrategy import two_step
from lacstrategy.selectors import council


def service(request):
    """The council's own words for every page; read from the database once, when a page uses
    them."""
    current = SimpleLazyObject(council)
    return {
        "council": current,
        "service_name": SimpleLazyObject(lambda: current.service_name),
        "council_name": SimpleLazyObject(lambda: current.name),
        "committee_name": settings.COMMITTEE_NAME,
        # Signed in with a password, but not yet through two-step sign-in.
        "sign_in_unfinished": bool(getattr(request, "session", {}).get(two_step.STEP)),
    }
