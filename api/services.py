"""Writes: issuing and revoking API tokens, and logging each call."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiCall, ApiToken
from lacstrategy.services import save_record


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user, name, actor, reason="API token issued"):
    """A new token for `user`; returns (token, key). The key is not kept: show it once."""
    if not user.is_active:
        raise ValidationError("This person cannot sign in, so they cannot have a token")
    key = f"lac_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, prefix=key[:8], key_hash=key_hash(key), issued_by=actor)
    return save_record(token, actor=actor, reason=reason, name=name), key


@transaction.atomic
def token_revoke(*, token, actor, reason="API token revoked"):
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token  # revoked already (a double click)
    return save_record(token, actor=actor, reason=reason, revoked_at=timezone.now())


def call_record(*, token, user, method, path, status):
    return ApiCall.objects.create(
        token=token, user=user, method=method, path=path[:500], status=status
    )
