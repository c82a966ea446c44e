"""``LucidModelAdmin``: the base every app's admin subclasses, and its read-only variants.

It pages big tables without ``COUNT(*)``, shows JSON indented, keeps embedding vectors out
of forms and out of changelist queries (their dimensions are measured in SQL instead), and
sets the unfold options every screen should share. ``ReadOnlyModelAdmin`` and
``ReadOnlyTabularInline`` show rows that only services, workers or the database write;
``CreatedElsewhereMixin`` only takes "add" away. ``copy_saved_row`` serves admins that save
through a service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Func, IntegerField, QuerySet
from django.forms.fields import InvalidJSONInput
from django.http import HttpRequest, HttpResponse
from django.views.defaults import permission_denied
from pgvector.django import BitField, HalfVectorField, SparseVectorField, VectorField
from unfold.admin import ModelAdmin, StackedInline, TabularInline
from unfold.overrides import FORMFIELD_OVERRIDES_INLINE

from config.admin.display import dimensions_annotation, json_dumps
from config.admin.paginator import EstimatedCountPaginator
from config.admin.widgets import PrettyJSONWidget

VECTOR_FIELD_TYPES = (VectorField, HalfVectorField, SparseVectorField, BitField)
# vector_dims() exists for these; the others are only tested for NULL.
_MEASURABLE_VECTOR_TYPES = (VectorField, HalfVectorField)


class JSONFormField(forms.JSONField):
    """The admin's JSON input: any stored value shows, however deep (``json_dumps``), and
    input nested past what the interpreter parses is a form error, not a crash."""

    default_error_messages = {"too_deep": "This JSON is nested too deeply to read."}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, InvalidJSONInput):
            return value
        return json_dumps(value)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(self.error_messages["too_deep"], code="too_deep") from None

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return super().has_changed(initial, data)
        except RecursionError:
            return True


JSON_FORMFIELD_OVERRIDES = {
    models.JSONField: {"widget": PrettyJSONWidget, "form_class": JSONFormField}
}
INLINE_FORMFIELD_OVERRIDES = {**FORMFIELD_OVERRIDES_INLINE, **JSON_FORMFIELD_OVERRIDES}


def vector_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's embedding columns (pgvector fields)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, VECTOR_FIELD_TYPES)]


def copy_saved_row(*, source: models.Model, target: models.Model) -> None:
    """Make ``target`` the row ``source`` is, as stored.

    For a ``save_model`` that writes through a service: the admin then logs and redirects to
    the object it passed in, which must be the row the service wrote.
    """
    for field in type(source)._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


def _forward_relations(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]


class _VectorColumnsMixin:
    """Vectors are never edited by hand nor printed: out of every form, deferred in queries."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if isinstance(db_field, VECTOR_FIELD_TYPES):
            return None
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Rows a page links to are read with it, not one by one while the template renders:
        # deep in a render there is no stack left to decode a deeply nested JSON column.
        queryset = super().get_queryset(request).select_related(*_forward_relations(self.model))
        measurable = [
            field.name
            for field in vector_fields(self.model)
            if isinstance(field, _MEASURABLE_VECTOR_TYPES)
        ]
        if not measurable:
            return queryset
        # A 1536-d vector is ~6 KB per row; the admin only ever shows its dimensions.
        return queryset.defer(*measurable).annotate(
            **{
                dimensions_annotation(name): Func(
                    name, function="vector_dims", output_field=IntegerField()
                )
                for name in measurable
            }
        )


class LucidModelAdmin(_VectorColumnsMixin, ModelAdmin):
    """The Lucid admin defaults. Subclass it for every model registered in the admin.

    ``icon`` names the Material Symbols icon the sidebar shows for the model.
    """

    icon: str | None = None
    paginator = EstimatedCountPaginator
    show_full_result_count = False  # that would be a second COUNT(*) of the whole table
    list_per_page = 50
    list_max_show_all = 500
    list_filter_submit = True  # range filters need an explicit "apply"
    warn_unsaved_form = True
    formfield_overrides = JSON_FORMFIELD_OVERRIDES

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Refused by answer, not by exception: Django logs a PermissionDenied's traceback.
        if not self.has_delete_permission(request):
            return permission_denied(request, PermissionDenied())
        return super().delete_view(request, object_id, extra_context)


class LucidTabularInline(_VectorColumnsMixin, TabularInline):
    formfield_overrides = INLINE_FORMFIELD_OVERRIDES
    extra = 0
    show_change_link = True


class LucidStackedInline(_VectorColumnsMixin, StackedInline):
    formfield_overrides = INLINE_FORMFIELD_OVERRIDES
    extra = 0
    show_change_link = True


class CreatedElsewhereMixin:
    """Rows another path creates (the API, a service, a worker): never added in the admin.

    For a model admin or an inline; say at the class why the rows come from elsewhere.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyMixin(CreatedElsewhereMixin):
    """Rows that services, workers or the database write (views, logs): shown, never edited."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyMixin, LucidModelAdmin):
    """A model admin that only shows its rows."""


class ReadOnlyTabularInline(ReadOnlyMixin, LucidTabularInline):
    """An inline that only shows its rows."""
