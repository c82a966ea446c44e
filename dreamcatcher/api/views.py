"""Viewsets of the Dreamcatcher API: parse, pick the caller's rows, call one service.

Viewsets over the tables with row-level security run each request as the database role the
policies bind (``row_level_security = True``), so even an unfiltered query sees only the
caller's rows; the selectors filter by owner as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.pagination import CursorPagination
from config.api.viewsets import OwnerScopedViewSet, RowLevelSecurityMixin
from dreamcatcher import selectors, services
from dreamcatcher.api import filters
from dreamcatcher.api.serializers import (
    BrandSerializer,
    DreamDetailSerializer,
    DreamSerializer,
    DreamStatisticsSerializer,
    DreamSummarySerializer,
    DreamTagsSerializer,
    FragmentSerializer,
    ImplementationSerializer,
    SyncStatusSerializer,
    TagSerializer,
    TodoSerializer,
    UserActivitySerializer,
)
from dreamcatcher.models import (
    Brand,
    Dream,
    DreamSummary,
    Fragment,
    Implementation,
    Tag,
    Todo,
)

TAGS = ["dreamcatcher"]


class CallerRowsMixin:
    """Rows from ``selector(user=caller)``; none for schema generation, which has no caller."""

    selector: ClassVar[Callable[..., QuerySet]]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.selector(user=self.request.user)


@dataclass(frozen=True)
class Writes:
    """The services a viewset writes through; ``row`` names their row argument."""

    row: str
    create: Callable[..., Model] | None = None
    update: Callable[..., Model] | None = None
    delete: Callable[..., None] | None = None
    bulk_create: Callable[..., list[Model]] | None = None


class ServiceWritesMixin:
    """``perform_*`` call the services in ``writes``."""

    writes: ClassVar[Writes]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.writes.create(
            user=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self.writes.update(
            **{self.writes.row: serializer.instance},
            user=self.request.user,
            data=serializer.validated_data,
        )

    def perform_destroy(self, instance: Model) -> None:
        self.writes.delete(**{self.writes.row: instance})


class BulkCreateMixin(ServiceWritesMixin):
    """A JSON list posted to the list endpoint creates every item or none."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, list):
            return super().create(request, *args, **kwargs)
        serializer = self.get_serializer(
            data=request.data, many=True, min_length=1, max_length=services.MAX_BULK_ITEMS
        )
        serializer.is_valid(raise_exception=True)
        rows = self.writes.bulk_create(user=request.user, items=serializer.validated_data)
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)


def bulk_schema(serializer: type, name: str) -> Callable[[type], type]:
    """Document that ``create`` takes one object or a list of up to 1000 (all or nothing)."""
    one_or_many = PolymorphicProxySerializer(
        component_name=f"{name.capitalize()}OneOrMany",
        serializers=[serializer, serializer(many=True)],
        resource_type_field_name=None,
        many=False,
    )
    return extend_schema_view(
        create=extend_schema(
            description=(
                f"One {name}, or a JSON list of up to {services.MAX_BULK_ITEMS} created "
                "atomically: any bad item fails them all, with errors at `<index>.<field>`."
            ),
            request=one_or_many,
            responses={201: one_or_many},
        )
    )


# --- dreams ---------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class DreamViewSet(ServiceWritesMixin, CallerRowsMixin, OwnerScopedViewSet):
    """The caller's dreams. A list shows counts; retrieving one shows its children's rows."""

    row_level_security = True
    queryset = Dream.objects.all()
    serializer_class = DreamSerializer
    filterset_class = filters.DreamFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created", "updated", "title", "status"]
    pagination_class = CursorPagination
    cursor_ordering = "-created"
    selector = staticmethod(selectors.dream_list)
    writes = Writes(
        row="dream",
        create=services.dream_create,
        update=services.dream_update,
        delete=services.dream_delete,
    )

    def get_queryset(self) -> QuerySet[Dream]:
        if self.action == "retrieve" and not getattr(self, "swagger_fake_view", False):
            return selectors.dream_detail_list(user=self.request.user)
        return super().get_queryset()

    def get_serializer_class(self) -> type[DreamSerializer]:
        return DreamDetailSerializer if self.action == "retrieve" else DreamSerializer

    def perform_create(self, serializer: DreamSerializer) -> None:
        super().perform_create(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)  # the counts

    @extend_schema(request=DreamTagsSerializer, responses=DreamSerializer)
    @action(detail=True, methods=["put"], url_path="tags")
    def tags(self, request: Request, pk: str | None = None) -> Response:
        """Replace the dream's tags with the listed tag ids (all known, or nothing changes)."""
        dream = self.get_object()
        serializer = DreamTagsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dream_set_tags(dream=dream, tag_ids=serializer.validated_data["tags"])
        dream = self.get_queryset().get(pk=dream.pk)
        return Response(DreamSerializer(dream, context=self.get_serializer_context()).data)

    @extend_schema(responses=DreamStatisticsSerializer)
    @action(detail=True, methods=["get"])
    def statistics(self, request: Request, pk: str | None = None) -> Response:
        """The dream's counts of fragments, todos and documents (``get_dream_statistics``)."""
        dream = self.get_object()
        statistics = selectors.dream_statistics(dream_id=dream.pk)
        return Response(DreamStatisticsSerializer({"dream": dream.pk, **statistics}).data)


# --- the children of a dream ----------------------------------------------------------------


@extend_schema(tags=TAGS)
@bulk_schema(FragmentSerializer, "fragment")
class FragmentViewSet(BulkCreateMixin, CallerRowsMixin, OwnerScopedViewSet):
    """Research and inspiration attached to the caller's dreams."""

    row_level_security = True
    queryset = Fragment.objects.all()
    serializer_class = FragmentSerializer
    filterset_class = filters.FragmentFilter
    search_fields = ["title", "content"]
    ordering_fields = ["date", "title"]
    pagination_class = CursorPagination
    cursor_ordering = "-date"
    selector = staticmethod(selectors.fragment_list)
    writes = Writes(
        row="fragment",
        create=services.fragment_create,
        update=services.fragment_update,
        delete=services.fragment_delete,
        bulk_create=services.fragment_bulk_create,
    )


@extend_schema(tags=TAGS)
class ImplementationViewSet(ServiceWritesMixin, CallerRowsMixin, OwnerScopedViewSet):
    """The builds of the caller's dreams."""

    row_level_security = True
    queryset = Implementation.objects.all()
    serializer_class = ImplementationSerializer
    filterset_class = filters.ImplementationFilter
    ordering_fields = ["created_at", "completed_at", "status"]
    selector = staticmethod(selectors.implementation_list)
    writes = Writes(
        row="implementation",
        create=services.implementation_create,
        update=services.implementation_update,
        delete=services.implementation_delete,
    )


@extend_schema(tags=TAGS)
@bulk_schema(TodoSerializer, "todo")
class TodoViewSet(BulkCreateMixin, CallerRowsMixin, OwnerScopedViewSet):
    """The caller's todos. Status moves follow the allowed transitions (else 400)."""

    row_level_security = True
    queryset = Todo.objects.all()
    serializer_class = TodoSerializer
    filterset_class = filters.TodoFilter
    search_fields = ["title", "description", "notes"]
    # Cursor pages need non-null orderings: no deadline here (filter on it instead).
    ordering_fields = ["created_at", "updated_at", "title", "priority", "status"]
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    selector = staticmethod(selectors.todo_list)
    writes = Writes(
        row="todo",
        create=services.todo_create,
        update=services.todo_update,
        delete=services.todo_delete,
        bulk_create=services.todo_bulk_create,
    )


# --- brands and tags: everyone reads, staff write -------------------------------------------


class StaffWritesOrReadOnly(permissions.BasePermission):
    message = "Only staff may change brands and tags."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.is_staff


class BrandInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "brand_in_use"
    default_detail = "Dreams still use this brand: deactivate it instead (is_active false)."


class _VocabularyViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, StaffWritesOrReadOnly]

    def perform_create(self, serializer: Any) -> None:
        model = self.queryset.model
        serializer.instance = services.vocabulary_save(row=model(), data=serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.vocabulary_save(
            row=serializer.instance, data=serializer.validated_data
        )


@extend_schema(tags=TAGS)
class BrandViewSet(_VocabularyViewSet):
    """Brands dreams are built under. Deleting one that dreams use is a 409."""

    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    filterset_fields = ["is_active"]
    search_fields = ["name", "display_name"]
    ordering_fields = ["name", "created_at"]

    def perform_destroy(self, instance: Brand) -> None:
        try:
            services.brand_delete(brand=instance)
        except services.BrandInUseError as error:
            raise BrandInUse() from error


@extend_schema(tags=TAGS)
class TagViewSet(_VocabularyViewSet):
    """Tags for dreams, with how many dreams carry each."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    filterset_fields = ["category"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "usage_count", "created_at"]

    def perform_destroy(self, instance: Tag) -> None:
        services.tag_delete(tag=instance)


# --- reports of the caller ------------------------------------------------------------------


@extend_schema(tags=TAGS)
class DreamSummaryViewSet(CallerRowsMixin, RowLevelSecurityMixin, viewsets.ReadOnlyModelViewSet):
    """View ``dream_summary``: each of the caller's dreams with counts and tag names."""

    row_level_security = True
    queryset = DreamSummary.objects.all()
    serializer_class = DreamSummarySerializer
    ordering_fields = ["updated", "created", "title"]
    selector = staticmethod(selectors.dream_summary)


class _CallerReportView(RowLevelSecurityMixin, APIView):
    row_level_security = True


@extend_schema(tags=TAGS, responses=SyncStatusSerializer)
class SyncStatusView(_CallerReportView):
    """How many of the caller's dreams are synced with PipelineOS (``get_sync_status``)."""

    def get(self, request: Request) -> Response:
        return Response(SyncStatusSerializer(selectors.sync_status(user=request.user)).data)


@extend_schema(tags=TAGS, responses=UserActivitySerializer)
class ActivityView(_CallerReportView):
    """The caller's totals of dreams, fragments and todos (view ``user_activity``)."""

    def get(self, request: Request) -> Response:
        return Response(UserActivitySerializer(selectors.user_activity(user=request.user)).data)
