"""API keys: issue, rename, revoke and verify; only a keyed hash of a key is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from personakit.models import ApiKey

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User

KEY_SCHEME = "lucid_"
PREFIX_LENGTH = 12
SECRET_BYTES = 32
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _key_hash(raw_key: str) -> str:
    secret = settings.API_KEY_SECRET.encode()
    return hmac.new(secret, raw_key.encode(), hashlib.sha256).hexdigest()


def api_key_issue(*, user: User, data: Mapping[str, Any] | None = None) -> ApiKey:
    """Issue a key for ``user``: ``lucid_<12-char prefix>_<32 random bytes, base64url>``.

    ``data`` may name the key (``name``, default "default") and its ``expires_in_days``. The
    raw key is on the returned row's ``raw_key`` for the caller to show once; only its keyed
    hash is stored.
    """
    data = data or {}
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw_key = f"{KEY_SCHEME}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    expires_in_days = data.get("expires_in_days")
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    api_key = ApiKey(
        user=user,
        name=data.get("name", "default"),
        prefix=prefix,
        api_key_hash=_key_hash(raw_key),
        expires_at=expires_at,
    )
    api_key.full_clean()
    api_key.save()
    api_key.raw_key = raw_key  # transient: never stored
    return api_key


def api_key_update(*, api_key: ApiKey, user: User, data: Mapping[str, Any]) -> ApiKey:
    """Rename a key (``name``); its expiry is fixed at issue, and an expired key is history."""
    unknown = set(data) - {"name"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    if api_key.expires_at and api_key.expires_at <= timezone.now():
        raise ValidationError("The key has expired.")
    for field, value in data.items():
        setattr(api_key, field, value)
    api_key.full_clean()
    api_key.save(update_fields=["name"])
    return api_key


def api_key_revoke(*, api_key: ApiKey) -> None:
    """Revoke a key for good; the row stays for the audit trail."""
    ApiKey.objects.filter(pk=api_key.pk, is_active=True).update(
        is_active=False, revoked_at=timezone.now()
    )
    api_key.refresh_from_db(fields=["is_active", "revoked_at"])


def api_key_revoke_all(*, user: User) -> int:
    """Revoke every active key of ``user`` (the GDPR eraser); returns how many."""
    return ApiKey.objects.filter(user=user, is_active=True).update(
        is_active=False, revoked_at=timezone.now()
    )


def api_key_verify(raw_key: str) -> ApiKey | None:
    """The usable key matching ``raw_key``, or None. Records use at most once a minute."""
    if not raw_key.startswith(KEY_SCHEME):
        return None
    prefix = raw_key[len(KEY_SCHEME) : len(KEY_SCHEME) + PREFIX_LENGTH]
    api_key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    # Compare even when no row matched, so a wrong prefix costs the same as a wrong secret.
    expected = api_key.api_key_hash if api_key else _key_hash("")
    if not hmac.compare_digest(expected, _key_hash(raw_key)) or api_key is None:
        return None
    if not api_key.is_usable or not api_key.user.is_active:
        return None
    _record_use(api_key)
    return api_key


def _record_use(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    # The condition makes concurrent requests write once per minute between them, not each.
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    api_key.last_used_at = now
