from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Long jobs run by the background worker, and the page that follows each one."""

    name = "jobs"
    verbose_name = "Background jobs"
