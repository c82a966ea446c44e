"""Feedback on the personas of the caller's persons (expired ones included)."""

from rest_framework import mixins, serializers

from config.api.fields import CallerRowField, JSONObjectField
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerViewSet, CreateMixin, Writes
from personakit.models import Feedback, Persona
from personakit.selectors.feedback import feedback_visible_to
from personakit.selectors.personas import personas_for_feedback
from personakit.services.feedback import feedback_create


class FeedbackSerializer(ModelSerializer):
    persona_id = CallerRowField(
        Persona, personas_for_feedback, source="persona", pk_field=serializers.UUIDField()
    )
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    context = JSONObjectField(required=False, allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "persona_id", "rating", "helpful", "context", "rule_id",
                  "mapper_version", "created_at"]  # fmt: skip
        read_only_fields = ["id", "created_at"]


class FeedbackViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CallerViewSet):
    """Ratings of personas, or of one fired rule's suggestion, by the caller."""

    queryset = Feedback.objects.all()
    serializer_class = FeedbackSerializer
    filterset_fields = ["persona", "rule_id", "mapper_version", "helpful"]
    ordering_fields = ["created_at", "rating"]
    selector = staticmethod(feedback_visible_to)
    writes = Writes(row="feedback", create=feedback_create)
