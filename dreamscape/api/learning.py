"""The caller's learning profiles: derived from behaviour, editable by their owner."""

from decimal import Decimal

from config.api.fields import JSONObjectField
from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamscape.models import LearningProfile
from dreamscape.selectors.insights import learning_profile_list
from dreamscape.services import learning


class LearningProfileSerializer(ModelSerializer):
    progression_data = JSONObjectField(required=False, allow_null=True)

    class Meta:
        model = LearningProfile
        fields = ["id", "skill_area", "current_level", "progression_data", "learning_velocity",
                  "last_activity", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"learning_velocity": {"min_value": Decimal(0), "max_value": Decimal(1)}}


class LearningProfileViewSet(CallerModelViewSet):
    """Learning profiles per skill area, fastest first (the seed's "learning velocity")."""

    queryset = LearningProfile.objects.all()
    serializer_class = LearningProfileSerializer
    filterset_fields = ["skill_area", "current_level"]
    ordering_fields = ["learning_velocity", "skill_area", "last_activity"]
    selector = staticmethod(learning_profile_list)
    writes = Writes.named(learning, "learning_profile")
