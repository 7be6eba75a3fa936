"""One log line for each request: method, path, status, duration and the user's id.

The user's id, never a name, and the path without its query string, so that no personal data
reaches the logs. With LOG_FORMAT=json the same facts are JSON fields.
"""

import ipaddress
import logging
import time

from django.conf import settings

logger = logging.getLogger("lacstrategy.requests")


def _ip_address(entry):
    """The address in a forwarded entry, which some proxies write with a port ("1.2.3.4:5678",
    "[::1]:5678"); None if it is not an address at all."""
    candidates = [entry]
    if entry.startswith("["):
        candidates.append(entry[1:].partition("]")[0])
    elif entry.count(":") == 1:
        candidates.append(entry.partition(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_address(request):
    """The address the person's request came from. Each trusted reverse proxy appends the
    address it was reached from to X-Forwarded-For, so the person's is that many entries from
    the right: anything further left was written by the browser and could be anything."""
    proxies = settings.TRUSTED_PROXY_COUNT or 0
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        address = _ip_address(forwarded[-proxies])
        if address:
            return address
    return request.META.get("REMOTE_ADDR")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if settings.REQUEST_LOG:
            duration_ms = round((time.perf_counter() - started) * 1000)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            logger.info(
                "%s %s %s %sms user=%s",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                user_id if user_id is not None else "-",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                },
            )
        return response
