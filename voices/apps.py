from django.apps import AppConfig


class VoicesConfig(AppConfig):
    name = "voices"
    verbose_name = "Children and young people's views"
