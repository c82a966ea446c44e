"""The caller's API keys: creating one answers its full key once; deleting revokes it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from personakit.models import ApiKey
from personakit.services import api_keys


class ApiKeySerializer(ModelSerializer):
    key = serializers.SerializerMethodField(
        help_text="The full key. Returned once, by the create call; store it now."
    )
    expires_in_days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=3650
    )

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "key", "created_at", "last_used_at", "expires_at",
                  "expires_in_days"]  # fmt: skip
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "expires_at"]

    def get_key(self, api_key: ApiKey) -> str | None:
        return getattr(api_key, "raw_key", None)  # only the row just issued carries it

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Name must not be blank.")
        return value.strip()


class ApiKeyUpdateSerializer(ApiKeySerializer):
    """Renames a key; its expiry is set once, when it is issued (so not in this schema)."""

    expires_in_days = None

    class Meta(ApiKeySerializer.Meta):
        fields = [name for name in ApiKeySerializer.Meta.fields if name != "expires_in_days"]

    def validate(self, attrs: dict) -> dict:
        if "expires_in_days" in self.initial_data:
            raise serializers.ValidationError(
                {"expires_in_days": "An issued key's expiry cannot change."}
            )
        return attrs


@extend_schema(tags=["account"])
class ApiKeyViewSet(CallerModelViewSet):
    """The caller's API keys. Creating one returns its full key once; deleting revokes it."""

    queryset = ApiKey.objects.filter(is_active=True)
    serializer_class = ApiKeySerializer
    input_serializer_classes = {"update": ApiKeyUpdateSerializer,
                                "partial_update": ApiKeyUpdateSerializer}  # fmt: skip
    filterset_fields = ["name"]
    ordering_fields = ["created_at", "last_used_at", "name"]
    reread_written_rows = False  # the issued row carries its raw key; a re-read would not
    writes = Writes(row="api_key", create=api_keys.api_key_issue, update=api_keys.api_key_update,
                    delete=api_keys.api_key_revoke)  # fmt: skip
