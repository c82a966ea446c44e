"""``ModelSerializer``: the base of every API model serializer, with the API's text rules.

A model ``CharField`` becomes a ``SingleLineCharField`` (no control characters), a
``TextField`` stays multi-line text, and a ``JSONField`` keeps to the API's JSON limits
(``config.api.limits``). A choice is one of the choices: a ``blank`` model field with choices
takes null (where nullable) for "none", never "" (which ``config.db.choices_check`` refuses).
A ``URLField`` takes the http(s) URLs ``config.api.fields.URL_PATTERN`` states.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

from config.api.fields import JSONField, SingleLineCharField, StrictCharField, URLField


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: SingleLineCharField,
        models.TextField: StrictCharField,
        models.JSONField: JSONField,
        models.URLField: URLField,
    }

    def build_standard_field(
        self, field_name: str, model_field: models.Field
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "choices" in kwargs and "" not in dict(model_field.flatchoices):
            kwargs.pop("allow_blank", None)
        return field_class, kwargs
