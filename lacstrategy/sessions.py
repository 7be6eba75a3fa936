"""What a signed-in session may keep and how long it lasts unattended.

- After SESSION_IDLE_MINUTES without a request the person is signed out; the sign-in page then
  says why and brings them back to where they were.
- Signed-in pages and downloads are never stored by the browser or a proxy (Cache-Control:
  no-store): they describe children's services, and a shared computer's Back button or cache
  should not show them to the next person.
- Every response says which powerful browser features the service never uses
  (Permissions-Policy).
- Signed-in pages warn two minutes before the idle sign-out, with a button to stay signed in
  (GOV.UK's timeout warning: templates/partial/timeout_warning.html, static/js/
  session-timeout.js). Without JavaScript there is no warning: the next page asks to sign in.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from lacstrategy import permissions
from lacstrategy.write_errors import refused_write_page, way_back

LAST_SEEN = "last_seen"
# Saving the session on every request would write to the database each time: once a minute
# is precise enough for a timeout counted in tens of minutes.
SAVE_EVERY_SECONDS = 60
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), interest-cohort=()"
)


def seconds_left(request):
    """How long this session has before the idle sign-out, as the server counts it."""
    last_seen = request.session.get(LAST_SEEN, time.time())
    return max(0, round(settings.SESSION_IDLE_MINUTES * 60 - (time.time() - last_seen)))


@require_POST
def stay_signed_in(request):
    """The timeout warning's button. 204: a browser posting the form itself stays on its page."""
    permissions.require(request.user, "lacstrategy.view_records")
    request.session[LAST_SEEN] = time.time()
    return HttpResponse(status=204)


urlpatterns = [path("accounts/stay-signed-in/", stay_signed_in, name="stay_signed_in")]


def start_the_idle_clock(sender, request, **kwargs):
    """At sign-in, so that the first page after it does not write the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = time.time()


class SessionSafetyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                return self.signed_out(request)
            if now - last_seen >= SAVE_EVERY_SECONDS or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def signed_out(self, request):
        """Sign out; a form posted after the timeout (typed for longer than it) is shown back,
        so that what was typed is not lost."""
        logout(request)
        if request.method != "POST":
            query = urlencode({"next": request.get_full_path(), "timed_out": "1"})
            return redirect(f"{reverse('login')}?{query}")
        # Back to the form (a button's own address may only take posts).
        query = urlencode({"next": way_back(request, default=request.path), "timed_out": "1"})
        page = refused_write_page(
            request,
            heading="You were signed out",
            explanation=[
                f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without "
                "activity, to protect the information, so your change was not saved."
            ],
            status=401,
            way_on=f"{reverse('login')}?{query}",
            way_on_label="Sign in again",
        )
        patch_cache_control(page, no_store=True, private=True)  # it shows what was typed
        return page
