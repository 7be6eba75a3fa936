from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Checks usernames and passwords only.

    What a person may do is decided by lacstrategy.permissions (rules), never by Django's
    per-user permission tables, so there is one place to look and no extra queries.
    """

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()
