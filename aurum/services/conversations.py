"""Conversations with the person's own life as context (the seed's RAG).

Posting a message stores it (embedded), retrieves the nearest journal entries, tasks,
projects, reflections and earlier messages, records them as ``context_entities``, answers —
with the chat provider when ``AURUM_CHAT_PROVIDER``/``AURUM_CHAT_MODEL`` are set, else (or
when it fails) with a local answer built from what was retrieved — and stores the reply with
``tokens_used``, ``model_used`` and ``response_time_ms``. Messages count against the monthly
AI quota of the person's tier.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from aurum.models import ConversationMemory, UserProfile, UserStats
from aurum.selectors.scoring import clock_of
from aurum.selectors.search import Hit, life_search
from config.chat import ChatError, chat_provider
from config.embeddings import EmbeddingError, get_provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

CONTEXT_ITEMS = 6
HISTORY_MESSAGES = 8
LOCAL_MODEL = "aurum-local-retrieval"
SYSTEM_PROMPT = (
    "You are Aurum, a calm life-planning assistant. Answer from the person's own notes below; "
    "say so when they do not cover the question. Be brief and concrete."
)
CONTEXT_KEYS = {
    "journal_entry": "journal_entries",
    "task": "tasks",
    "project": "projects",
    "reflection": "reflections",
    "conversation": "conversations",
}


class QuotaExceeded(Exception):
    """The person has used this month's AI messages of their tier."""

    def __init__(self, *, tier: str, quota: int, resets_at: datetime) -> None:
        super().__init__(
            f"The {tier} tier allows {quota} AI messages a month; they are used up until "
            f"{resets_at:%Y-%m-%d}."
        )
        self.tier, self.quota, self.resets_at = tier, quota, resets_at


class NotAReply(ValueError):
    """Only the assistant's replies take ``was_helpful``."""


@dataclass(frozen=True)
class Exchange:
    question: ConversationMemory
    reply: ConversationMemory
    context: list[Hit]


def _month_bounds(user: AbstractBaseUser) -> tuple[datetime, datetime]:
    clock = clock_of(user=user)
    first = clock.today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    midnight = datetime.min.time().replace(tzinfo=clock.zone)
    return datetime.combine(first, midnight), datetime.combine(following, midnight)


def quota_check(*, user: AbstractBaseUser) -> int:
    """Messages left this month; raises ``QuotaExceeded`` when none are."""
    tier = UserProfile.objects.filter(user=user).values_list("user_tier", flat=True).first()
    tier = tier or "standard"
    quota = settings.AURUM_AI_MONTHLY_QUOTA.get(tier, settings.AURUM_AI_MONTHLY_QUOTA["standard"])
    start, end = _month_bounds(user)
    used = ConversationMemory.objects.filter(
        user=user, message_role="user", created_at__gte=start, created_at__lt=end
    ).count()
    if used >= quota:
        raise QuotaExceeded(tier=tier, quota=quota, resets_at=end)
    return quota - used


def _embedded(text: str) -> dict[str, Any]:
    """The message's vector fields, or none if the provider fails (the backfill catches up)."""
    provider = get_provider()
    try:
        vector = provider.embed_one(text)
    except EmbeddingError as exc:
        logger.warning("conversation message left unembedded: %s", exc)
        return {}
    return {
        "message_embedding": vector,
        "embedding_model": provider.model_name,
        "embedding_updated_at": timezone.now(),
    }


def context_entities(hits: list[Hit]) -> dict[str, list[str]]:
    """The retrieved rows by kind, ids as text, nearest first."""
    entities: dict[str, list[str]] = {key: [] for key in CONTEXT_KEYS.values()}
    for hit in hits:
        entities[CONTEXT_KEYS[hit.entity_type]].append(str(hit.entity_id))
    return entities


def local_answer(question: str, hits: list[Hit]) -> str:
    """An answer made of the retrieved items themselves, nearest first."""
    if not hits:
        return (
            "I found nothing in your journal, tasks, projects or reflections that relates to "
            "this yet. Add a journal entry or a task about it and ask again."
        )
    lines = [f"Here is what relates to “{question[:120]}” in your own notes:"]
    for hit in hits:
        kind = hit.entity_type.replace("_", " ")
        lines.append(f"- {kind.capitalize()} “{hit.title}”: {hit.snippet}")
    return "\n".join(lines)


def _history(user: AbstractBaseUser, session_id: uuid.UUID) -> list[dict[str, str]]:
    rows = ConversationMemory.objects.filter(
        user=user, session_id=session_id, message_role__in=["user", "assistant"]
    ).order_by("-created_at")[:HISTORY_MESSAGES]
    return [{"role": r.message_role, "content": r.message_content} for r in reversed(rows)]


def _remote_answer(messages: list[dict[str, str]], hits: list[Hit]) -> tuple[str, str, int] | None:
    provider = chat_provider(settings.AURUM_CHAT_PROVIDER) if settings.AURUM_CHAT_PROVIDER else None
    if provider is None or not settings.AURUM_CHAT_MODEL:
        return None
    notes = "\n".join(f"[{h.entity_type} {h.entity_id}] {h.title}: {h.snippet}" for h in hits)
    system = f"{SYSTEM_PROMPT}\n\nThe person's notes:\n{notes or '(none found)'}"
    try:
        reply = provider.complete(messages, model=settings.AURUM_CHAT_MODEL, system=system)
    except ChatError as exc:
        logger.warning("conversation answered locally: chat provider failed (%s)", exc.kind)
        return None
    return reply.text, reply.model, reply.input_tokens + reply.output_tokens


def conversation_message_post(
    *, user: AbstractBaseUser, content: str, session_id: uuid.UUID | None = None
) -> Exchange:
    """Store ``content`` as the user's message in ``session_id`` (a new session without one),
    answer it from the nearest items of the person's life, store the answer; both rows and
    the items used are returned. Raises ``QuotaExceeded``."""
    started = time.perf_counter()
    quota_check(user=user)
    session_id = session_id or uuid.uuid4()
    embedding = _embedded(content)
    hits = []
    if embedding:  # without a vector there is nothing to retrieve by; answer all the same
        found = life_search(user=user, query=content, k=CONTEXT_ITEMS,
                            vector=embedding["message_embedding"])  # fmt: skip
        hits = found.items
    entities = context_entities(hits)
    history = _history(user, session_id)
    question = ConversationMemory.objects.create(
        user=user,
        session_id=session_id,
        conversation_date=clock_of(user=user).today,
        message_role="user",
        message_content=content,
        **embedding,
    )
    remote = _remote_answer([*history, {"role": "user", "content": content}], hits)
    text, model, tokens = remote or (local_answer(content, hits), LOCAL_MODEL, 0)
    reply = ConversationMemory.objects.create(
        user=user,
        session_id=session_id,
        conversation_date=question.conversation_date,
        message_role="assistant",
        message_content=text,
        context_entities=entities,
        tokens_used=tokens,
        model_used=model,
        response_time_ms=round((time.perf_counter() - started) * 1000),
        **_embedded(text),
    )
    stats, _ = UserStats.objects.get_or_create(user=user)
    UserStats.objects.filter(pk=stats.pk).update(
        total_ai_interactions=Coalesce(F("total_ai_interactions"), 0) + 1
    )
    return Exchange(question=question, reply=reply, context=hits)


def conversation_message_update(
    *, message: ConversationMemory, user: AbstractBaseUser, data: dict[str, Any]
) -> ConversationMemory:
    """Record whether a reply helped (``was_helpful``); raises ``NotAReply`` for the person's
    own messages."""
    if message.message_role != "assistant":
        raise NotAReply("Only the assistant's replies take was_helpful.")
    ConversationMemory.objects.filter(pk=message.pk).update(was_helpful=data["was_helpful"])
    message.refresh_from_db()
    return message


def conversations_archive(*, older_than_days: int | None = None) -> int:
    """Archive every message older than ``AURUM_CONVERSATION_ARCHIVE_DAYS`` (it leaves search
    and context); returns how many."""
    days = settings.AURUM_CONVERSATION_ARCHIVE_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    return ConversationMemory.objects.filter(
        created_at__lt=cutoff, archived_at__isnull=True
    ).update(archived_at=timezone.now())
