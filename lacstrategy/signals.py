from django.utils import timezone


def note_last_login(sender, user, **kwargs):
    """Django's update_last_login, without writing a row in the person's change history."""
    user.last_login = timezone.now()
    user.save_without_historical_record(update_fields=["last_login"])
