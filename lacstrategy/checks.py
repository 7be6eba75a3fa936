"""Settings a live site must state, checked by `manage.py check --deploy` (which
scripts/start-production.sh runs before serving: an error stops the start)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def trusted_proxy_count_is_stated(app_configs, **kwargs):
    count = settings.TRUSTED_PROXY_COUNT
    if count is not None and count >= 0:
        return []
    return [
        Error(
            "TRUSTED_PROXY_COUNT is not set to a whole number of 0 or more.",
            hint="Set it to the number of reverse proxies in front of the service (usually 1; "
            "0 if browsers reach gunicorn directly). Unset behind a proxy, every sign-in "
            "would seem to come from the proxy, and a few wrong passwords would lock "
            "everyone out.",
            id="lacstrategy.E001",
        )
    ]
