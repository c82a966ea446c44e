"""Todos of the caller's dreams (one or a list); status moves follow the allowed transitions."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamcatcher.api.fields import STAMPS, caller_dream_field
from dreamcatcher.choices import TodoPriority, TodoSource, TodoStatus
from dreamcatcher.models import Todo
from dreamcatcher.selectors.dreams import todo_list
from dreamcatcher.services import dreams


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
            raise serializers.ValidationError(
                f"A todo cannot move from {current} to {value}.", code=dreams.INVALID_TRANSITION
            )
        return value


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
    """The caller's todos. Status moves follow the allowed transitions (else 400)."""

    queryset = Todo.objects.all()
    serializer_class = TodoSerializer
    filterset_class = TodoFilter
    search_fields = ["title", "description", "notes"]
    # Cursor pages need non-null orderings: no deadline here (filter on it instead).
    ordering_fields = ["created_at", "updated_at", "title", "priority", "status"]
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    selector = staticmethod(todo_list)
    writes = Writes.named(dreams, "todo")
