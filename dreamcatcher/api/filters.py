"""Query-string filters of the Dreamcatcher API (``?status=idea&tag=coding&created_after=…``)."""

from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters

from dreamcatcher.choices import (
    DreamStatus,
    ImplementationStatus,
    SyncSessionStatus,
    SyncSessionType,
    TodoPriority,
    TodoSource,
    TodoStatus,
)
from dreamcatcher.models import (
    Document,
    Dream,
    DreamTag,
    Fragment,
    Implementation,
    SyncSession,
    Todo,
)


class DreamFilter(filters.FilterSet):
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


class FragmentFilter(filters.FilterSet):
    date_after = filters.IsoDateTimeFilter(field_name="date", lookup_expr="gte")
    date_before = filters.IsoDateTimeFilter(field_name="date", lookup_expr="lt")

    class Meta:
        model = Fragment
        fields = ["dream", "source", "date_after", "date_before"]


class ImplementationFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ImplementationStatus.choices)

    class Meta:
        model = Implementation
        fields = ["dream", "status", "project_id"]


class TodoFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=TodoStatus.choices)
    priority = filters.MultipleChoiceFilter(choices=TodoPriority.choices)
    source = filters.ChoiceFilter(choices=TodoSource.choices)
    deadline_after = filters.IsoDateTimeFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = filters.IsoDateTimeFilter(field_name="deadline", lookup_expr="lt")

    class Meta:
        model = Todo
        fields = [
            "dream",
            "status",
            "priority",
            "category",
            "source",
            "assigned_to",
            "deadline_after",
            "deadline_before",
        ]


class DocumentFilter(filters.FilterSet):
    class Meta:
        model = Document
        fields = ["dream", "file_type", "parsed"]


class SyncSessionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=SyncSessionStatus.choices)
    session_type = filters.ChoiceFilter(choices=SyncSessionType.choices)

    class Meta:
        model = SyncSession
        fields = ["status", "session_type"]
