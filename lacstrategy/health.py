"""/healthz, for load balancers and the container's health check.

Answered before any other middleware: a load balancer asks by the server's address, which is
not among ALLOWED_HOSTS, and over plain HTTP, which the HTTPS redirect would turn away. It needs
no sign-in and says nothing but whether the database answers.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return False
    return True


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH:
            return self.get_response(request)
        if database_answers():
            return JsonResponse({"status": "ok", "database": "ok"})
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
