"""Reads of a dream's documents (their metadata; the files live in storage)."""

from __future__ import annotations

from django.db.models import QuerySet

from dreamcatcher.models import Document, User


def document_list(*, user: User) -> QuerySet[Document]:
    """The user's documents (metadata; the files live in storage)."""
    return Document.objects.filter(user=user)
