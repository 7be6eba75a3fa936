"""The costly part of a page, cached until any record changes.

A page wraps that part in `{% cache ... records_version page_variant %}`. The key moves on
with `history.records_version()` (every write leaves a history row) and varies with what else
the part depends on: the person (what they may do), their CSRF secret (the tokens in its
forms), the address with its filters, and today's date (what is overdue). Each web process
keeps its own entries in memory (settings.CACHES["template_fragments"]).
"""

import hashlib

from django.middleware.csrf import get_token
from django.utils import timezone

from lacstrategy.history import records_version


def context(request):
    get_token(request)  # the secret the part's forms are signed with, made now if missing
    variant = "\n".join(
        [
            str(request.user.pk),
            request.META["CSRF_COOKIE"],
            request.get_full_path(),
            timezone.localdate().isoformat(),
        ]
    )
    return {
        "records_version": records_version(),
        "page_variant": hashlib.sha256(variant.encode()).hexdigest(),
    }
