"""Dreams: the caller's, with counts in a list and every child row in a read of one."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import SingleLineCharField
from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes, schema_generation
from dreamcatcher.api.documents import DocumentSerializer
from dreamcatcher.api.fields import STAMPS
from dreamcatcher.api.fragments import FragmentSerializer
from dreamcatcher.api.implementations import ImplementationSerializer
from dreamcatcher.api.todos import TodoSerializer
from dreamcatcher.api.vocabulary import DreamTagSerializer
from dreamcatcher.choices import DreamStatus
from dreamcatcher.models import Brand, Dream, DreamTag
from dreamcatcher.selectors.dreams import dream_detail_list, dream_list
from dreamcatcher.selectors.reports import dream_statistics
from dreamcatcher.services import dreams


class DreamSerializer(ModelSerializer):
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
        fields = ["id", "title", "description", "status", "brand", "summary", "tags",
                  "fragment_count", "implementation_count", "todo_count", "document_count",
                  "synced_with_pipelineos", "synced_at", "pipelineos_project_id", "created",
                  "updated", *STAMPS]  # fmt: skip
        # PipelineOS sync owns the sync columns.
        read_only_fields = ["id", "synced_with_pipelineos", "synced_at", "pipelineos_project_id",
                            "created", "updated", *STAMPS]  # fmt: skip


class DreamDetailSerializer(DreamSerializer):
    """A dream with every fragment, implementation, todo and document it has (read-only)."""

    fragments = FragmentSerializer(many=True, read_only=True)
    implementations = ImplementationSerializer(many=True, read_only=True)
    todos = TodoSerializer(source="todo_set", many=True, read_only=True)
    documents = DocumentSerializer(source="document_set", many=True, read_only=True)

    class Meta(DreamSerializer.Meta):
        fields = [*DreamSerializer.Meta.fields, "fragments", "implementations", "todos",
                  "documents"]  # fmt: skip


class DreamTagsSerializer(serializers.Serializer):
    tags = serializers.ListField(
        child=SingleLineCharField(max_length=255),
        max_length=100,
        allow_empty=True,
        help_text="Tag ids, e.g. coding, design: the dream's complete new set.",
    )


class DreamStatisticsSerializer(serializers.Serializer):
    dream = serializers.CharField(help_text="The dream's id.")
    fragment_count = serializers.IntegerField()
    todo_count = serializers.IntegerField()
    completed_todos = serializers.IntegerField()
    document_count = serializers.IntegerField()
    completion_percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, help_text="0 without todos."
    )


class DreamFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=DreamStatus.choices)
    brand = filters.CharFilter(field_name="brand_id", help_text="Brand id, e.g. bc-studio.")
    tag = filters.CharFilter(method="filter_tag", help_text="Tag id: dreams carrying that tag.")
    synced = filters.BooleanFilter(
        field_name="synced_with_pipelineos", help_text="Synced with PipelineOS or not."
    )
    created_after = filters.IsoDateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created", lookup_expr="lt")

    class Meta:
        model = Dream
        fields = ["status", "brand", "tag", "synced", "created_after", "created_before"]

    def filter_tag(self, queryset: QuerySet[Dream], name: str, value: str) -> QuerySet[Dream]:
        # EXISTS, not a join: a join would repeat dreams and break cursor pagination.
        return queryset.filter(Exists(DreamTag.objects.filter(dream=OuterRef("pk"), tag_id=value)))


class DreamViewSet(CallerModelViewSet):
    """The caller's dreams. A list shows counts; retrieving one shows its children's rows."""

    queryset = Dream.objects.all()
    serializer_class = DreamSerializer
    filterset_class = DreamFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created", "updated", "title", "status"]
    pagination_class = CursorPagination
    cursor_ordering = "-created"
    selector = staticmethod(dream_list)
    writes = Writes.named(dreams, "dream")

    def get_queryset(self) -> QuerySet[Dream]:
        if self.action == "retrieve" and not schema_generation(self):
            return dream_detail_list(user=self.request.user)
        return super().get_queryset()

    def get_serializer_class(self) -> type[DreamSerializer]:
        return DreamDetailSerializer if self.action == "retrieve" else DreamSerializer

    @extend_schema(request=DreamTagsSerializer, responses=DreamSerializer)
    @action(detail=True, methods=["put"], url_path="tags")
    def tags(self, request: Request, pk: str | None = None) -> Response:
        """Replace the dream's tags with the listed tag ids (all known, or nothing changes)."""
        dream = self.get_object()
        serializer = DreamTagsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dreams.dream_set_tags(dream=dream, tag_ids=serializer.validated_data["tags"])
        return self.answer(self.as_read([dream])[0])

    @extend_schema(responses=DreamStatisticsSerializer)
    @action(detail=True, methods=["get"])
    def statistics(self, request: Request, pk: str | None = None) -> Response:
        """The dream's counts of fragments, todos and documents (``get_dream_statistics``)."""
        dream = self.get_object()
        statistics = dream_statistics(dream_id=dream.pk)
        return Response(DreamStatisticsSerializer({"dream": dream.pk, **statistics}).data)
