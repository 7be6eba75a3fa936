"""The costly part of a page, cached until any record changes.

A page wraps that part in `{% cache ... user.pk records_version page_variant %}`. The key moves
on with `history.records_version()` (every write leaves a history row) and varies with what else
the part depends on: the person (what they may do), their CSRF secret (the tokens in its forms),
the address and the filters the page reads, and today's date (what is overdue). Each web process
keeps its own entries in memory (settings.CACHES["template_fragments"]): the first view in each
process, in each session (a new CSRF secret) and after any write renders the part again. So does
every view while a background job is writing, since any write moves the version on."""

import hashlib

from django.middleware.csrf import get_token
from django.utils import timezone

from lacstrategy.history import records_version


def context(request, *, parameters=()):
    """The values the page's `{% cache %}` tag varies on. `parameters` are the names of the
    query parameters the page reads: others (a link's tracking code, say) make no new entry."""
    get_token(request)  # the secret the part's forms are signed with, made now if missing
    asked = sorted((name, request.GET.getlist(name)) for name in parameters if name in request.GET)
    variant = "\n".join(
        [
            str(request.user.pk),
            request.META["CSRF_COOKIE"],
            request.path,
            repr(asked),
            timezone.localdate().isoformat(),
        ]
    )
    return {
        "records_version": records_version(),
        "page_variant": hashlib.sha256(variant.encode()).hexdigest(),
    }
