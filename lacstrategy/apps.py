from django.apps import AppConfig


class LacStrategyConfig(AppConfig):
    name = "lacstrategy"
    verbose_name = "LAC Strategy"

    def ready(self):
        from lacstrategy import permissions  # noqa: F401  registers the rules
