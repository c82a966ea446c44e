from django.utils import timezone
from rest_framework import serializers

from personakit.models import ApiKey


class ApiKeySerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField(
        help_text="The full key. Returned once, by the create call; store it now."
    )
    expires_in_days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=3650
    )

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "key",
            "created_at",
            "last_used_at",
            "expires_at",
            "expires_in_days",
        ]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "expires_at"]

    def get_key(self, api_key: ApiKey) -> str | None:
        return self.context.get("raw_key")

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Name must not be blank.")
        return value.strip()


class ApiKeyUpdateSerializer(ApiKeySerializer):
    class Meta(ApiKeySerializer.Meta):
        read_only_fields = [*ApiKeySerializer.Meta.read_only_fields, "expires_in_days"]

    def validate_expires_in_days(self, value: int) -> int:
        raise serializers.ValidationError("An issued key's expiry cannot change.")

    def validate(self, attrs: dict) -> dict:
        if (
            self.instance is not None
            and self.instance.expires_at
            and (self.instance.expires_at <= timezone.now())
        ):
            raise serializers.ValidationError("The key has expired.")
        return attrs
