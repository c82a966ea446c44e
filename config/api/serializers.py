"""``ModelSerializer``: the base of every API model serializer, with the API's text rules.

A model ``CharField`` becomes a ``SingleLineCharField`` (no control characters), a
``TextField`` stays multi-line text, and a ``JSONField`` keeps to the API's JSON limits
(``config.api.limits``).
"""

from __future__ import annotations

from django.db import models
from rest_framework import serializers

from config.api.fields import JSONField, SingleLineCharField, StrictCharField


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: SingleLineCharField,
        models.TextField: StrictCharField,
        models.JSONField: JSONField,
    }
