"""Dreams: the caller's, with a batch of tests (202) and the decay of each."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import SingleLineCharField
from config.api.filters import FilterSet
from config.api.pagination import CursorPagination
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamshot.api.serializers import AiTestSerializer, ProgressLogSerializer, money, score
from dreamshot.choices import DreamCategory, DreamStatus
from dreamshot.models import Dream
from dreamshot.selectors.analytics import dream_progress
from dreamshot.selectors.dreams import dream_list
from dreamshot.services import dreams
from dreamshot.services.ai_tests import (
    MAX_MODELS_PER_BATCH,
    ModelNotRunnable,
    PartitionMissing,
    ai_models_resolve,
    ai_test_batch_create,
)
from dreamshot.services.budgets import BudgetExceeded


class DreamSerializer(ModelSerializer):
    tags = serializers.ListField(
        child=SingleLineCharField(max_length=100), max_length=50, required=False
    )

    class Meta:
        model = Dream
        fields = ["id", "title", "description", "original_prompt", "category", "tags",
                  "is_public", "status", "metadata", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]


class TestBatchRequestSerializer(serializers.Serializer):
    __test__ = False  # not a pytest class

    models = serializers.ListField(
        child=SingleLineCharField(max_length=32),
        min_length=1,
        max_length=MAX_MODELS_PER_BATCH,
        help_text="Ids of active catalogue models (GET /dreamshot/models); one test each.",
    )

    def validate_models(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("A model may appear once per batch.")
        return value


class TestBatchSerializer(serializers.Serializer):
    __test__ = False  # not a pytest class

    batch = serializers.CharField(help_text="Follow it: GET /dreamshot/tests?batch=<id>.")
    dream = serializers.CharField()
    estimated_cost = money(help_text="The most this batch can cost.")
    tests = AiTestSerializer(many=True)


class DecaySerializer(serializers.Serializer):
    status = serializers.ChoiceField(["improving", "stable", "worsening", "insufficient_data"])
    rate = score(allow_null=True, help_text="% drop over the last 10 completed tests.")
    confidence = serializers.IntegerField()
    tests = serializers.IntegerField()


class SeriesPointSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    avg_score = score()
    best_score = score()
    test_count = serializers.IntegerField()


class DreamProgressSerializer(serializers.Serializer):
    dream = serializers.CharField()
    series = SeriesPointSerializer(many=True, help_text="Per day of the last 30.")
    decay = DecaySerializer()
    latest_snapshot = ProgressLogSerializer(allow_null=True)


class BudgetRefused(exceptions.APIException):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_code = "budget_exceeded"


class NoPartition(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "partition_missing"


class DreamFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=DreamStatus.choices)
    category = filters.MultipleChoiceFilter(choices=DreamCategory.choices)
    is_public = filters.BooleanFilter()
    tag = filters.CharFilter(method="filter_tag", help_text="Dreams carrying this tag.")

    class Meta:
        model = Dream
        fields = ["status", "category", "is_public", "tag"]

    def filter_tag(self, queryset: QuerySet[Dream], name: str, value: str) -> QuerySet[Dream]:
        return queryset.filter(tags__contains=[value])


class DreamViewSet(CallerModelViewSet):
    """The caller's dreams. ``POST {id}/tests`` tests one against models (202);
    ``GET {id}/progress`` shows its impossibility decay."""

    queryset = Dream.objects.all()
    serializer_class = DreamSerializer
    filterset_class = DreamFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "updated_at", "title"]
    pagination_class = CursorPagination
    cursor_ordering = "-created_at"
    selector = staticmethod(dream_list)
    writes = Writes.named(dreams, "dream")

    @extend_schema(
        request=TestBatchRequestSerializer,
        responses={
            202: TestBatchSerializer,
            402: OpenApiResponse(description="The batch could pass your monthly hard cap."),
            503: OpenApiResponse(description="No ai_tests partition for this month."),
        },
    )
    @action(detail=True, methods=["post"], url_path="tests")
    def tests(self, request: Request, pk: str | None = None) -> Response:
        """Test the dream against each listed model: one pending test per model, run in the
        background. Refused before anything is sent when the batch could pass your monthly
        hard cap (402) or a model cannot be asked (400)."""
        dream = self.get_object()
        body = TestBatchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            models = ai_models_resolve(model_ids=body.validated_data["models"])
            batch = ai_test_batch_create(dream=dream, user=request.user, models=models)
        except ModelNotRunnable as error:
            raise serializers.ValidationError({"models": {error.index: [str(error)]}}) from None
        except BudgetExceeded as error:
            raise BudgetRefused(str(error)) from None
        except PartitionMissing as error:
            raise NoPartition(str(error)) from None
        answer = {"batch": batch.id, "dream": dream.pk, "estimated_cost": batch.estimated_cost,
                  "tests": batch.tests}  # fmt: skip
        return Response(TestBatchSerializer(answer).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=DreamProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """The decay chart's series (query 2), the decay status and the latest snapshot."""
        return Response(DreamProgressSerializer(dream_progress(dream=self.get_object())).data)
