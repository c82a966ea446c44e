from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.viewsets import OwnerScopedViewSet
from personakit.api.serializers import ApiKeySerializer, ApiKeyUpdateSerializer
from personakit.models import ApiKey
from personakit.services import api_key_issue, api_key_revoke


@extend_schema(tags=["account"])
class ApiKeyViewSet(OwnerScopedViewSet):
    """The caller's API keys. Creating one returns its full key once; deleting revokes it."""

    queryset = ApiKey.objects.filter(is_active=True)
    serializer_class = ApiKeySerializer
    filterset_fields = ["name"]
    ordering_fields = ["created_at", "last_used_at", "name"]

    def get_serializer_class(self) -> type[ApiKeySerializer]:
        if self.action in ("update", "partial_update"):
            return ApiKeyUpdateSerializer
        return ApiKeySerializer

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = api_key_issue(
            user=request.user,
            name=serializer.validated_data.get("name", "default"),
            expires_in_days=serializer.validated_data.get("expires_in_days"),
        )
        body = ApiKeySerializer(issued.api_key, context={"raw_key": issued.raw_key}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiKey) -> None:
        api_key_revoke(api_key=instance)
