"""Mapper configs, shared by every caller.

Everyone authenticated lists, reads and creates versions (``POST`` makes the next version of
``config_id`` as a draft). A version's author (or staff) may edit it while it is a draft and
activate it; an active or deprecated version's configuration is immutable (409).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import JSONField, JSONObjectField
from config.api.schema import NOT_BLANK_PATTERN, WHITESPACE
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, CreateMixin, UpdateMixin, Writes
from personakit.choices import MapperStatus
from personakit.models import MapperConfig
from personakit.services.mappers import (
    GROUPS,
    MAX_GROUP_DEPTH,
    MAX_TTL_HOURS,
    NUMERIC_OPERATORS,
    OPERATORS,
    PRIORITIES,
    MapperNotDraft,
    mapper_activate,
    mapper_create_version,
    mapper_update_draft,
    mapper_validate,
)


class MapperConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The mapper version is not a draft."


_NOT_BLANK = {"type": "string", "pattern": NOT_BLANK_PATTERN}  # what str.strip() leaves some of
_PART = f"[^.]*[^.{WHITESPACE}][^.]*"
_TRAIT_PATH = {"type": "string", "pattern": rf"^{_PART}(?:\.{_PART})*$"}


def _condition(operators: list[str], value: dict, *, value_required: bool = True) -> dict:
    """A ``trait_check`` with one of ``operators`` and a ``value`` of that schema."""
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["trait_check"]},
            "trait": _TRAIT_PATH,
            "operator": {"type": "string", "enum": operators},
            "value": value,
        },
        "required": ["type", "trait", "operator", *(["value"] if value_required else [])],
    }


_CONDITION = {
    "oneOf": [
        _condition(["exists"], {"type": "boolean"}, value_required=False),
        _condition(["in"], {"type": "array", "items": {}}),
        _condition(sorted(NUMERIC_OPERATORS), {"type": "number"}),
        _condition(sorted(set(OPERATORS) - NUMERIC_OPERATORS - {"exists", "in"}), {}),
    ]
}


def _group(depth: int = 1) -> dict[str, Any]:
    """``{"all": [...]}`` or ``{"any": [...]}`` at ``depth``; groups nest MAX_GROUP_DEPTH deep."""
    item = _CONDITION if depth == MAX_GROUP_DEPTH else {"oneOf": [_CONDITION, _group(depth + 1)]}
    items = {"type": "array", "minItems": 1, "items": item}
    return {
        "type": "object",
        "properties": dict.fromkeys(GROUPS, items),
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
    }


_ACTION = {
    "type": "object",
    "properties": {
        "template": _NOT_BLANK,
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "type": {"type": "string", "minLength": 1, "description": "Default: suggestion."},
    },
    "required": ["template", "priority"],
}
_RULE = {
    "type": "object",
    "description": "Rule ids are unique within a configuration.",
    "properties": {
        "id": _NOT_BLANK,
        "conditions": _group(),
        "actions": {"type": "array", "minItems": 1, "items": _ACTION},
    },
    "required": ["id", "conditions", "actions"],
}
_METADATA = {
    "type": "object",
    "properties": {
        **{key: {"type": "string"} for key in ("id", "name", "description", "author")},
        "ttl_hours": {
            "type": "number",
            "minimum": 0,
            "exclusiveMinimum": True,
            "maximum": MAX_TTL_HOURS,
            "description": "Overrides the personas' 24-hour time to live.",
        },
    },
    "additionalProperties": {},
}


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "metadata": _METADATA,
            "rules": {"type": "array", "minItems": 1, "items": _RULE},
        },
        "required": ["metadata", "rules"],
        "additionalProperties": False,
    }
)
class MapperConfigurationField(JSONField):
    """What ``mapper_validate`` checks, as a schema (but the uniqueness of rule ids)."""


class MapperConfigSerializer(ModelSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    configuration = MapperConfigurationField()
    metadata = JSONObjectField(required=False, allow_null=True)

    class Meta:
        model = MapperConfig
        fields = ["id", "config_id", "version", "configuration", "status", "usage_count",
                  "metadata", "created_at", "created_by"]  # fmt: skip
        read_only_fields = ["id", "version", "status", "usage_count", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:  # a version's config_id is its identity
            fields["config_id"].read_only = True
        return fields

    def validate(self, attrs: dict) -> dict:
        # Object-level, so the error paths ("configuration.rules.0.id") are not nested twice.
        if "configuration" in attrs:
            mapper_validate(attrs["configuration"])
        return attrs


class IsAuthorOrStaffForVersionWrites(permissions.BasePermission):
    """Edits and activation of a version belong to its author (or staff)."""

    message = "Only the version's author or staff may change or activate it."

    def has_object_permission(self, request: Request, view: Any, obj: MapperConfig) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.is_staff or obj.created_by_id == request.user.pk


def _mapper_update_draft(*, mapper: MapperConfig, user: Any, data: dict) -> MapperConfig:
    try:
        return mapper_update_draft(mapper=mapper, user=user, data=data)
    except MapperNotDraft as error:  # activated since it was read
        raise MapperConflict(str(error)) from error


class MapperConfigViewSet(
    CreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    UpdateMixin,
    CallerViewSet,
):
    """Versioned mapper configurations: rules that turn a mindscape into a persona."""

    queryset = MapperConfig.objects.all()
    owner_field = None
    serializer_class = MapperConfigSerializer
    permission_classes = [permissions.IsAuthenticated, IsAuthorOrStaffForVersionWrites]
    filterset_fields = ["config_id", "status"]
    ordering_fields = ["config_id", "version", "created_at", "usage_count"]
    search_fields = ["config_id"]
    writes = Writes(row="mapper", create=mapper_create_version, update=_mapper_update_draft)

    def get_object(self) -> MapperConfig:
        mapper = super().get_object()
        # A version that is no draft says so before its new content is even looked at.
        if self.action in ("update", "partial_update") and mapper.status != MapperStatus.DRAFT:
            raise MapperConflict(str(MapperNotDraft(mapper)))
        return mapper

    @extend_schema(request=None, responses=MapperConfigSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        """Make this version the active one of its config_id; the previous one is deprecated."""
        return self.answer(mapper_activate(mapper=self.get_object()))
