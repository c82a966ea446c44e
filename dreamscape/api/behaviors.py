"""Behaviour events: ingest one, a JSON list or NDJSON in one ``COPY``; read the caller's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    OpenApiTypes,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import JSONObjectField
from config.api.filters import FilterSet
from config.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from config.api.idempotency import IdempotentWritesMixin
from config.api.pagination import CursorPagination
from config.api.parsers import JSONParser, NDJSONParser
from config.api.serializers import ModelSerializer
from config.api.viewsets import BULK_COMPONENT_SUFFIX, CallerViewSet, Writes
from dreamscape.models import UserBehavior
from dreamscape.selectors.behaviors import behavior_list
from dreamscape.services import behaviors

_MOMENT = serializers.DateTimeField()


class BehaviorSerializer(ModelSerializer):
    """An event. ``created_at`` defaults to now and may be at most
    ``DREAMSCAPE_CLOCK_SKEW_SECONDS`` ahead, and no older than the retention window."""

    context = JSONObjectField(required=False, allow_null=True)
    metadata = JSONObjectField(required=False, allow_null=True)
    duration_seconds = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**31 - 1
    )

    class Meta:
        model = UserBehavior
        fields = ["id", *behaviors.FIELDS]
        read_only_fields = ["id"]
        extra_kwargs = {"created_at": {"required": False}}


class BehaviorFilter(FilterSet):
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = UserBehavior
        fields = ["action_type", "item_type", "item_id", "created_after", "created_before"]


class BehaviorReceiptSerializer(serializers.Serializer):
    """What a batch is answered with: each event's new id and time, in the order sent."""

    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()


def _shown(event: dict[str, Any]) -> dict[str, Any]:
    # The read shape, built directly (no serializer pass per event).
    item_id = event["item_id"]
    return {
        **_receipt(event),
        "action_type": event["action_type"],
        "item_id": None if item_id is None else str(item_id),
        "item_type": event["item_type"],
        "duration_seconds": event["duration_seconds"],
        "context": event["context"],
        "metadata": event["metadata"],
    }


def _receipt(event: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(event["id"]), "created_at": _MOMENT.to_representation(event["created_at"])}


class BehaviorViewSet(
    IdempotentWritesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CallerViewSet
):
    """The caller's behaviour events. ``POST`` takes one event, a JSON list or NDJSON
    (``application/x-ndjson``, one event a line) of up to ``DREAMSCAPE_INGEST_MAX_EVENTS``,
    all written in one transaction or none, with errors at ``<index>.<field>``. Send an
    ``Idempotency-Key`` header to make a retry safe: it gets the first answer back."""

    queryset = UserBehavior.objects.all()
    serializer_class = BehaviorSerializer
    filterset_class = BehaviorFilter
    parser_classes = [JSONParser, NDJSONParser]
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    ordering_fields = ["created_at"]
    selector = staticmethod(behavior_list)
    writes = Writes(create=behaviors.behavior_create, bulk_create=behaviors.behavior_bulk_create)
    max_bulk_items = settings.DREAMSCAPE_INGEST_MAX_EVENTS

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action == "create":
            # Django holds a body to DATA_UPLOAD_MAX_MEMORY_SIZE (a 413) only when it is read
            # whole; the parsers would stream any size.
            request.body  # noqa: B018

    def runs_under_row_level_security(self) -> bool:
        # PostgreSQL refuses COPY FROM under row-level security; the service stamps the
        # caller as every event's owner instead. Reads stay under the policies.
        return getattr(self, "action", None) != "create"

    @extend_schema(
        request={
            "application/json": PolymorphicProxySerializer(
                component_name=f"UserBehavior{BULK_COMPONENT_SUFFIX}",
                serializers=[
                    BehaviorSerializer,
                    BehaviorSerializer(many=True, min_length=1, max_length=max_bulk_items),
                ],
                resource_type_field_name=None,
                many=False,
            ),
            "application/x-ndjson": OpenApiTypes.STR,
        },
        responses={
            201: PolymorphicProxySerializer(
                component_name="DreamscapeBehaviorIngestAnswer",
                serializers=[BehaviorSerializer, BehaviorReceiptSerializer(many=True)],
                resource_type_field_name=None,
                many=False,
            ),
            422: OpenApiResponse(description="The Idempotency-Key was sent with another body."),
        },
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Retries with this key and the same body get the first answer.",
            )
        ],
        description=(
            "One event (answered with it), or a JSON list or NDJSON of up to "
            f"{max_bulk_items} (answered with each event's id and time, in order), written "
            "in one COPY: any bad event fails them all, with errors at `<index>.<field>`."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        many = isinstance(request.data, list)
        items = request.data if many else [request.data]
        limit = settings.DREAMSCAPE_INGEST_MAX_EVENTS
        if not items or len(items) > limit:
            raise ValidationError(
                {"non_field_errors": [f"Send 1 to {limit} events per request."]},
                code="batch_size",
            )
        try:
            events = behaviors.behavior_events_validate(items)
        except ValidationError as error:
            if many:
                raise
            raise ValidationError(error.detail["0"]) from None
        if many:
            written = self.writes.bulk_create(user=request.user, items=events)
            return Response([_receipt(e) for e in written], status=status.HTTP_201_CREATED)
        written = self.writes.create(user=request.user, data=events[0])
        return Response(_shown(written), status=status.HTTP_201_CREATED)
