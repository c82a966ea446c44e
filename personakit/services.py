"""PersonaKit writes and business rules."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from personakit.models import ApiKey

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User

KEY_SCHEME = "lucid_"
PREFIX_LENGTH = 12
SECRET_BYTES = 32
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedApiKey:
    api_key: ApiKey
    raw_key: str  # shown once, never stored


def _key_hash(raw_key: str) -> str:
    secret = settings.API_KEY_SECRET.encode()
    return hmac.new(secret, raw_key.encode(), hashlib.sha256).hexdigest()


def api_key_issue(
    *, user: User, name: str = "default", expires_in_days: int | None = None
) -> IssuedApiKey:
    """Issue a key for ``user``: ``lucid_<12-char prefix>_<32 random bytes, base64url>``."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw_key = f"{KEY_SCHEME}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    api_key = ApiKey(
        user=user, name=name, prefix=prefix, api_key_hash=_key_hash(raw_key), expires_at=expires_at
    )
    api_key.full_clean()
    api_key.save()
    return IssuedApiKey(api_key=api_key, raw_key=raw_key)


def api_key_revoke(*, api_key: ApiKey) -> None:
    """Revoke a key for good; the row stays for the audit trail."""
    ApiKey.objects.filter(pk=api_key.pk, is_active=True).update(
        is_active=False, revoked_at=timezone.now()
    )
    api_key.refresh_from_db(fields=["is_active", "revoked_at"])


def api_key_revoke_all(*, user: User) -> int:
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
