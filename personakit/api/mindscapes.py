"""A person's mindscape and its traits by dot path.

``GET mindscapes/{person_id}`` returns the trait tree and its ``version`` (also as
``ETag: "<version>"``). ``GET/PUT/DELETE mindscapes/{person_id}/traits/{path}`` read and
write one trait (``path`` like ``work.chronotype``). Writes must say which version they
read (``config.api.preconditions``): ``If-Match: "<version>"`` or ``"version"`` in the body.
Without one the answer is 428; with a stale one it is 409 ``version_conflict`` with
``current_version``. A successful write returns the new version and ETag.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.fields import JSONField
from config.api.preconditions import IF_MATCH, ConflictSerializer, etag, expected_version
from config.api.serializers import ModelSerializer
from personakit.models import Mindscape, Person
from personakit.selectors.mindscapes import trait_get
from personakit.services.mindscapes import (
    mindscape_for,
    mindscape_remove_trait,
    mindscape_set_trait,
)
from personakit.services.persons import UnknownPerson, require_person


class MindscapeSerializer(ModelSerializer):
    person_id = serializers.UUIDField(read_only=True)
    traits = serializers.JSONField(read_only=True)

    class Meta:
        model = Mindscape
        fields = ["person_id", "traits", "version", "updated_at"]


@extend_schema_field(
    {"anyOf": [{"type": kind} for kind in ("object", "array", "string", "number", "boolean")]}
)
class TraitValueField(JSONField):
    """Any JSON value but null: the schema says so, as a bare JSON field's would not."""


class TraitSerializer(serializers.Serializer):
    path = serializers.CharField(read_only=True)
    value = TraitValueField(help_text="Any JSON value but null (DELETE removes a trait).")
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version read; or send If-Match instead."
    )


_WRITE_RESPONSES = {
    200: TraitSerializer,
    400: OpenApiResponse(description="Bad path or value."),
    404: OpenApiResponse(description="No such person (or trait, for DELETE)."),
    409: ConflictSerializer,
    428: OpenApiResponse(description="No version given."),
}
# A DELETE has no body to carry "version", so its If-Match is required (else 428).
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description=IF_MATCH.description,
)  # fmt: skip


class _PersonMindscapeView(APIView):
    def person(self, request: Request, person_id: str) -> Person:
        try:
            return require_person(user=request.user, person_id=person_id)
        except UnknownPerson:
            raise exceptions.NotFound() from None


class MindscapeView(_PersonMindscapeView):
    @extend_schema(responses=MindscapeSerializer, operation_id="personakit_mindscape_retrieve")
    def get(self, request: Request, person_id: str) -> Response:
        """The person's trait tree and version (an empty one, version 1, at first)."""
        mindscape = mindscape_for(person=self.person(request, person_id))
        return Response(MindscapeSerializer(mindscape).data, headers=etag(mindscape.version))


def _no_trait(trait_path: str) -> exceptions.NotFound:
    return exceptions.NotFound(f"No trait {trait_path}.", code="trait_not_found")


class TraitView(_PersonMindscapeView):
    def _answer(self, trait_path: str, value: Any, version: int) -> Response:
        body = {"path": trait_path, "value": value, "version": version}
        return Response(body, headers=etag(version))

    @extend_schema(responses=TraitSerializer, operation_id="personakit_mindscape_trait_retrieve")
    def get(self, request: Request, person_id: str, trait_path: str) -> Response:
        """One trait (a value or a group) and the mindscape's version."""
        mindscape = mindscape_for(person=self.person(request, person_id))
        try:
            value = trait_get(mindscape.traits, trait_path)
        except KeyError:
            raise _no_trait(trait_path) from None
        return self._answer(trait_path, value, mindscape.version)

    @extend_schema(
        request=TraitSerializer,
        parameters=[IF_MATCH],
        responses=_WRITE_RESPONSES,
        operation_id="personakit_mindscape_trait_set",
    )
    def put(self, request: Request, person_id: str, trait_path: str) -> Response:
        """Set the trait (groups made as needed) if the mindscape is still at the version read."""
        person = self.person(request, person_id)
        serializer = TraitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = serializer.validated_data["value"]
        mindscape = mindscape_set_trait(
            person=person, path=trait_path, value=value, expected_version=expected_version(request)
        )
        return self._answer(trait_path, value, mindscape.version)

    @extend_schema(
        parameters=[IF_MATCH_REQUIRED],
        responses=_WRITE_RESPONSES,
        operation_id="personakit_mindscape_trait_remove",
    )
    def delete(self, request: Request, person_id: str, trait_path: str) -> Response:
        """Remove the trait (emptied groups go too) if the mindscape is still at that version."""
        person = self.person(request, person_id)
        expected = expected_version(request)
        try:
            mindscape = mindscape_remove_trait(
                person=person, path=trait_path, expected_version=expected
            )
        except KeyError:
            raise _no_trait(trait_path) from None
        return self._answer(trait_path, None, mindscape.version)
