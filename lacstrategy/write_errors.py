"""One place that turns a refused write into a page that says what happened.

A view that writes may let EditConflict (someone saved first), ValidationError (the service
refused) or a unique constraint's IntegrityError (usually the other half of a double-click)
escape: the person then gets a clear GOV.UK page, with what they typed shown back so that
nothing is lost, never the error page. Views that can do better (a form shown again with its
errors, the conflict page with their changes) still catch these themselves. Anything else, and
any of these on a page that only reads, is a bug: it is left to the error page and the logs.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from lacstrategy.services import EditConflict

logger = logging.getLogger(__name__)

# Posted fields that are the form's machinery, not what the person typed.
MACHINERY = {"csrfmiddlewaretoken", "seen_version", "submit"}
# Never shown back: a page is no place for a password or a sign-in code.
SECRET_FIELD_WORDS = ("password", "token", "otp")
# What each database says when a unique constraint refuses a row (PostgreSQL's unique_violation
# code; SQLite has only the message).
UNIQUE_VIOLATION_PGCODE = "23505"


def _what_they_typed(request):
    """The free text in the refused form, to copy before trying again."""
    typed = []
    for name, values in request.POST.lists():
        if name in MACHINERY or name.endswith("seen_version"):
            continue
        if any(word in name.lower() for word in SECRET_FIELD_WORDS):
            continue
        typed.extend(value for value in values if " " in value.strip())
    return typed


def is_unique_violation(error):
    cause = error.__cause__
    if getattr(cause, "pgcode", None) == UNIQUE_VIOLATION_PGCODE:
        return True
    return str(error).startswith("UNIQUE constraint failed")


def way_back(request, default="/"):
    """The page the post came from, if it is one of this service's."""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return default


class WriteErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST":
            return None
        if isinstance(exception, EditConflict):
            heading = "Someone else changed this at the same time"
            explanation = [
                f"{exception.record} was changed by someone else after you opened it, so your "
                "change was not saved. Go back, check what is there now, and make your change "
                "again if it is still needed."
            ]
            status = 409
        elif isinstance(exception, IntegrityError) and is_unique_violation(exception):
            logger.warning("A unique constraint refused a write: %s", exception, exc_info=True)
            heading = "This was done at the same moment by someone else"
            explanation = [
                "The same change reached the service twice at once (for example a double-click, "
                "or two people), so only one of them was kept. Go back and check the page: what "
                "you wanted may already be there."
            ]
            status = 409
        elif isinstance(exception, ValidationError):
            heading = "This could not be saved"
            explanation = exception.messages
            status = 400
        else:
            return None
        return refused_write_page(request, heading=heading, explanation=explanation, status=status)


def refused_write_page(request, *, heading, explanation, status, way_on=None, way_on_label=""):
    """The page for a post that was not saved: why, what was typed, and the way back (or on)."""
    context = {
        "heading": heading,
        "explanation": explanation,
        "typed": _what_they_typed(request),
        "way_back": way_on or way_back(request),
        "way_back_label": way_on_label or "Go back",
    }
    return render(request, "layouts/write_refused.html", context, status=status)
