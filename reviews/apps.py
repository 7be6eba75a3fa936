from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The quarterly review cycle (review periods, outcome owners' updates) lives here."""

    name = "reviews"
    verbose_name = "Quarterly reviews"
