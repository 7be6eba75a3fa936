"""Writes shared by every app: each records who made the change and why in the history."""

import copy
import time
from binascii import unhexlify
from contextlib import contextmanager

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import CASCADE, F
from django.db.models.deletion import Collector
from django.db.models.signals import post_save
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lacstrategy import roles
from lacstrategy.history import m2m_history_fields, tracked_fields
from lacstrategy.models import Council


class EditConflict(Exception):
    """Someone else saved the record after this person opened it: nothing was saved."""

    def __init__(self, record, seen_version):
        super().__init__(f"{record!r} changed since version {seen_version}")
        self.record = record
        self.seen_version = seen_version


class PreviewOutOfDate(Exception):
    """The records changed between a preview and its confirmation, so that confirming would do
    something other than what was shown: nothing was saved, and `preview` is the new look."""

    def __init__(self, preview):
        super().__init__("The records changed after the preview was made")
        self.preview = preview


def preview_refused(preview):
    """A preview's errors as a ValidationError that carries the preview to show them in."""
    error = ValidationError(preview.errors)
    error.preview = preview
    return error


class UploadGone(Exception):
    """An upload waiting for its preview to be confirmed was confirmed or discarded already
    (a second click, another person)."""


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


def _stamp(instance, *, actor, reason, recorded_at=None):
    if not reason:
        raise ValueError("Every change needs a reason for the history")
    instance._history_user = actor
    instance._change_reason = reason
    if recorded_at is not None:
        instance._history_date = recorded_at


@transaction.atomic
def save_record(
    instance, *, actor, reason, m2m=None, seen_version=None, recorded_at=None, **fields
):
    """Validate and save `instance` with `fields` applied, then set its many-to-many `m2m`.

    An update is refused with EditConflict if the record changed after `seen_version` (the
    version the editor's form showed; by default the version `instance` was loaded at).
    `recorded_at` dates the history entry in the past, for loading an existing plan's story.
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    _stamp(instance, actor=actor, reason=reason, recorded_at=recorded_at)
    if instance._state.adding:
        # Links need the new pk, so save and link without history, then announce the finished
        # record once: simple-history writes a single "created" row that includes the links.
        with _without_history(instance):
            instance.save()
            _set_many_to_many(instance, m2m)
        post_save.send(
            sender=type(instance),
            instance=instance,
            created=True,
            raw=False,
            using=instance._state.db,
        )
        return instance
    _claim_next_version(instance, instance.version if seen_version is None else seen_version)
    # Links first without history, so the one history row of the save records them too.
    with _without_history(instance):
        _set_many_to_many(instance, m2m)
    instance.save()
    return instance


def save_correction(instance, *, actor, reason, **fields):
    """Save `fields` on a record the caller has locked, with the next version and a history
    row, without validating the rest of the record: for a correction (a redaction) that must
    land even on a record that a later rule would refuse. An editor whose form shows the
    version before it meets the conflict page rather than saving over it."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.version += 1
    _stamp(instance, actor=actor, reason=reason)
    instance.save(update_fields=[*fields, "version"])
    return instance


@contextmanager
def _without_history(instance):
    """simple-history's flag, for links as well as the save (save_without_historical_record
    covers the save only)."""
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving


def problems_saving(instance, **fields):
    """What save_record would refuse about `instance` with `fields`, without saving or changing
    it: {field name: [messages]}. Links are not looked up again (a query each), so pass ones
    that exist, or leave them out."""
    record = copy.copy(instance)
    for name, value in fields.items():
        setattr(record, name, value)
    links = [f.name for f in type(record)._meta.fields if f.is_relation]
    try:
        record.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def _set_many_to_many(instance, m2m):
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)


@transaction.atomic
def delete_record(instance, *, actor, reason, recorded_at=None):
    """Delete `instance` and what goes with it; the history of each keeps a copy and the reason."""
    collector = Collector(using=router.db_for_write(type(instance)))
    collector.collect([instance])
    # One moment for the whole deletion: restore_plan finds what went together by it.
    moment = recorded_at or timezone.now()
    for instances in collector.data.values():
        for record in instances:
            why = reason if record == instance else f"Deleted with {instance}: {reason}"
            _stamp(record, actor=actor, reason=why, recorded_at=moment)
    collector.delete()


SYSTEM_USERNAME = "system"


@transaction.atomic
def system_account():
    """The account that management commands and imports act as in the history.

    It cannot sign in. It is the first actor, so it records its own creation.
    """
    User = get_user_model()
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(
            username=SYSTEM_USERNAME,
            full_name="Automatic (system)",
            email="system@lacstrategy.invalid",
            is_active=False,
        )
        user.set_unusable_password()
        _stamp(user, actor=None, reason="System account for commands and imports")
        user.save()
    return user


@transaction.atomic
def user_create(
    *, actor, reason="Account created", password=None, role_names=(), recorded_at=None, **fields
):
    """A new sign-in; without a password it cannot sign in until one is set."""
    user = get_user_model()(**fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return save_record(
        user,
        actor=actor,
        reason=reason,
        recorded_at=recorded_at,
        m2m={"groups": roles.role_groups(role_names)},
    )


@transaction.atomic
def user_update(*, user, actor, reason="Account updated", password=None, role_names=None, **fields):
    if user.pk == actor.pk:
        # Nobody can lock themselves (and perhaps everyone) out of managing people.
        if (
            role_names is not None
            and roles.ADMINISTRATOR not in role_names
            and (roles.ADMINISTRATOR in roles.user_roles(actor))
        ):
            raise ValidationError({"roles": "You cannot remove your own Administrator role"})
        if fields.get("is_active") is False:
            raise ValidationError({"is_active": "You cannot close your own account"})
    if password:
        user.set_password(password)
    m2m = {} if role_names is None else {"groups": roles.role_groups(role_names)}
    return save_record(user, actor=actor, reason=reason, m2m=m2m, **fields)


def _historical_m2m(version):
    """The many-to-many values saved with a history row, by field name."""
    values = {}
    for f, accessor, column in m2m_history_fields(type(version.instance)):
        values[f.name] = [getattr(row, f"{column}_id") for row in getattr(version, accessor).all()]
    return values


@transaction.atomic
def revert_to_version(*, record, version, actor, reason):
    """Put `record` back as it was at history row `version`; the revert is itself a change."""
    fields = {f.attname: getattr(version, f.attname) for f in tracked_fields(type(record))}
    when = f"{version.history_date:%-d %B %Y %H:%M}"
    return save_record(
        record,
        actor=actor,
        reason=f"Reverted to the version of {when}: {reason}",
        m2m=_historical_m2m(version),
        **fields,
    )


def _children_deleted_with(model, record_id, deleted_at):
    """History rows of records that the deletion of (model, record_id) took with it."""
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.on_delete is not CASCADE or not hasattr(child, "history"):
            continue
        rows = child.history.filter(
            history_type="-",
            history_date=deleted_at,
            **{relation.field.attname: record_id},
        ).exclude(id__in=child._default_manager.values("pk"))
        yield from rows


def restore_plan(version):
    """What restoring the deleted record of history row `version` brings back, in an order
    where every record comes after the records it points to."""
    found, queue = {}, [version]
    while queue:
        row = queue.pop(0)
        key = (type(row), row.history_id)  # history ids are numbered per table
        if key in found:
            continue  # reached along two paths, e.g. an update via its outcome and its period
        found[key] = row
        queue.extend(_children_deleted_with(type(row.instance), row.id, row.history_date))
    rows = list(found.values())
    order = _parents_first({type(row.instance) for row in rows})
    return sorted(rows, key=lambda row: (row is not version, order[type(row.instance)]))


def _parents_first(model_set):
    """Rank models so that each comes after the models its foreign keys point to."""
    rank, remaining = {}, set(model_set)
    while remaining:
        ready = {
            model
            for model in remaining
            if not any(
                f.is_relation and f.related_model in remaining and f.related_model is not model
                for f in model._meta.concrete_fields
            )
        }
        if not ready:  # a cycle: keep the rest in any order rather than loop forever
            ready = remaining
        for model in ready:
            rank[model] = len(rank)
        remaining -= ready
    return rank


@transaction.atomic
def restore_deleted(*, version, actor, reason):
    """Bring back a deleted record, and what was deleted with it, from their history."""
    restored = []
    for row in restore_plan(version):
        instance = row.instance
        instance._state.adding = True
        # The deletion row was written after the links went, so they come from the row before.
        links = _historical_m2m(row.prev_record or row)
        restored.append(
            save_record(
                instance, actor=actor, reason=f"Restored from the history: {reason}", m2m=links
            )
        )
    return restored


@transaction.atomic
def unlock_account(*, user, actor):
    """Lift a lock-out after repeated failed sign-ins, and say so in the person's history."""
    axes_reset(username=user.username)
    return save_record(user, actor=actor, reason="Unlocked after repeated failed sign-ins")


@transaction.atomic
def council_save(*, actor, reason="Council settings changed", seen_version=None, **fields):
    """Set the council's names and words; the first save makes the one Council record."""
    from lacstrategy.selectors import forget_council  # selectors imports this module

    council = Council.objects.filter(pk=1).first() or Council(pk=1)
    council = save_record(council, actor=actor, reason=reason, seen_version=seen_version, **fields)
    forget_council()
    return council


@transaction.atomic
def setup_council(*, name, service_name, administrator):
    """A fresh installation: the council's names and its first administrator, with a full name.

    `administrator` holds the person's fields (username, full_name, email, job_title, password).
    """
    actor = system_account()
    council = council_save(
        actor=actor, reason="Set up the installation", name=name, service_name=service_name
    )
    person = user_create(
        actor=actor,
        reason="First administrator, made when the installation was set up",
        role_names=[roles.ADMINISTRATOR],
        **administrator,
    )
    return council, person


# Two-step sign-in (django-otp): an authenticator app's device and a set of one-time backup codes.
BACKUP_CODE_COUNT = 10
WRONG_CODE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or one of your backup codes"
)


def _person_for_update(user):
    """The person's row, locked until the transaction ends, so that a double-click cannot set
    up two devices; loaded afresh, as `user` may be the request's lazy user."""
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _new_backup_codes(*, user, actor, reason):
    """Replace the person's backup codes with new ones, returned once to show them: only the
    codes themselves are stored (as django-otp keeps them), never in the history."""
    device = StaticDevice.objects.filter(user=user).first() or StaticDevice(
        user=user, name="Backup codes", confirmed=True
    )
    _stamp(device, actor=actor, reason=reason)
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_step_set_up(*, user, key, code):
    """Turn on two-step sign-in with the authenticator app given `key` (hex), once `code` shows
    that the app has it. Returns the device and the new backup codes, to be shown once."""
    person = _person_for_update(user)
    if TOTPDevice.objects.devices_for_user(person, confirmed=True).exists():
        raise ValidationError("Two-step sign-in is already on for your account")
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    digits = "".join(str(code).split())
    if not (digits.isdecimal() and len(digits) == 6 and totp.verify(int(digits), tolerance=1)):
        raise ValidationError(
            "The code is not right. Enter the 6-digit code the app shows now "
            "(it changes every 30 seconds)"
        )
    reason = "Set up two-step sign-in"
    # The code just used cannot be used again to sign in (last_t).
    device = TOTPDevice(
        user=person, name="Authenticator app", key=key, confirmed=True, last_t=totp.t()
    )
    device.full_clean()
    _stamp(device, actor=person, reason=reason)
    device.save()
    codes = _new_backup_codes(user=person, actor=person, reason=reason)
    save_record(person, actor=person, reason="Turned on two-step sign-in")
    return device, codes


@transaction.atomic
def backup_codes_renew(*, user):
    """New backup codes for someone with two-step sign-in; the old ones stop working."""
    person = _person_for_update(user)
    if not TOTPDevice.objects.devices_for_user(person, confirmed=True).exists():
        raise ValidationError("Two-step sign-in is not on for your account")
    return _new_backup_codes(user=person, actor=person, reason="Made new backup codes")


def two_step_check(*, user, code):
    """The device that accepts `code`: the authenticator app for 6 digits, else a backup code,
    which is used up. Raises ValidationError when no device does.

    django-otp's throttling applies: after each wrong code the next is refused for 1, 2, 4, 8...
    seconds. The counters a check moves on are saved without a history row: a sign-in is not a
    change to the device."""
    code = "".join(str(code).split()).lower()
    kind = TOTPDevice if code.isdecimal() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = kind.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            raise ValidationError(WRONG_CODE)
        allowed, refusal = device.verify_is_allowed()
        if not allowed:
            wait = max(1, round((refusal["locked_until"] - timezone.now()).total_seconds()))
            raise ValidationError(
                f"Too many wrong codes. Wait {wait} second{'' if wait == 1 else 's'}, then "
                "enter the code your authenticator app shows then"
            )
        device.skip_history_when_saving = True
        verified = device.verify_token(code)
    if not verified:
        raise ValidationError(WRONG_CODE)
    return device


@transaction.atomic
def two_step_remove(*, user, actor, reason):
    """Remove a person's two-step devices (a lost phone, or they turn it off); they then sign in
    with their password alone. Returns whether there was anything to remove."""
    person = _person_for_update(user)
    devices = [*TOTPDevice.objects.filter(user=person), *StaticDevice.objects.filter(user=person)]
    for device in devices:
        delete_record(device, actor=actor, reason=reason)
    if devices:
        save_record(person, actor=actor, reason=f"Two-step sign-in removed: {reason}")
    return bool(devices)
