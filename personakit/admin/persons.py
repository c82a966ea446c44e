"""Persons (who owns them, and counts linking to what is known about them), observations, and
mindscapes shown as a trait tree."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from config.admin.base import (
    CreatedElsewhereMixin,
    LucidModelAdmin,
    ReadOnlyModelAdmin,
    copy_saved_row,
)
from config.admin.display import json_display, plural, time_ago
from config.admin.links import admin_url, counted_link, object_link
from personakit.admin.traits import trait_leaf_count, trait_tree
from personakit.models import Mindscape, Narrative, Observation, Person, Persona
from personakit.services.mindscapes import mindscape_derive
from personakit.services.observations import observation_delete
from personakit.services.persons import person_register


def _count_of(model: type, field: str = "person") -> Coalesce:
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class PersonForm(forms.ModelForm):
    """On the add page, the owning account too (set once: it decides who may see the person)."""

    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.all(),
        widget=AutocompleteSelect(Person._meta.get_field("owner"), admin.site),
        help_text="The account that registers, and may see, this person.",
    )

    class Meta:
        model = Person
        fields = ("display_name",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields.pop("owner", None)  # shown read-only on the change page


@admin.register(Person)
class PersonAdmin(LucidModelAdmin):
    icon = "person_pin"
    form = PersonForm
    list_display = (
        "display_name",
        "owner",
        "kind",
        "observations",
        "narratives",
        "personas",
        "mindscape",
        "created_at",
    )
    list_select_related = ("owner",)
    search_fields = ("display_name", "=id", "owner__username", "owner__email")
    search_help_text = "Name, exact id, or the owner's username or email"
    date_hierarchy = "created_at"
    ordering = ("display_name", "created_at")
    add_fieldsets = ((None, {"fields": ("owner", "display_name")}),)
    fieldsets = (
        (None, {"fields": ("display_name", "owner", "id", "kind", "created_at")}),
        ("What is known", {"fields": ("observations", "narratives", "personas", "mindscape")}),
    )
    readonly_fields = (
        "owner",
        "id",
        "kind",
        "created_at",
        "observations",
        "narratives",
        "personas",
        "mindscape",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        mindscape = Mindscape.objects.filter(person=OuterRef("pk")).values("pk")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(
                observation_count=_count_of(Observation),
                narrative_count=_count_of(Narrative),
                persona_count=_count_of(Persona),
                mindscape_id=Subquery(mindscape),
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: Person | None = None) -> Any:
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Person | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    @display(description="Kind")
    def kind(self, obj: Person) -> str:
        return "account's own" if obj.pk == obj.owner_id else "registered"

    @display(description="Observations", ordering="observation_count")
    def observations(self, obj: Person) -> SafeString:
        return counted_link(Observation, obj.observation_count, "observation", f"person={obj.pk}")

    @display(description="Narratives", ordering="narrative_count")
    def narratives(self, obj: Person) -> SafeString:
        return counted_link(Narrative, obj.narrative_count, "narrative", f"person={obj.pk}")

    @display(description="Personas", ordering="persona_count")
    def personas(self, obj: Person) -> SafeString:
        return counted_link(Persona, obj.persona_count, "persona", f"person={obj.pk}")

    @display(description="Mindscape")
    def mindscape(self, obj: Person) -> SafeString:
        if obj.mindscape_id is None:
            return object_link(None)
        return format_html(
            '<a href="{}" class="text-primary-600">trait tree</a>',
            admin_url(Mindscape, "change", obj.mindscape_id),
        )

    def save_model(self, request: HttpRequest, obj: Person, form: forms.Form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        person = person_register(
            user=form.cleaned_data["owner"],
            data={"display_name": form.cleaned_data["display_name"]},
        )
        copy_saved_row(source=person, target=obj)


@admin.register(Observation)
class ObservationAdmin(CreatedElsewhereMixin, LucidModelAdmin):
    """Raw input, validated per type and enqueued for derivation by the API: read here, and
    deleted when it was wrong (``observation_delete`` re-derives the person's traits)."""

    icon = "visibility"
    list_display = ("observation_type", "person", "summary", "created_by", "created_at")
    list_filter = ("observation_type", ("created_at", RangeDateTimeFilter))
    list_select_related = ("person", "created_by")
    search_fields = ("=person__id", "person__display_name")
    search_help_text = "Person's exact id or name"
    date_hierarchy = "created_at"
    readonly_fields = (
        "id", "person", "observation_type", "content_display", "metadata_display",
        "created_at", "created_by",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("id", "person", "observation_type", "created_at", "created_by")}),
        ("Content", {"fields": ("content_display", "metadata_display")}),
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Observation) -> None:
        observation_delete(observation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Observation]) -> None:
        for observation in queryset:
            observation_delete(observation=observation)

    @display(description="Content")
    def summary(self, obj: Observation) -> str:
        content = obj.content if isinstance(obj.content, dict) else {}
        parts = [f"{key}: {content[key]}" for key in list(content)[:3]]
        return " · ".join(parts)[:120] or "—"

    @display(description="Content")
    def content_display(self, obj: Observation) -> SafeString:
        return json_display(obj.content)

    @display(description="Metadata")
    def metadata_display(self, obj: Observation) -> SafeString:
        return json_display(obj.metadata)


@admin.register(Mindscape)
class MindscapeAdmin(ReadOnlyModelAdmin):
    """Read-only: traits change through the API (optimistic locking) or derivation, never by
    hand here, so no write can lose another's update."""

    icon = "account_tree"
    list_display = ("person", "version", "trait_count", "updated")
    list_select_related = ("person",)
    search_fields = ("=person__id", "person__display_name")
    search_help_text = "Person's exact id or name"
    date_hierarchy = "updated_at"
    fieldsets = (
        (None, {"fields": ("person", "version", "updated_at")}),
        ("Traits", {"fields": ("trait_tree_display", "traits_json")}),
    )
    readonly_fields = ("trait_tree_display", "traits_json")
    actions = ("rederive",)

    @display(description="Traits")
    def trait_count(self, obj: Mindscape) -> str:
        return plural(trait_leaf_count(obj.traits), "trait")

    @display(description="Updated", ordering="updated_at")
    def updated(self, obj: Mindscape) -> str:
        return time_ago(obj.updated_at)

    @display(description="Trait tree")
    def trait_tree_display(self, obj: Mindscape) -> SafeString:
        return trait_tree(obj.traits)

    @display(description="As JSON")
    def traits_json(self, obj: Mindscape) -> SafeString:
        return json_display(obj.traits)

    def has_derive_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("personakit.change_mindscape")

    @admin.action(description="Re-derive from observations", permissions=["derive"])
    def rederive(self, request: HttpRequest, queryset: QuerySet[Mindscape]) -> None:
        # Derivation is deterministic and idempotent: re-running it only catches up.
        count = 0
        for mindscape in queryset.select_related("person"):
            mindscape_derive(person=mindscape.person)
            count += 1
        messages.success(request, f"Re-derived {plural(count, 'mindscape')} from observations.")
