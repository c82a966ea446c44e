"""PersonaKit API: feedback on the personas of the caller's persons (expired ones included)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from config.api.routers import ApiRouter
from personakit.models import Feedback, Persona
from personakit.personas import feedback_create, feedback_visible_to, personas_visible_to

router = ApiRouter()
urlpatterns: list = []  # routes outside the router (e.g. nested paths)

TAGS = ["personakit"]


class CallersPersonaField(serializers.PrimaryKeyRelatedField):
    """A persona of the caller's persons; any other id is unknown (400)."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Persona.objects.none()
        return personas_visible_to(user=request.user, include_expired=True).select_related("person")


class FeedbackSerializer(serializers.ModelSerializer):
    persona_id = CallersPersonaField(source="persona", pk_field=serializers.UUIDField())
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "persona_id",
            "rating",
            "helpful",
            "context",
            "rule_id",
            "mapper_version",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def validate_context(self, context: Any) -> Any:
        if context is not None and not isinstance(context, dict):
            raise serializers.ValidationError("Must be an object.")
        return context

    def create(self, validated_data: dict) -> Feedback:
        persona = validated_data.pop("persona")
        return feedback_create(
            user=self.context["request"].user, persona=persona, data=validated_data
        )


@extend_schema(tags=TAGS)
class FeedbackViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Ratings of personas, or of one fired rule's suggestion, by the caller."""

    queryset = Feedback.objects.all()
    serializer_class = FeedbackSerializer
    filterset_fields = ["persona", "rule_id", "mapper_version", "helpful"]
    ordering_fields = ["created_at", "rating"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return self.queryset.none()
        return feedback_visible_to(user=self.request.user)


router.register("feedback", FeedbackViewSet, basename="feedback")
