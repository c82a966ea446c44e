"""Query filters that take what the OpenAPI schema says and refuse the rest (400).

django-filter on its own ignores what it cannot read: ``?synced=null`` or ``?person_id=``
filter nothing and answer every row. Here a boolean is ``true`` or ``false``, a typed
parameter (uuid, number, date, choice) sent empty is refused, an integer is whole, a
date-time may have any offset ISO 8601 allows (PostgreSQL takes at most 15:59, so it is
compared in UTC), and a foreign key filters by id, so an id the caller has no row for is an
empty list, not ``invalid_choice``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.db import models
from django_filters import rest_framework as filters

_BOOLEANS = ("true", "false")


class _StrictQueryForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, field in self.fields.items():
            values = self.data.getlist(name) if name in self.data else []
            if isinstance(field, forms.NullBooleanField):
                if any(value not in _BOOLEANS for value in values):
                    self.add_error(name, forms.ValidationError('Must be "true" or "false".'))
            elif type(field) is not forms.CharField and "" in values:
                self.add_error(name, forms.ValidationError("Give a value or leave it out."))
        return {
            name: value.astimezone(UTC) if isinstance(value, datetime) else value
            for name, value in cleaned.items()
        }


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField  # NumberFilter would take 0.5 where the schema says integer


class FilterSet(filters.FilterSet):
    """The base of every API filterset (and of those ``filterset_fields`` builds)."""

    def get_form_class(self) -> type[forms.Form]:
        form_class = super().get_form_class()
        return type(form_class.__name__, (_StrictQueryForm, form_class), {})

    @classmethod
    def filter_for_lookup(cls, field: models.Field, lookup_type: str) -> tuple[type, dict]:
        if field.many_to_one and lookup_type == "exact":
            uuid = isinstance(field.target_field, models.UUIDField)
            return (filters.UUIDFilter if uuid else filters.CharFilter), {}
        if isinstance(field, models.IntegerField) and lookup_type == "exact":
            return IntegerFilter, {}
        return super().filter_for_lookup(field, lookup_type)


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = FilterSet
