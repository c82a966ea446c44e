"""Brands and tags: every caller reads them, staff write them."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.validators import UniqueValidator

from config.api.serializers import ModelSerializer
from config.api.viewsets import CallerModelViewSet, Writes
from dreamcatcher.models import Brand, Tag
from dreamcatcher.models.vocabulary import HEX_COLOR
from dreamcatcher.services import vocabulary


class _VocabularySerializer(ModelSerializer):
    """A brand or tag; its id (a slug such as ``bc-studio``) may be chosen at creation only."""

    color = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=7,
        validators=[RegexValidator(HEX_COLOR, "Must be a hex colour such as #3B82F6.")],
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["id"].read_only = True
        return fields


class BrandSerializer(_VocabularySerializer):
    id = serializers.SlugField(
        max_length=255, required=False, validators=[UniqueValidator(Brand.objects.all())]
    )

    class Meta:
        model = Brand
        fields = ["id", "name", "display_name", "description", "color", "icon", "is_active",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class TagSerializer(_VocabularySerializer):
    id = serializers.SlugField(
        max_length=255, required=False, validators=[UniqueValidator(Tag.objects.all())]
    )

    class Meta:
        model = Tag
        fields = ["id", "name", "category", "color", "description", "usage_count",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["usage_count", "created_at", "updated_at"]


class DreamTagSerializer(ModelSerializer):
    """A tag as shown on a dream."""

    class Meta:
        model = Tag
        fields = ["id", "name", "category", "color"]
        read_only_fields = fields


class StaffWritesOrReadOnly(permissions.BasePermission):
    message = "Only staff may change brands and tags."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.is_staff


class BrandInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "brand_in_use"
    default_detail = "Dreams still use this brand: deactivate it instead (is_active false)."


def _brand_delete(*, brand: Brand) -> None:
    try:
        vocabulary.brand_delete(brand=brand)
    except vocabulary.BrandInUseError as error:
        raise BrandInUse() from error


class _VocabularyViewSet(CallerModelViewSet):
    owner_field = None  # shared by every caller
    permission_classes = [permissions.IsAuthenticated, StaffWritesOrReadOnly]


class BrandViewSet(_VocabularyViewSet):
    """Brands dreams are built under. Deleting one that dreams use is a 409."""

    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    filterset_fields = ["is_active"]
    search_fields = ["name", "display_name"]
    ordering_fields = ["name", "created_at"]
    writes = Writes(row="brand", create=vocabulary.brand_create, update=vocabulary.brand_update,
                    delete=_brand_delete)  # fmt: skip


class TagViewSet(_VocabularyViewSet):
    """Tags for dreams, with how many dreams carry each."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    filterset_fields = ["category"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "usage_count", "created_at"]
    writes = Writes.named(vocabulary, "tag")
