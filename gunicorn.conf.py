"""gunicorn's settings for every production start (scripts/start-production.sh passes this file).

Each value can be changed from the environment, so a council's IT team tunes without editing it.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Two workers per core is gunicorn's advice for sync workers (the PDF and chart work runs in
# the background worker), up to 8: in a container cpu_count() sees the host's cores, and each
# worker holds a database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count(), 8))))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then, so a slow leak in a library cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The access log is the application's own request line (lacstrategy.request_log: user id,
# status, duration, plain or JSON), written to stdout; gunicorn's would repeat it without the
# user id. gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "lacstrategy"
# gunicorn's runtime control socket is one path per user: several instances on one machine (and
# a read-only container) would share or fail on it, and nothing here uses it.
control_socket_disable = True
