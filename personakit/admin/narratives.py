"""Narratives (their embedding summarised, never printed; a re-embed action) and the links
between narratives and traits."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display

from config import outbox
from config.admin.base import (
    CreatedElsewhereMixin,
    LucidModelAdmin,
    ReadOnlyModelAdmin,
    ReadOnlyTabularInline,
)
from config.admin.display import embedding_display, json_display, plural
from config.admin.links import object_link
from config.embeddings import EmbeddingError, get_provider
from personakit.models import Narrative, TraitNarrativeLink
from personakit.services.narratives import (
    EDITABLE_FIELDS,
    EMBED_TASK,
    narrative_embed,
    narrative_update,
)

# Up to this many are embedded in the request (the answer shows the result); more go to the
# outbox, whose workers embed them in the background.
EMBED_INLINE_LIMIT = 25


class EmbeddingFilter(admin.SimpleListFilter):
    title = "embedding"
    parameter_name = "embedded"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [
            ("current", "Current model"),
            ("stale", "Another model"),
            ("missing", "Missing"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        current = get_provider().model_name
        embedded = Q(embedding__isnull=False)
        if self.value() == "current":
            return queryset.filter(embedded, embedding_model=current)
        if self.value() == "stale":
            return queryset.filter(embedded).exclude(embedding_model=current)
        if self.value() == "missing":
            return queryset.filter(embedding__isnull=True)
        return queryset


class TraitLinkInline(ReadOnlyTabularInline):
    model = TraitNarrativeLink
    fields = ("trait_path", "link_type", "confidence", "created_at")
    readonly_fields = fields


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Narrative
        fields = EDITABLE_FIELDS


@admin.register(Narrative)
class NarrativeAdmin(CreatedElsewhereMixin, LucidModelAdmin):
    """What was said and what it curated stay as written; ``curated_text``, tags and context
    may be edited (through ``narrative_update``, which re-queues the embedding). Narratives
    are added through the API: a curation changes the mindscape as it is written."""

    icon = "history_edu"
    form = NarrativeForm
    list_display = (
        "excerpt",
        "narrative_type",
        "person",
        "tag_list",
        "embedding_summary",
        "created_at",
    )
    list_filter = (
        "narrative_type",
        EmbeddingFilter,
        "source",
        ("created_at", RangeDateTimeFilter),
    )
    list_select_related = ("person",)
    search_fields = ("raw_text", "curated_text", "=person__id", "person__display_name")
    search_help_text = "Text, or the person's exact id or name"
    date_hierarchy = "created_at"
    inlines = (TraitLinkInline,)
    actions = ("re_embed",)
    fieldsets = (
        (None, {"fields": ("person", "narrative_type", "raw_text", "source", "created_by")}),
        ("Editable", {"fields": EDITABLE_FIELDS}),
        ("Curation", {"fields": ("trait_path", "curation_action_display")}),
        ("Embedding", {"fields": ("embedding_summary", "created_at")}),
    )
    readonly_fields = (
        "person",
        "narrative_type",
        "raw_text",
        "source",
        "created_by",
        "trait_path",
        "curation_action_display",
        "embedding_summary",
        "created_at",
    )

    embedding_summary = embedding_display(updated_field="embedded_at")

    @display(description="Narrative", ordering="raw_text")
    def excerpt(self, obj: Narrative) -> str:
        return Truncator(obj.curated_text or obj.raw_text).chars(80)

    @display(description="Tags")
    def tag_list(self, obj: Narrative) -> str:
        return ", ".join(obj.tags or []) or "—"

    @display(description="Curation action")
    def curation_action_display(self, obj: Narrative) -> SafeString:
        return json_display(obj.curation_action)

    def save_model(
        self, request: HttpRequest, obj: Narrative, form: forms.Form, change: bool
    ) -> None:
        changed = {field: form.cleaned_data[field] for field in form.changed_data}
        if changed:
            stored = Narrative.objects.get(pk=obj.pk)
            narrative_update(narrative=stored, user=request.user, data=changed)

    @admin.action(description="Re-embed with the current model", permissions=["change"])
    def re_embed(self, request: HttpRequest, queryset: QuerySet[Narrative]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        model_name = get_provider().model_name
        try:
            with transaction.atomic():
                # Forget the model so the embedding is recomputed even where it is current.
                Narrative.objects.filter(pk__in=ids).update(embedding_model=None)
                if len(ids) <= EMBED_INLINE_LIMIT:
                    for narrative_id in ids:
                        narrative_embed(narrative_id=narrative_id)
                else:
                    for narrative_id in ids:
                        outbox.enqueue(EMBED_TASK, {"narrative_id": str(narrative_id)})
        except EmbeddingError as error:
            messages.error(
                request, f"Nothing re-embedded: the embedding provider failed ({error})."
            )
            return
        if len(ids) <= EMBED_INLINE_LIMIT:
            messages.success(
                request, f"Re-embedded {plural(len(ids), 'narrative')} with {model_name}."
            )
        else:
            messages.success(
                request,
                f"Queued {plural(len(ids), 'narrative')} for re-embedding with {model_name}; "
                "the outbox workers embed them shortly.",
            )


@admin.register(TraitNarrativeLink)
class TraitNarrativeLinkAdmin(ReadOnlyModelAdmin):
    """Written with the narrative (a curation's ``curates`` link): read-only here."""

    icon = "link"
    list_display = ("trait_path", "link_type", "confidence", "narrative_link", "created_at")
    list_filter = ("link_type", ("created_at", RangeDateTimeFilter))
    list_select_related = ("narrative",)
    search_fields = ("trait_path", "=narrative__id")
    search_help_text = "Trait path, or the narrative's exact id"
    fieldsets = (
        (None, {"fields": ("narrative_link", "trait_path", "link_type", "confidence")}),
        ("Metadata", {"fields": ("metadata_display", "created_at")}),
    )
    readonly_fields = ("narrative_link", "metadata_display")

    @display(description="Narrative")
    def narrative_link(self, obj: TraitNarrativeLink) -> SafeString:
        return object_link(obj.narrative, Truncator(obj.narrative.raw_text).chars(60))

    @display(description="Metadata")
    def metadata_display(self, obj: TraitNarrativeLink) -> SafeString:
        return json_display(obj.metadata)
