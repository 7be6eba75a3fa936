from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """Indicator figures over time, benchmarks from DfE open data, and their charts."""

    name = "figures"
    verbose_name = "Indicator figures"
