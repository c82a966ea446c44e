"""Erasing a person's data across the five systems (GDPR Art. 17, "right to erasure")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from config.models import DeletedUser
from config.registries import user_erasers

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

ERASED_EMAIL_DOMAIN = "invalid.example"  # RFC 2606: can never receive mail


def erased_username(user: AbstractBaseUser) -> str:
    """``erased-<first 8 hex digits of the id>``, or the whole id should that be taken."""
    short = f"erased-{user.pk.hex[:8]}"
    taken = type(user)._default_manager.filter(username=short).exclude(pk=user.pk).exists()
    return f"erased-{user.pk.hex}" if taken else short


def erase_user(user: AbstractBaseUser) -> None:
    """Erase ``user``'s personal data everywhere and anonymise the account, all or nothing.

    The account joins ``deleted_users`` first; then every app's
    ``config.registries.user_erasers`` hook runs (each deletes or
    anonymises what its app holds), then the account keeps only its id: email
    ``erased-<id>@invalid.example``, username ``erased-<8 hex>``, no name, avatar,
    preferences or last login, an unusable password, inactive, without any admin rights,
    groups or permissions (so re-activating it cannot bring old access back). The admin
    history keeps its entries about the account, renamed to the anonymous username.
    Erasing an already erased account changes nothing more; it is safe to repeat.
    """
    with transaction.atomic():
        # First, so erase hooks may run the seeds' "WHERE user_id IN (SELECT id FROM
        # deleted_users)" anonymisation; the first erasure's time is kept.
        DeletedUser.objects.get_or_create(id=user)
        for eraser in user_erasers:
            eraser.erase(user)

        user.email = f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"
        user.username = erased_username(user)
        user.full_name = None
        user.avatar_url = None
        user.preferences = {}
        user.last_login = None
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()  # also ends every session: the auth hash changes
        user.save()
        user.groups.clear()
        user.user_permissions.clear()

        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(user, for_concrete_model=True),
            object_id=str(user.pk),
        ).update(object_repr=str(user))
