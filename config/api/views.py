from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import RetrieveUpdateAPIView


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "email",
            "full_name",
            "avatar_url",
            "preferences",
            "is_verified",
            "created_at",
            "updated_at",
            "last_login",
        ]
        read_only_fields = [
            "id",
            "username",
            "email",
            "is_verified",
            "created_at",
            "updated_at",
            "last_login",
        ]

    def validate_preferences(self, value: object) -> object:
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be a JSON object.")
        return value


@extend_schema(tags=["account"])
class MeView(RetrieveUpdateAPIView):
    """The caller's account: read it, or change name, avatar and preferences."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user
