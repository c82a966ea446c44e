"""Base viewsets: an app's viewset declares its rows, its services and its shapes.

A CRUD endpoint over the caller's rows is a declaration::

    class TodoViewSet(CallerModelViewSet):
        queryset = Todo.objects.all()
        serializer_class = TodoSerializer
        selector = staticmethod(todo_list)
        writes = Writes.named(todos, "todo")  # todos.todo_create, todo_update, …

Reads go through ``selector(user=caller)`` (or ``queryset`` filtered by ``owner_field``),
every write through one service: ``create(*, user, data)``, ``update(*, <row>, user, data)``,
``delete(*, <row>)``, ``bulk_create(*, user, items)``. With ``bulk_create`` the list endpoint
also takes a JSON list (all or nothing, errors at ``<index>.<field>``). A write whose input
differs from the row's shape names its serializer in ``input_serializer_classes``
(``{"create": UploadSerializer}``); answers always show ``serializer_class``, and the
OpenAPI schema says so. Requests run under row-level security whenever the model's table
has policies (``config.rls``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config import rls

MAX_BULK_ITEMS = 1000
BULK_COMPONENT_SUFFIX = "OneOrMany"  # its list form is bounded by config.api.schema


def schema_generation(view: Any) -> bool:
    """Whether ``view`` only describes itself to drf-spectacular (there is no caller)."""
    return getattr(view, "swagger_fake_view", False)


@dataclass(frozen=True)
class Writes:
    """The services a viewset writes through; ``row`` names their row argument."""

    row: str = "row"
    create: Callable[..., Model] | None = None
    update: Callable[..., Model] | None = None
    delete: Callable[..., None] | None = None
    bulk_create: Callable[..., list[Model]] | None = None

    @classmethod
    def named(cls, services: ModuleType, row: str) -> Writes:
        """The ``<row>_create``, ``_update``, ``_delete`` and ``_bulk_create`` that ``services``
        has, e.g. ``Writes.named(todos, "todo")``."""
        verbs = ("create", "update", "delete", "bulk_create")
        return cls(row=row, **{verb: getattr(services, f"{row}_{verb}", None) for verb in verbs})


class RowLevelSecurityMixin:
    """Runs the request as the database role the tables' RLS policies bind (``config.rls``).

    ``row_level_security`` left at None switches it on when the viewset's model's table has
    policies; views without a ``queryset`` (reports) set it to True.
    """

    row_level_security: ClassVar[bool | None] = None

    def runs_under_row_level_security(self) -> bool:
        if self.row_level_security is not None:
            return self.row_level_security
        queryset = getattr(self, "queryset", None)
        return queryset is not None and rls.protects(queryset.model)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated, permitted, not throttled
        if request.user.is_authenticated and self.runs_under_row_level_security():
            self._leave_row_level_security = rls.enter(request.user, client=rls.Client.of(request))

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        if getattr(self, "_leave_row_level_security", False):
            rls.leave()
            self._leave_row_level_security = False
        return super().finalize_response(request, response, *args, **kwargs)


_WRITE_ACTIONS = {"create": "create", "update": "update", "destroy": "delete"}
_ANSWERS = {"create": 201, "update": 200, "partial_update": 200}


class CallerViewSet(RowLevelSecurityMixin, viewsets.GenericViewSet):
    """The caller's rows: others' do not exist (404); writes go through ``writes``.

    Compose with the action mixins below, or take ``CallerModelViewSet`` /
    ``CallerReadOnlyViewSet``.
    """

    selector: ClassVar[Callable[..., QuerySet] | None] = None
    owner_field: ClassVar[str | None] = "user"  # None: rows every caller shares
    writes: ClassVar[Writes] = Writes()
    max_bulk_items: ClassVar[int] = MAX_BULK_ITEMS
    input_serializer_classes: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {}
    # Answer a write with the row as reads show it (annotations, prefetches): one query more.
    reread_written_rows: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "queryset", None) is None:  # a base class, not an endpoint
            return
        for action, service in _WRITE_ACTIONS.items():
            if hasattr(cls, action) and getattr(cls.writes, service) is None:
                raise ImproperlyConfigured(
                    f"{cls.__name__} offers {action} without writes.{service}"
                )
        if cls.writes.bulk_create is not None and "create" not in cls.__dict__:
            _document_bulk_create(cls)
        _document_inputs(cls)

    def get_queryset(self) -> QuerySet:
        if schema_generation(self):
            return self.queryset.none()
        if self.selector is not None:
            return self.selector(user=self.request.user)
        if self.owner_field is None:
            return self.queryset.all()
        return self.queryset.filter(**{self.owner_field: self.request.user})

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return self.input_serializer_classes.get(self.action, self.serializer_class)

    def answer(self, rows: Any, *, many: bool = False, status: int = 200) -> Response:
        """``rows`` in the read shape (``serializer_class``)."""
        serializer = self.serializer_class(rows, many=many, context=self.get_serializer_context())
        return Response(serializer.data, status=status)

    def as_read(self, rows: Sequence[Model]) -> list[Model]:
        """``rows`` re-read through ``get_queryset()``, in their order."""
        if not self.reread_written_rows:
            return list(rows)
        by_pk = self.get_queryset().in_bulk([row.pk for row in rows])
        return [by_pk[row.pk] for row in rows]


class CreateMixin:
    """``POST``: one object, or (with ``writes.bulk_create``) a JSON list created atomically."""

    def create(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        many = isinstance(request.data, list) and self.writes.bulk_create is not None
        options = {"many": True, "min_length": 1, "max_length": self.max_bulk_items}
        serializer = self.get_serializer(data=request.data, **(options if many else {}))
        serializer.is_valid(raise_exception=True)
        if many:
            rows = self.writes.bulk_create(user=request.user, items=serializer.validated_data)
        else:
            rows = [self.writes.create(user=request.user, data=serializer.validated_data)]
        rows = self.as_read(rows)
        return self.answer(rows if many else rows[0], many=many, status=status.HTTP_201_CREATED)


class UpdateMixin:
    """``PUT`` / ``PATCH``: ``writes.update`` with the validated fields."""

    def update(self: Any, request: Request, *args: Any, partial: bool = False, **kwargs: Any):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        row = self.writes.update(
            **{self.writes.row: row}, user=request.user, data=serializer.validated_data
        )
        return self.answer(self.as_read([row])[0])

    def partial_update(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class DestroyMixin(mixins.DestroyModelMixin):
    """``DELETE``: ``writes.delete`` (DRF's own mixin would delete the row itself)."""

    def perform_destroy(self: Any, instance: Model) -> None:
        self.writes.delete(**{self.writes.row: instance})


class CallerModelViewSet(
    CreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    UpdateMixin,
    DestroyMixin,
    CallerViewSet,
):
    """List, create (one or a list), retrieve, update and delete the caller's rows."""


class CallerReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CallerViewSet):
    """List and retrieve the caller's rows."""


def _document_bulk_create(viewset: type) -> None:
    """Document that ``create`` takes one object or a list (all or nothing)."""
    serializer = viewset.serializer_class
    name = serializer.Meta.model._meta.verbose_name
    one_or_many = PolymorphicProxySerializer(
        component_name=f"{serializer.Meta.model.__name__}{BULK_COMPONENT_SUFFIX}",
        serializers=[
            serializer,
            serializer(many=True, min_length=1, max_length=viewset.max_bulk_items),
        ],
        resource_type_field_name=None,
        many=False,
    )
    extend_schema_view(
        create=extend_schema(
            description=(
                f"One {name}, or a JSON list of up to {viewset.max_bulk_items} created "
                "atomically: any bad item fails them all, with errors at `<index>.<field>`."
            ),
            request=one_or_many,
            responses={201: one_or_many},
        )
    )(viewset)


def _document_inputs(viewset: type) -> None:
    """Document the write actions that take another shape than they answer with."""
    extend_schema_view(
        **{
            action: extend_schema(
                request=serializer, responses={_ANSWERS[action]: viewset.serializer_class}
            )
            for action, serializer in viewset.input_serializer_classes.items()
            if action in _ANSWERS and hasattr(viewset, action)
        }
    )(viewset)
