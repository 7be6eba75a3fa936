from django.apps import AppConfig


class LacStrategyConfig(AppConfig):
    name = "lacstrategy"
    verbose_name = "Council, people and history"

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from lacstrategy import checks, permissions  # noqa: F401  register the checks, the rules
        from lacstrategy.history import make_history_manager_classes_once
        from lacstrategy.sessions import start_the_idle_clock
        from lacstrategy.signals import note_last_login
        from lacstrategy.two_step import ask_at_sign_in

        # A sign-in is not a change to the person's record: keep it out of their history
        # (sign-ins are in the access log instead).
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(note_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(start_the_idle_clock, dispatch_uid="start_the_idle_clock")
        user_logged_in.connect(ask_at_sign_in, dispatch_uid="two_step_ask_at_sign_in")
        make_history_manager_classes_once()
