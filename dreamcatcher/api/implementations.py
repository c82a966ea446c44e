"""Implementations: the builds of the caller's dreams."""

from django_filters import rest_framework as filters

from config.api.fields import JSONObjectField
from config.api.filters import FilterSet
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamcatcher.api.fields import STAMPS, caller_dream_field
from dreamcatcher.choices import ImplementationStatus
from dreamcatcher.models import Implementation
from dreamcatcher.selectors.dreams import implementation_list
from dreamcatcher.services import dreams


class ImplementationSerializer(ModelSerializer):
    dream = caller_dream_field()
    implementation_data = JSONObjectField(required=False)

    class Meta:
        model = Implementation
        fields = ["id", "dream", "status", "project_id", "tickets_created", "agents_assigned",
                  "estimated_completion", "created_at", "completed_at", "implementation_data",
                  *STAMPS]  # fmt: skip
        read_only_fields = ["id", "created_at", *STAMPS]
        extra_kwargs = {"tickets_created": {"min_value": 0}, "agents_assigned": {"min_value": 0}}


class ImplementationFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=ImplementationStatus.choices)

    class Meta:
        model = Implementation
        fields = ["dream", "status", "project_id"]


class ImplementationViewSet(CallerModelViewSet):
    """The builds of the caller's dreams."""

    queryset = Implementation.objects.all()
    serializer_class = ImplementationSerializer
    filterset_class = ImplementationFilter
    ordering_fields = ["created_at", "completed_at", "status"]
    selector = staticmethod(implementation_list)
    writes = Writes.named(dreams, "implementation")
