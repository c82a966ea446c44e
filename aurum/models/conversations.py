"""The seed's ``ai_conversation_memory``: every message of a conversation, embedded."""

import uuid

from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from pgvector.django import HnswIndex

from aurum.choices import MessageRole
from aurum.models.base import SCHEMA, before_write, embedding_updated_at, one_of, vector
from config.db import created_at, owner, schema_table, uuid_id


class ConversationMemory(models.Model):
    """One message; an assistant reply records what it cost and which rows it drew on."""

    id = uuid_id()
    user = owner("aurum_conversation_messages")
    conversation_date = models.DateField(default=timezone.localdate, db_default=Now())
    session_id = models.UUIDField(default=uuid.uuid4, db_default=RandomUUID())
    message_role = models.TextField(choices=MessageRole)
    message_content = models.TextField()
    message_embedding = vector()
    # Not in the seed: the backfill needs to know which model made the vector, as elsewhere.
    embedding_model = models.TextField(blank=True, null=True, editable=False)
    embedding_updated_at = embedding_updated_at()
    context_entities = models.JSONField(default=dict, db_default={}, null=True, blank=True)
    tokens_used = models.IntegerField(default=0, db_default=0, null=True)
    model_used = models.TextField(blank=True, null=True)
    response_time_ms = models.IntegerField(blank=True, null=True)
    was_helpful = models.BooleanField(blank=True, null=True)
    # Not in the seed: its monthly "archive old conversations" (AURUM_CONVERSATION_ARCHIVE_DAYS);
    # archived messages leave search and retrieved context.
    archived_at = models.DateTimeField(blank=True, null=True, editable=False)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "ai_conversation_memory")
        ordering = ["created_at"]
        verbose_name = "conversation message"
        indexes = [
            HnswIndex(
                fields=["message_embedding"],
                name="idx_conversation_embedding",
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(
                fields=["user", "session_id", "created_at"],
                name="idx_conversation_user_session",
            ),
        ]
        constraints = [one_of("ai_conversation_memory", "message_role", MessageRole)]
        triggers = [before_write("ai_conversation_memory")]

    def __str__(self) -> str:
        return f"{self.message_role}: {self.message_content[:60]}"
