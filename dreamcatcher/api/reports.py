"""Reports of the caller: the ``dream_summary`` view and the ``user_activity`` totals."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet, RowLevelSecurityMixin
from dreamcatcher.models import DreamSummary, UserActivity
from dreamcatcher.selectors.reports import dream_summary, user_activity


class DreamSummarySerializer(ModelSerializer):
    class Meta:
        model = DreamSummary
        fields = "__all__"


class UserActivitySerializer(ModelSerializer):
    class Meta:
        model = UserActivity
        exclude = ["user"]


class DreamSummaryViewSet(CallerReadOnlyViewSet):
    """View ``dream_summary``: each of the caller's dreams with counts and tag names."""

    row_level_security = True  # a view over the dreams: their policies apply through it
    queryset = DreamSummary.objects.all()
    serializer_class = DreamSummarySerializer
    ordering_fields = ["updated", "created", "title"]
    selector = staticmethod(dream_summary)


@extend_schema(responses=UserActivitySerializer)
class ActivityView(RowLevelSecurityMixin, APIView):
    """The caller's totals of dreams, fragments and todos (view ``user_activity``)."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        return Response(UserActivitySerializer(user_activity(user=request.user)).data)
