"""Reads of the shared vocabularies: brands and tags, the same for every user."""

from __future__ import annotations

from django.db.models import QuerySet

from dreamcatcher.models import Brand, Tag


def brand_list() -> QuerySet[Brand]:
    """Every brand, active or not (dreams keep pointing at retired ones)."""
    return Brand.objects.all()


def tag_list() -> QuerySet[Tag]:
    """Every tag with its exact usage count."""
    return Tag.objects.all()
