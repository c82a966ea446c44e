"""Serializers of the Dreamcatcher API: shapes and input checks; the services write."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from dreamcatcher.models import (
    Brand,
    Document,
    Dream,
    DreamSummary,
    Fragment,
    Implementation,
    SyncSession,
    Tag,
    Todo,
    UserActivity,
)
from dreamcatcher.models.taxonomy import HEX_COLOR
from dreamcatcher.services import INVALID_TRANSITION, todo_status_move_allowed

STAMPS = ["created_by", "updated_by"]


@extend_schema_field(OpenApiTypes.STR)
class CallerDreamField(serializers.PrimaryKeyRelatedField):
    """A dream of the caller's, by id: another user's dream is as unknown as a missing one."""

    default_error_messages = {
        "does_not_exist": 'You have no dream with id "{pk_value}".',
        "incorrect_type": "Expected a dream id (a string), got {data_type}.",
    }

    def get_queryset(self) -> QuerySet[Dream]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Dream.objects.none()
        return Dream.objects.filter(user=request.user)

    def to_internal_value(self, data: Any) -> Dream:
        if not isinstance(data, str):
            return super().to_internal_value(data)
        # A bulk request names the same few dreams many times: look each up once.
        known = self.context.setdefault("caller_dreams", {})
        if data not in known:
            known[data] = super().to_internal_value(data)
        return known[data]


def _json_list(value: Any) -> Any:
    if not isinstance(value, list):
        raise serializers.ValidationError("Must be a JSON array.")
    return value


def _json_object(value: Any) -> Any:
    if not isinstance(value, dict):
        raise serializers.ValidationError("Must be a JSON object.")
    return value


# --- brands and tags ------------------------------------------------------------------------


class _VocabularySerializer(serializers.ModelSerializer):
    """A brand or tag; its id (a slug such as ``bc-studio``) may be chosen at creation only."""

    color = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=7,
        validators=[RegexValidator(HEX_COLOR, "Must be a hex colour such as #3B82F6.")],
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["id"].read_only = True
        return fields


class BrandSerializer(_VocabularySerializer):
    id = serializers.SlugField(
        max_length=255, required=False, validators=[UniqueValidator(Brand.objects.all())]
    )

    class Meta:
        model = Brand
        fields = [
            "id",
            "name",
            "display_name",
            "description",
            "color",
            "icon",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class TagSerializer(_VocabularySerializer):
    id = serializers.SlugField(
        max_length=255, required=False, validators=[UniqueValidator(Tag.objects.all())]
    )

    class Meta:
        model = Tag
        fields = [
            "id",
            "name",
            "category",
            "color",
            "description",
            "usage_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["usage_count", "created_at", "updated_at"]


class DreamTagSerializer(serializers.ModelSerializer):
    """A tag as shown on a dream."""

    class Meta:
        model = Tag
        fields = ["id", "name", "category", "color"]
        read_only_fields = fields


# --- the children of a dream ----------------------------------------------------------------


class FragmentSerializer(serializers.ModelSerializer):
    dream = CallerDreamField()
    features = serializers.JSONField(required=False, validators=[_json_list])
    code_snippets = serializers.JSONField(required=False, validators=[_json_list])

    class Meta:
        model = Fragment
        fields = [
            "id",
            "dream",
            "title",
            "content",
            "source",
            "url",
            "date",
            "features",
            "code_snippets",
            *STAMPS,
        ]
        read_only_fields = ["id", *STAMPS]


class ImplementationSerializer(serializers.ModelSerializer):
    dream = CallerDreamField()
    implementation_data = serializers.JSONField(required=False, validators=[_json_object])

    class Meta:
        model = Implementation
        fields = [
            "id",
            "dream",
            "status",
            "project_id",
            "tickets_created",
            "agents_assigned",
            "estimated_completion",
            "created_at",
            "completed_at",
            "implementation_data",
            *STAMPS,
        ]
        read_only_fields = ["id", "created_at", *STAMPS]
        extra_kwargs = {"tickets_created": {"min_value": 0}, "agents_assigned": {"min_value": 0}}


class TodoSerializer(serializers.ModelSerializer):
    dream = CallerDreamField()

    class Meta:
        model = Todo
        fields = [
            "id",
            "dream",
            "title",
            "description",
            "category",
            "priority",
            "status",
            "deadline",
            "completed_at",
            "source",
            "notes",
            "assigned_to",
            "created_at",
            "updated_at",
            *STAMPS,
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at", *STAMPS]

    def validate_status(self, value: str) -> str:
        # The database refuses the same moves (trigger status_transitions); this says why.
        if self.instance is not None and not todo_status_move_allowed(self.instance.status, value):
            raise serializers.ValidationError(
                f"A todo cannot move from {self.instance.status} to {value}.",
                code=INVALID_TRANSITION,
            )
        return value


class DocumentSerializer(serializers.ModelSerializer):
    """A document's metadata; only its title changes here (files come by upload)."""

    class Meta:
        model = Document
        fields = [
            "id",
            "dream",
            "title",
            "file_name",
            "file_type",
            "file_size",
            "upload_date",
            "parsed",
            "parsed_data",
            "created_by",
        ]
        read_only_fields = [field for field in fields if field != "title"]


# --- dreams ---------------------------------------------------------------------------------


class DreamSerializer(serializers.ModelSerializer):
    """A dream with its tags and how many children it has (the rows: retrieve it)."""

    brand = serializers.PrimaryKeyRelatedField(
        queryset=Brand.objects.filter(is_active=True),
        required=False,
        help_text="Brand id; defaults to personal.",
        error_messages={"does_not_exist": 'No active brand has the id "{pk_value}".'},
    )
    tags = DreamTagSerializer(
        source="tag_set", many=True, read_only=True, help_text="Set with PUT /dreams/{id}/tags."
    )
    fragment_count = serializers.IntegerField(read_only=True)
    implementation_count = serializers.IntegerField(read_only=True)
    todo_count = serializers.IntegerField(read_only=True)
    document_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dream
        fields = [
            "id",
            "title",
            "description",
            "status",
            "brand",
            "summary",
            "tags",
            "fragment_count",
            "implementation_count",
            "todo_count",
            "document_count",
            "synced_with_pipelineos",
            "synced_at",
            "pipelineos_project_id",
            "created",
            "updated",
            *STAMPS,
        ]
        # PipelineOS sync owns the sync columns.
        read_only_fields = [
            "id",
            "synced_with_pipelineos",
            "synced_at",
            "pipelineos_project_id",
            "created",
            "updated",
            *STAMPS,
        ]


class DreamDetailSerializer(DreamSerializer):
    """A dream with every fragment, implementation, todo and document it has (read-only)."""

    fragments = FragmentSerializer(many=True, read_only=True)
    implementations = ImplementationSerializer(many=True, read_only=True)
    todos = TodoSerializer(source="todo_set", many=True, read_only=True)
    documents = DocumentSerializer(source="document_set", many=True, read_only=True)

    class Meta(DreamSerializer.Meta):
        fields = [
            *DreamSerializer.Meta.fields,
            "fragments",
            "implementations",
            "todos",
            "documents",
        ]


class DreamTagsSerializer(serializers.Serializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=255),
        max_length=100,
        allow_empty=True,
        help_text="Tag ids, e.g. coding, design: the dream's complete new set.",
    )


# --- reports --------------------------------------------------------------------------------


class DreamStatisticsSerializer(serializers.Serializer):
    dream = serializers.CharField(help_text="The dream's id.")
    fragment_count = serializers.IntegerField()
    todo_count = serializers.IntegerField()
    completed_todos = serializers.IntegerField()
    document_count = serializers.IntegerField()
    completion_percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, help_text="0 without todos."
    )


class SyncStatusSerializer(serializers.Serializer):
    total_dreams = serializers.IntegerField()
    synced_dreams = serializers.IntegerField()
    unsynced_dreams = serializers.IntegerField()
    last_sync = serializers.DateTimeField(allow_null=True, help_text="Latest synced_at.")


class UserActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = UserActivity
        exclude = ["user"]


class DreamSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = DreamSummary
        fields = "__all__"


class SyncSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncSession
        exclude = ["user"]
        read_only_fields = [field.name for field in SyncSession._meta.fields]
