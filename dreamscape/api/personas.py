"""The caller's persona, and a request to analyse it again."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.serializers import ModelSerializer
from config.api.viewsets import RowLevelSecurityMixin
from dreamscape.models import UserPersona
from dreamscape.selectors.insights import persona_of
from dreamscape.services.personas import persona_queue_analysis


class PersonaSerializer(ModelSerializer):
    class Meta:
        model = UserPersona
        exclude = ["user"]


@extend_schema(responses=PersonaSerializer)
class PersonaView(RowLevelSecurityMixin, APIView):
    """The caller's persona: five analysers' profiles, each with its evidence (all empty,
    ``last_analyzed_at`` null, until the first analysis)."""

    row_level_security = True

    def get(self, request: Request) -> Response:
        return Response(PersonaSerializer(persona_of(user=request.user)).data)


@extend_schema(
    request=None,
    responses={
        202: inline_serializer("DreamscapeAnalysisQueued", {"status": serializers.CharField()})
    },
)
class PersonaAnalyzeView(APIView):
    """Analyse the caller's behaviour again, in the background (persona, learning profiles,
    suggestions); ``GET /persona`` shows the result once ``last_analyzed_at`` moves."""

    def post(self, request: Request) -> Response:
        persona_queue_analysis(user=request.user)
        return Response({"status": "queued"}, status=status.HTTP_202_ACCEPTED)
