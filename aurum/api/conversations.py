"""Conversations: post a message and get an answer drawn from the caller's own life; list and
read messages (by session); mark a reply helpful or not."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aurum.api.search import SearchHitSerializer
from aurum.models import ConversationMemory
from aurum.selectors.conversations import conversation_messages
from aurum.services import conversations
from aurum.services.conversations import NotAReply, QuotaExceeded, conversation_message_post
from config.api.fields import StrictCharField
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, UpdateMixin, Writes


class ConversationMessageSerializer(ModelSerializer):
    class Meta:
        model = ConversationMemory
        fields = ["id", "session_id", "conversation_date", "message_role", "message_content",
                  "context_entities", "tokens_used", "model_used", "response_time_ms",
                  "was_helpful", "embedding_model", "archived_at", "created_at"]  # fmt: skip
        read_only_fields = fields


class WasHelpfulSerializer(ModelSerializer):
    was_helpful = serializers.BooleanField()

    class Meta:
        model = ConversationMemory
        fields = ["was_helpful"]


class PostMessageSerializer(serializers.Serializer):
    message = StrictCharField(max_length=8000)
    session_id = serializers.UUIDField(
        required=False, help_text="Continue this conversation; leave out to start one."
    )


class ExchangeSerializer(serializers.Serializer):
    session_id = serializers.UUIDField(source="question.session_id")
    message = ConversationMessageSerializer(source="question")
    reply = ConversationMessageSerializer()
    context = SearchHitSerializer(many=True)


class QuotaExceededError(exceptions.Throttled):
    default_code = "ai_quota_exceeded"


class ConversationPagination(CursorPagination):
    ordering = "-created_at"


class ConversationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CallerViewSet):
    """The caller's conversation messages, newest first (``?session_id=`` for one session)."""

    queryset = ConversationMemory.objects.all()
    serializer_class = ConversationMessageSerializer
    input_serializer_classes = {"partial_update": WasHelpfulSerializer}
    filterset_fields = ["session_id", "message_role", "conversation_date"]
    pagination_class = ConversationPagination
    selector = staticmethod(conversation_messages)
    writes = Writes(row="message", update=conversations.conversation_message_update)

    @extend_schema(responses={200: ConversationMessageSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Say whether an assistant reply helped (``was_helpful``)."""
        try:
            return UpdateMixin.update(self, request, *args, partial=True, **kwargs)
        except NotAReply as error:
            raise serializers.ValidationError({"was_helpful": [str(error)]}) from None

    @extend_schema(
        request=PostMessageSerializer,
        responses={
            201: ExchangeSerializer,
            429: OpenApiResponse(description="This month's AI messages of the tier are used."),
        },
        operation_id="aurum_conversations_messages_create",
    )
    @action(detail=False, methods=["post"], url_path="messages", filter_backends=[],
            pagination_class=None)  # fmt: skip
    def messages(self, request: Request) -> Response:
        """Ask: the message is stored, the nearest items of the caller's life are retrieved
        and recorded as ``context_entities``, and the answer (a chat model's when configured,
        else one built from those items) is stored with its tokens, model and time."""
        body = PostMessageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            exchange = conversation_message_post(
                user=request.user,
                content=body.validated_data["message"],
                session_id=body.validated_data.get("session_id"),
            )
        except QuotaExceeded as error:
            wait = max(1, int((error.resets_at - timezone.now()).total_seconds()))
            raise QuotaExceededError(wait=wait, detail=str(error)) from None
        data = ExchangeSerializer(exchange, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
