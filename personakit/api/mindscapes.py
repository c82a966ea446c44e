"""PersonaKit API: a person's mindscape and its traits by dot path.

``GET mindscapes/{person_id}`` returns the trait tree and its ``version`` (also as
``ETag: "<version>"``). ``GET/PUT/DELETE mindscapes/{person_id}/traits/{path}`` read and
write one trait (``path`` like ``work.chronotype``). Writes must say which version they
read: ``If-Match: "<version>"`` or ``"version"`` in the body. Without one the answer is
428 (a blind write could silently undo a concurrent one); with a stale one it is 409
``version_conflict`` with ``current_version``. A successful write returns the new version
and ETag.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.errors import single_error
from config.api.routers import ApiRouter
from personakit.mindscapes import (
    VersionConflict,
    mindscape_for,
    mindscape_remove_trait,
    mindscape_set_trait,
    trait_get,
)
from personakit.models import Mindscape, Person
from personakit.persons import UnknownPerson, require_person

TAGS = ["personakit"]


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = 'Say which version you read: If-Match: "<version>" or "version" in the body.'


class MindscapeSerializer(serializers.ModelSerializer):
    person_id = serializers.UUIDField(read_only=True)
    traits = serializers.JSONField(read_only=True)

    class Meta:
        model = Mindscape
        fields = ["person_id", "traits", "version", "updated_at"]


class TraitSerializer(serializers.Serializer):
    path = serializers.CharField(read_only=True)
    value = serializers.JSONField(help_text="Any JSON value but null (DELETE removes a trait).")
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version read; or send If-Match instead."
    )


class ConflictSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = serializers.ListField(child=serializers.DictField())
    current_version = serializers.IntegerField()


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def _if_match(request: Request) -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise exceptions.ValidationError(
            {"If-Match": ['Use the ETag you read, e.g. If-Match: "3".']}, code="invalid"
        )
    return int(tag)


def _expected_version(request: Request, body_version: int | None) -> int:
    header_version = _if_match(request)
    if header_version is not None and body_version is not None and header_version != body_version:
        raise exceptions.ValidationError(
            {"version": ["Differs from If-Match; send one version."]}, code="ambiguous_version"
        )
    expected = header_version if header_version is not None else body_version
    if expected is None:
        raise PreconditionRequired()
    return expected


def _conflict(error: VersionConflict) -> Response:
    body = {
        **single_error("version_conflict", str(error), "version"),
        "current_version": error.current_version,
    }
    return Response(body, status=status.HTTP_409_CONFLICT, headers=_etag(error.current_version))


class _PersonMindscapeView(APIView):
    def person(self, request: Request, person_id: str) -> Person:
        try:
            return require_person(user=request.user, person_id=person_id)
        except UnknownPerson:
            raise exceptions.NotFound() from None


@extend_schema(tags=TAGS)
class MindscapeView(_PersonMindscapeView):
    @extend_schema(responses=MindscapeSerializer, operation_id="personakit_mindscape_retrieve")
    def get(self, request: Request, person_id: str) -> Response:
        """The person's trait tree and version (an empty one, version 1, at first)."""
        mindscape = mindscape_for(person=self.person(request, person_id))
        return Response(MindscapeSerializer(mindscape).data, headers=_etag(mindscape.version))


_IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description='"<version>" read.'
)
_WRITE_RESPONSES = {
    200: TraitSerializer,
    400: OpenApiResponse(description="Bad path or value."),
    404: OpenApiResponse(description="No such person (or trait, for DELETE)."),
    409: ConflictSerializer,
    428: OpenApiResponse(description="No version given."),
}


@extend_schema(tags=TAGS)
class TraitView(_PersonMindscapeView):
    def _answer(self, trait_path: str, value: Any, version: int) -> Response:
        body = {"path": trait_path, "value": value, "version": version}
        return Response(body, headers=_etag(version))

    @extend_schema(responses=TraitSerializer, operation_id="personakit_mindscape_trait_retrieve")
    def get(self, request: Request, person_id: str, trait_path: str) -> Response:
        """One trait (a value or a group) and the mindscape's version."""
        mindscape = mindscape_for(person=self.person(request, person_id))
        try:
            value = trait_get(mindscape.traits, trait_path)
        except KeyError:
            raise exceptions.NotFound(f"No trait {trait_path}.", code="trait_not_found") from None
        return self._answer(trait_path, value, mindscape.version)

    @extend_schema(
        request=TraitSerializer,
        parameters=[_IF_MATCH],
        responses=_WRITE_RESPONSES,
        operation_id="personakit_mindscape_trait_set",
    )
    def put(self, request: Request, person_id: str, trait_path: str) -> Response:
        """Set the trait (groups made as needed) if the mindscape is still at the version read."""
        person = self.person(request, person_id)
        serializer = TraitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expected = _expected_version(request, serializer.validated_data.get("version"))
        value = serializer.validated_data["value"]
        try:
            mindscape = mindscape_set_trait(
                person=person, path=trait_path, value=value, expected_version=expected
            )
        except VersionConflict as error:
            return _conflict(error)
        return self._answer(trait_path, value, mindscape.version)

    @extend_schema(
        parameters=[_IF_MATCH],
        responses=_WRITE_RESPONSES,
        operation_id="personakit_mindscape_trait_remove",
    )
    def delete(self, request: Request, person_id: str, trait_path: str) -> Response:
        """Remove the trait (emptied groups go too) if the mindscape is still at that version."""
        person = self.person(request, person_id)
        body_version = request.data.get("version") if isinstance(request.data, dict) else None
        if body_version is not None and not isinstance(body_version, int):
            raise exceptions.ValidationError({"version": ["Must be an integer."]})
        expected = _expected_version(request, body_version)
        try:
            mindscape = mindscape_remove_trait(
                person=person, path=trait_path, expected_version=expected
            )
        except VersionConflict as error:
            return _conflict(error)
        except KeyError:
            raise exceptions.NotFound(f"No trait {trait_path}.", code="trait_not_found") from None
        return self._answer(trait_path, None, mindscape.version)


router = ApiRouter()
urlpatterns: list = [
    path("mindscapes/<str:person_id>", MindscapeView.as_view(), name="mindscape"),
    path(
        "mindscapes/<str:person_id>/traits/<str:trait_path>",
        TraitView.as_view(),
        name="mindscape-trait",
    ),
]
