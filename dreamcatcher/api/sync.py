"""Sync with PipelineOS: start a run (``POST /sync``), read the caller's sessions and status."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet, RowLevelSecurityMixin
from dreamcatcher.choices import SyncSessionStatus, SyncSessionType
from dreamcatcher.models import SyncSession
from dreamcatcher.selectors.sync import sync_session_list, sync_status
from dreamcatcher.services.sync import SyncInProgress, sync_session_start


class SyncSessionSerializer(ModelSerializer):
    class Meta:
        model = SyncSession
        exclude = ["user"]
        read_only_fields = [field.name for field in SyncSession._meta.fields]


class SyncRequestSerializer(serializers.Serializer):
    session_type = serializers.ChoiceField(
        choices=SyncSessionType.choices,
        default=SyncSessionType.MANUAL,
        help_text="manual / pipelineos push unsynced dreams to PipelineOS; "
        "standalone writes a JSON export instead.",
    )


class SyncStatusSerializer(serializers.Serializer):
    total_dreams = serializers.IntegerField()
    synced_dreams = serializers.IntegerField()
    unsynced_dreams = serializers.IntegerField()
    last_sync = serializers.DateTimeField(allow_null=True, help_text="Latest synced_at.")


class SyncSessionFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=SyncSessionStatus.choices)
    session_type = filters.ChoiceFilter(choices=SyncSessionType.choices)

    class Meta:
        model = SyncSession
        fields = ["status", "session_type"]


class SyncAlreadyRunning(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "sync_in_progress"


class SyncSessionViewSet(CallerReadOnlyViewSet):
    """The caller's sync runs with their counts and errors (read-only)."""

    queryset = SyncSession.objects.all()
    serializer_class = SyncSessionSerializer
    filterset_class = SyncSessionFilter
    ordering_fields = ["started_at", "completed_at", "status"]
    selector = staticmethod(sync_session_list)


class SyncView(RowLevelSecurityMixin, APIView):
    """Start syncing the caller's unsynced dreams; follow it at ``sync-sessions/{id}``.

    One run at a time: while one is pending or running, this answers 409.
    """

    row_level_security = True

    @extend_schema(request=SyncRequestSerializer, responses={202: SyncSessionSerializer})
    def post(self, request: Request) -> Response:
        body = SyncRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            session = sync_session_start(
                user=request.user, session_type=body.validated_data["session_type"]
            )
        except SyncInProgress as busy:
            raise SyncAlreadyRunning(str(busy)) from None
        return Response(SyncSessionSerializer(session).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(responses=SyncStatusSerializer)
class SyncStatusView(RowLevelSecurityMixin, APIView):
    """How many of the caller's dreams are synced with PipelineOS (``get_sync_status``)."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        return Response(SyncStatusSerializer(sync_status(user=request.user)).data)
