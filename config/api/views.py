import re
from typing import Any

from django.contrib.admindocs.views import simplify_regex
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.fields import JSONObjectField
from config.api.serializers import ModelSerializer


class MeSerializer(ModelSerializer):
    preferences = JSONObjectField(required=False)

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "email",
            "full_name",
            "avatar_url",
            "preferences",
            "is_verified",
            "created_at",
            "updated_at",
            "last_login",
        ]
        read_only_fields = [
            "id",
            "username",
            "email",
            "is_verified",
            "created_at",
            "updated_at",
            "last_login",
        ]


@extend_schema(tags=["account"])
class MeView(RetrieveUpdateAPIView):
    """The caller's account: read it, or change name, avatar and preferences."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


# The root is public, as the schema and docs are: it names routes, never a caller's data.
ROOT_SCHEMA = {
    "type": "object",
    "properties": {"me": {"type": "string", "format": "uri"}},
    "additionalProperties": {
        "type": "object",
        "description": "An app's resources: path → absolute URL ({name} marks a parameter).",
        "additionalProperties": {"type": "string"},
    },
}


def app_resources(resolver: URLResolver) -> list[str]:
    """An app's collections and plain views as paths, parameters as ``{name}``; no detail
    routes or viewset actions, which hang off a listed collection."""
    paths = []
    for pattern in resolver.url_patterns:
        actions = getattr(pattern.callback, "actions", None)
        if actions is None or pattern.name.endswith("-list"):
            paths.append(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", simplify_regex(str(pattern.pattern))))
    return [path.lstrip("/") for path in paths]


@extend_schema(tags=["root"], auth=[], responses={200: ROOT_SCHEMA})
class ApiRootView(APIView):
    """Every app's resources under ``/api/v1/``, with absolute URLs."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        root = request.build_absolute_uri(reverse("api:root"))
        body: dict[str, Any] = {"me": request.build_absolute_uri(reverse("api:me"))}
        for pattern in get_resolver("config.api.urls").url_patterns:
            if isinstance(pattern, URLResolver):
                app = pattern.app_name
                body[app] = {path: f"{root}{app}/{path}" for path in app_resources(pattern)}
        return Response(body)
