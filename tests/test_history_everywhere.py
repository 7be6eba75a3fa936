"""Every model of this project keeps its history, so a later model cannot forget to."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from simple_history.models import HistoricalChanges

# The project's own apps: those in this repository, but search (it has no records) and
# redaction (its log of what was removed is not itself edited, so it has no history).
PROJECT_APPS = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR)
    and ".venv" not in Path(config.path).parts
} - {"search", "redaction"}


# Logs that are written once and never edited: they are their own history.
LOGS = {"api.ApiCall"}


def project_models():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical"):
            continue  # the history tables themselves
        if model._meta.label in LOGS:
            continue
        yield model


def test_project_has_models():
    assert {m.__name__ for m in project_models()} >= {
        "User",
        "Strategy",
        "Outcome",
        "Indicator",
        "ActionPlan",
        "PriorityIndicator",
        "Action",
    }


def test_every_project_model_keeps_history():
    lacking = [m.__name__ for m in project_models() if not hasattr(m, "history")]
    assert not lacking, f"Add history = HistoricalRecords() to: {lacking}"


def test_many_to_many_fields_are_in_the_history():
    for model in project_models():
        tracked = {f.name for f in model.history.model._history_m2m_fields}
        for m2m in model._meta.local_many_to_many:
            if m2m.name == "user_permissions":
                continue  # unused: permissions come from roles, in lacstrategy.permissions
            assert m2m.name in tracked, f"{model.__name__}.{m2m.name} is not in its history"
