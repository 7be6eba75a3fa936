from django.apps import AppConfig


class RedactionConfig(AppConfig):
    """An administrator's removal of a piece of text (a child's name) from the records, their
    history and the draft reports, recorded with who and why."""

    name = "redaction"
    verbose_name = "Redaction"
