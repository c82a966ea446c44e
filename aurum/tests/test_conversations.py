"""Conversations: a message is stored and answered from the person's own life (locally, or by
a chat provider on loopback), context recorded, cost recorded, quota kept; was_helpful."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from aurum.models import ConversationMemory, UserProfile, UserStats
from aurum.services.conversations import (
    LOCAL_MODEL,
    QuotaExceeded,
    conversation_message_post,
    conversations_archive,
)
from aurum.tests.factories import TaskFactory
from config.embeddings import get_provider
from config.testing import ApiContract, assert_error_shape
from tests.loopback import OpenAIChatService, Reply

pytestmark = pytest.mark.django_db
ASK = "api:aurum:conversation-messages"


def embedded_task(user, name, text):
    task = TaskFactory(user=user, name=name)
    provider = get_provider()
    task.name_embedding = provider.embed_one(text)
    task.embedding_model = provider.model_name
    task.save(update_fields=["name_embedding", "embedding_model"])
    return task


@pytest.fixture
def chat(settings):
    server = OpenAIChatService("Run the 10 km on Saturday; your notes say you rest on Sunday.")
    server.start()
    settings.CHAT_PROVIDERS = {"lab": {"api": "openai", "base_url": server.url, "api_key": "k"}}
    settings.AURUM_CHAT_PROVIDER, settings.AURUM_CHAT_MODEL = "lab", "gpt-test"
    settings.CHAT_MAX_RETRIES = 0
    yield server
    server.stop()


def test_local_answer_from_retrieved_items(user, other_user):
    run = embedded_task(user, "Long run 10 km", "a long ten kilometre run")
    embedded_task(other_user, "Their run", "a long ten kilometre run")
    exchange = conversation_message_post(user=user, content="When is my long run?")
    question, reply = exchange.question, exchange.reply
    assert question.message_role == "user"
    assert question.message_embedding is not None
    assert reply.message_role == "assistant"
    assert reply.session_id == question.session_id
    assert reply.context_entities["tasks"] == [str(run.pk)]
    assert "Long run 10 km" in reply.message_content
    assert reply.model_used == LOCAL_MODEL
    assert reply.tokens_used == 0
    assert reply.response_time_ms >= 0
    assert UserStats.objects.get(user=user).total_ai_interactions == 1


def test_nothing_found_still_answers(user):
    reply = conversation_message_post(user=user, content="What about my garden?").reply
    assert "found nothing" in reply.message_content
    assert all(ids == [] for ids in reply.context_entities.values())


def test_chat_provider_answers_with_context_and_history(user, chat):
    embedded_task(user, "Long run 10 km", "a long ten kilometre run")
    first = conversation_message_post(user=user, content="When do I run?")
    second = conversation_message_post(
        user=user, content="And rest?", session_id=first.question.session_id
    )
    reply = second.reply
    assert reply.message_content == chat.reply_text
    assert reply.model_used == "gpt-test"
    assert reply.tokens_used > 0
    sent = chat.requests[-1]["body"]
    assert "Long run 10 km" in sent["messages"][0]["content"]  # the system prompt's notes
    assert [m["content"] for m in sent["messages"][1:]] == [
        "When do I run?", chat.reply_text, "And rest?"]  # fmt: skip


def test_a_failing_provider_falls_back_to_the_local_answer(user, chat):
    chat.script = [Reply(status=503, body={"error": "down"})]
    reply = conversation_message_post(user=user, content="Anything?").reply
    assert reply.model_used == LOCAL_MODEL
    assert ConversationMemory.objects.filter(user=user).count() == 2


def test_monthly_quota_by_tier(user, settings):
    settings.AURUM_AI_MONTHLY_QUOTA = {"standard": 1, "premium": 2, "enterprise": 3}
    conversation_message_post(user=user, content="one")
    with pytest.raises(QuotaExceeded):
        conversation_message_post(user=user, content="two")
    UserProfile.objects.create(user=user, user_tier="premium")
    conversation_message_post(user=user, content="two")
    assert ConversationMemory.objects.filter(user=user, message_role="user").count() == 2


def test_archive_takes_old_messages_out_of_context(user):
    embedded_task(user, "Swim", "swimming")
    old = conversation_message_post(user=user, content="I love swimming").question
    assert conversations_archive(older_than_days=-1) == 2
    assert conversations_archive(older_than_days=-1) == 0
    reply = conversation_message_post(user=user, content="swimming").reply
    assert str(old.pk) not in reply.context_entities["conversations"]


class TestConversationApi(ApiContract):
    route = "api:aurum:conversation"
    valid_payload = {}
    update_payload = {"was_helpful": True}
    invalid_payload = {"was_helpful": "maybe"}

    def make(self, owner):
        return ConversationMemory.objects.create(
            user=owner, message_role="assistant", message_content="An answer."
        )

    def test_ask_over_http(self, client_for, user, other_user):
        embedded_task(user, "Long run 10 km", "a long ten kilometre run")
        client = client_for(user)
        response = client.post(reverse(ASK), {"message": "my long run?"}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["reply"]["model_used"] == LOCAL_MODEL
        assert body["context"][0]["title"] == "Long run 10 km"
        assert body["message"]["session_id"] == body["session_id"]
        session = client.get(reverse("api:aurum:conversation-list"),
                             {"session_id": body["session_id"]}).json()  # fmt: skip
        assert len(session["results"]) == 2
        other = client_for(other_user).get(reverse("api:aurum:conversation-list")).json()
        assert other["results"] == []

    @pytest.mark.parametrize(
        "payload",
        [{}, {"message": ""}, {"message": "x" * 8001}, {"message": "hi", "session_id": "nope"},
         {"message": "a\u0000b"}],
    )  # fmt: skip
    def test_bad_messages_are_400_and_store_nothing(self, client_for, user, payload):
        response = client_for(user).post(reverse(ASK), payload, format="json")
        assert_error_shape(response, 400)
        assert not ConversationMemory.objects.exists()

    def test_quota_is_429_with_retry_after(self, client_for, user, settings):
        settings.AURUM_AI_MONTHLY_QUOTA = {"standard": 0, "premium": 0, "enterprise": 0}
        response = client_for(user).post(reverse(ASK), {"message": "hi"}, format="json")
        assert_error_shape(response, 429)
        assert int(response["Retry-After"]) > 0
        assert not ConversationMemory.objects.exists()

    def test_was_helpful_only_on_replies(self, client_for, user):
        question = ConversationMemory.objects.create(
            user=user, message_role="user", message_content="hi", session_id=uuid.uuid4()
        )
        url = reverse("api:aurum:conversation-detail", args=[question.pk])
        response = client_for(user).patch(url, {"was_helpful": True}, format="json")
        assert_error_shape(response, 400)
        question.refresh_from_db()
        assert question.was_helpful is None
