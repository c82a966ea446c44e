"""The AI model catalogue, and the community feed of public dreams."""

from __future__ import annotations

from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerReadOnlyViewSet
from dreamshot.api.serializers import AiModelSerializer
from dreamshot.models import AiModel, Dream
from dreamshot.selectors.dreams import ai_model_list, public_dream_list


class AiModelViewSet(CallerReadOnlyViewSet):
    """Every model a dream can be tested against, with its prices per 1k tokens."""

    queryset = AiModel.objects.all()
    serializer_class = AiModelSerializer
    owner_field = None
    selector = staticmethod(ai_model_list)
    ordering_fields = ["provider", "name", "cost_per_1k_tokens"]


class PublicDreamSerializer(ModelSerializer):
    """A public dream, without its owner."""

    class Meta:
        model = Dream
        fields = ["id", "title", "description", "category", "tags", "created_at"]
        read_only_fields = fields


class PublicDreamViewSet(CallerReadOnlyViewSet):
    """Everyone's public, active dreams (no owner data); row-level security lets a caller
    read them through the ``dreams_public_read`` policy."""

    queryset = Dream.objects.all()
    serializer_class = PublicDreamSerializer
    owner_field = None
    selector = staticmethod(public_dream_list)
    search_fields = ["title", "description"]
    ordering_fields = ["created_at"]
