"""Writes of the shared vocabularies, brands and tags (staff), and keeping the seed's defaults.

Migration 0006 inserts the seed's default brands and tags; Django's ``flush`` (run after
every transactional test, and by ``manage.py flush``) empties every table but re-emits
``post_migrate``, whose receiver ``ensure_default_brands_and_tags`` re-inserts them from the
migration's own frozen values.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import ProtectedError

from dreamcatcher.models import Brand, Tag

Row = TypeVar("Row", Brand, Tag)
DEFAULTS_MIGRATION = "dreamcatcher.migrations.0006_default_brands_and_tags"


@transaction.atomic
def _save(row: Row, data: Mapping[str, Any]) -> Row:
    for field, value in data.items():
        setattr(row, field, value)
    row.full_clean()
    row.save()
    row.refresh_from_db()
    return row


def brand_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Brand:
    return _save(Brand(), data)


def brand_update(*, brand: Brand, user: AbstractBaseUser, data: Mapping[str, Any]) -> Brand:
    return _save(brand, data)


def tag_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Tag:
    return _save(Tag(), data)


def tag_update(*, tag: Tag, user: AbstractBaseUser, data: Mapping[str, Any]) -> Tag:
    return _save(tag, data)


class BrandInUseError(Exception):
    """The brand still has dreams: deactivate it instead."""


@transaction.atomic
def brand_delete(*, brand: Brand) -> None:
    """Delete a brand no dream uses; raises ``BrandInUseError`` otherwise."""
    try:
        brand.delete()
    except ProtectedError as error:
        raise BrandInUseError(str(brand.pk)) from error


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete a tag and its links to dreams (their JSONB arrays follow by trigger)."""
    tag.delete()


def ensure_default_brands_and_tags(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: put back the seed's default brands and tags (after a flush)."""
    if apps is None:  # flush sends no app registry: use the live one
        from django.apps import apps
    try:
        apps.get_model("dreamcatcher", "Brand")
    except LookupError:  # migrating backwards past the tables
        return
    importlib.import_module(DEFAULTS_MIGRATION).insert_defaults(apps, schema_editor=None)
