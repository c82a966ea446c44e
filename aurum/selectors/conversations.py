"""Conversation messages the caller may read: their own, archived ones included."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from aurum.models import ConversationMemory

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def conversation_messages(*, user: AbstractBaseUser) -> QuerySet[ConversationMemory]:
    """Every message of the user, vectors left unread."""
    return ConversationMemory.objects.filter(user=user).defer("message_embedding")
