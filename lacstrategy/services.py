"""Writes shared by every app: each records who made the change and why in the history."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from lacstrategy import roles


class EditConflict(Exception):
    """Someone else saved the record after this person opened it: nothing was saved."""

    def __init__(self, record, seen_version):
        super().__init__(f"{record!r} changed since version {seen_version}")
        self.record = record
        self.seen_version = seen_version


def _claim_next_version(instance, seen_version):
    """Move the stored version on by one, only if it is still the one this editor saw.

    The conditional UPDATE locks the row until the transaction ends, so of two saves that
    started from the same version exactly one lands; the other raises EditConflict.
    """
    claimed = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=seen_version)
        .update(version=F("version") + 1)
    )
    if not claimed:
        raise EditConflict(instance, seen_version)
    instance.version = seen_version + 1


def _stamp(instance, *, actor, reason):
    if not reason:
        raise ValueError("Every change needs a reason for the history")
    instance._history_user = actor
    instance._change_reason = reason


@transaction.atomic
def save_record(instance, *, actor, reason, m2m=None, seen_version=None, **fields):
    """Validate and save `instance` with `fields` applied, then set its many-to-many `m2m`.

    An update is refused with EditConflict if the record changed after `seen_version` (the
    version the editor's form showed; by default the version `instance` was loaded at).
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    _stamp(instance, actor=actor, reason=reason)
    if instance.pk is not None and not instance._state.adding:
        _claim_next_version(instance, instance.version if seen_version is None else seen_version)
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
