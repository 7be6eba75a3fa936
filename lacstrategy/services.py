"""Writes shared by every app: each records who made the change and why in the history."""

from django.contrib.auth import get_user_model
from django.db import transaction

from lacstrategy import roles


def _stamp(instance, *, actor, reason):
    if not reason:
        raise ValueError("Every change needs a reason for the history")
    instance._history_user = actor
    instance._change_reason = reason


@transaction.atomic
def save_record(instance, *, actor, reason, m2m=None, **fields):
    """Validate and save `instance` with `fields` applied, then set its many-to-many `m2m`."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    _stamp(instance, actor=actor, reason=reason)
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def delete_record(instance, *, actor, reason):
    """Delete `instance`; its history (and that of what goes with it) keeps a copy."""
    _stamp(instance, actor=actor, reason=reason)
    instance.delete()


@transaction.atomic
def user_create(*, actor, reason="Account created", password=None, role_names=(), **fields):
    """A new sign-in; without a password it cannot sign in until one is set."""
    user = get_user_model()(**fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return save_record(
        user, actor=actor, reason=reason, m2m={"groups": roles.role_groups(role_names)}
    )


@transaction.atomic
def user_update(*, user, actor, reason="Account updated", password=None, role_names=None, **fields):
    if password:
        user.set_password(password)
    m2m = {} if role_names is None else {"groups": roles.role_groups(role_names)}
    return save_record(user, actor=actor, reason=reason, m2m=m2m, **fields)
