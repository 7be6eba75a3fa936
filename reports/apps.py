from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Committee reports, and the plan and strategy documents, in print, PDF, Word and Excel."""

    name = "reports"
    verbose_name = "Reports and documents"
