"""Writes of dreams; each forgets the cached dashboard and progress it changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction

from dreamshot.models import Budget, BudgetAlert, Dream
from dreamshot.selectors import cache

ARCHIVE_TABLE = '"dreamshot"."ai_tests_archive"'


@transaction.atomic
def dream_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Dream:
    """Create a dream owned by ``user``."""
    dream = Dream(user=user, **data)
    dream.full_clean()
    dream.save()
    dream.refresh_from_db()
    cache.forget(user_ids=[user.pk])
    return dream


@transaction.atomic
def dream_update(*, dream: Dream, user: AbstractBaseUser, data: Mapping[str, Any]) -> Dream:
    """Change the dream's writable fields; the database stamps ``updated_at``."""
    for name, value in data.items():
        setattr(dream, name, value)
    dream.full_clean()
    dream.save()
    dream.refresh_from_db()
    cache.forget(user_ids=[dream.user_id], dream_ids=[dream.pk], model_stats=True)
    return dream


@transaction.atomic
def dream_delete(*, dream: Dream) -> None:
    """Delete the dream with its tests and snapshots, archived tests included."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ARCHIVE_TABLE} WHERE dream_id = %s", [dream.pk])  # noqa: S608
    cache.forget(user_ids=[dream.user_id], dream_ids=[dream.pk], model_stats=True)
    dream.delete()


@transaction.atomic
def dreams_erase_user(user: AbstractBaseUser) -> None:
    """GDPR erase hook: every Dreamshot row of ``user``, archived tests included."""
    dream_ids = list(Dream.objects.filter(user=user).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ARCHIVE_TABLE} WHERE user_id = %s", [user.pk])  # noqa: S608
    Dream.objects.filter(user=user).delete()  # tests and snapshots cascade
    Budget.objects.filter(user=user).delete()
    BudgetAlert.objects.filter(user=user).delete()
    cache.forget(user_ids=[user.pk], dream_ids=dream_ids, model_stats=True)
