"""Sync: start a run (``POST /sync``) and read the caller's sessions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.viewsets import RowLevelSecurityMixin
from dreamcatcher import selectors
from dreamcatcher.api import filters
from dreamcatcher.api.serializers import SyncSessionSerializer
from dreamcatcher.api.views import TAGS, CallerRowsMixin
from dreamcatcher.choices import SyncSessionType
from dreamcatcher.models import SyncSession
from dreamcatcher.sync import SyncInProgress, sync_session_start


class SyncRequestSerializer(serializers.Serializer):
    session_type = serializers.ChoiceField(
        choices=SyncSessionType.choices,
        default=SyncSessionType.MANUAL,
        help_text="manual / pipelineos push unsynced dreams to PipelineOS; "
        "standalone writes a JSON export instead.",
    )


class SyncAlreadyRunning(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "sync_in_progress"


@extend_schema(tags=TAGS)
class SyncSessionViewSet(CallerRowsMixin, RowLevelSecurityMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's sync runs with their counts and errors (read-only)."""

    row_level_security = True
    queryset = SyncSession.objects.all()
    serializer_class = SyncSessionSerializer
    filterset_class = filters.SyncSessionFilter
    ordering_fields = ["started_at", "completed_at", "status"]
    selector = staticmethod(selectors.sync_session_list)


@extend_schema(tags=TAGS)
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
