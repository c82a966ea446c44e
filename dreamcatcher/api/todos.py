"""Todos of the caller's dreams (one or a list); status moves follow the allowed transitions.

A move the todo's current status does not allow is a 409 ``invalid_transition`` on
``status``: the same request is fine from another status.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from rest_framework import exceptions, status

from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamcatcher.api.fields import STAMPS, caller_dream_field
from dreamcatcher.choices import TodoPriority, TodoSource, TodoStatus
from dreamcatcher.models import Todo, User
from dreamcatcher.selectors.dreams import todo_list
from dreamcatcher.services import dreams


class TodoMoveConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = dreams.INVALID_TRANSITION

    def __init__(self, message: str) -> None:
        super().__init__({"status": [message]}, code=dreams.INVALID_TRANSITION)


class TodoSerializer(ModelSerializer):
    dream = caller_dream_field()

    class Meta:
        model = Todo
        fields = ["id", "dream", "title", "description", "category", "priority", "status",
                  "deadline", "completed_at", "source", "notes", "assigned_to", "created_at",
                  "updated_at", *STAMPS]  # fmt: skip
        read_only_fields = ["id", "completed_at", "created_at", "updated_at", *STAMPS]

    def validate_status(self, value: str) -> str:
        # The database refuses the same moves (trigger status_transitions); this says why.
        current = self.instance.status if self.instance is not None else None
        if current is not None and not dreams.todo_status_move_allowed(current, value):
            raise TodoMoveConflict(f"A todo cannot move from {current} to {value}.")
        return value


def _todo_update(*, todo: Todo, user: User, data: Mapping[str, Any]) -> Todo:
    try:
        return dreams.todo_update(todo=todo, user=user, data=data)
    except ValidationError as error:  # moved since it was read: the database refused the move
        moves = error.error_dict.get("status", []) if hasattr(error, "error_dict") else []
        if any(move.code == dreams.INVALID_TRANSITION for move in moves):
            raise TodoMoveConflict(moves[0].message) from error
        raise


class TodoFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=TodoStatus.choices)
    priority = filters.MultipleChoiceFilter(choices=TodoPriority.choices)
    source = filters.ChoiceFilter(choices=TodoSource.choices)
    deadline_after = filters.IsoDateTimeFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = filters.IsoDateTimeFilter(field_name="deadline", lookup_expr="lt")

    class Meta:
        model = Todo
        fields = ["dream", "status", "priority", "category", "source", "assigned_to",
                  "deadline_after", "deadline_before"]  # fmt: skip


class TodoViewSet(CallerModelViewSet):
    """The caller's todos. Status moves follow the allowed transitions (else 409)."""

    queryset = Todo.objects.all()
    serializer_class = TodoSerializer
    filterset_class = TodoFilter
    search_fields = ["title", "description", "notes"]
    # Cursor pages need non-null orderings: no deadline here (filter on it instead).
    ordering_fields = ["created_at", "updated_at", "title", "priority", "status"]
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    selector = staticmethod(todo_list)
    writes = Writes(row="todo", create=dreams.todo_create, update=_todo_update,
                    delete=dreams.todo_delete, bulk_create=dreams.todo_bulk_create)  # fmt: skip
