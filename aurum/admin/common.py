"""What Aurum's admins share: restore and re-embed actions, an archived filter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from aurum.services.embeddings import rows_reembed
from aurum.services.hierarchy import row_archive, row_restore
from config.admin.display import plural
from config.embeddings import EmbeddingError


class ArchivedFilter(admin.SimpleListFilter):
    """Live rows by default, as the API lists them."""

    title = "archived"
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("live", "Live"), ("archived", "Archived"), ("all", "All")]

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "live") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or "live"
        if value == "all":
            return queryset
        return queryset.filter(archived=value == "archived")


class ArchivableAdminMixin:
    """Archive and restore actions (the database stamps ``archived_at``; both are audited)."""

    @admin.action(description="Restore archived", permissions=["change"])
    def restore_archived(self, request: HttpRequest, queryset: QuerySet) -> None:
        rows = list(queryset.filter(archived=True))
        for row in rows:
            row_restore(row=row)
        self.message_user(request, f"Restored {plural(len(rows), 'row')}.", messages.SUCCESS)

    @admin.action(description="Archive", permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        rows = list(queryset.filter(archived=False))
        for row in rows:
            row_archive(row=row)
        self.message_user(request, f"Archived {plural(len(rows), 'row')}.", messages.SUCCESS)


class ReembedMixin:
    """Embed the chosen rows again now, every vector column of theirs."""

    def has_re_embed_permission(self, request: HttpRequest) -> bool:
        # Re-embedding changes no content, only the derived vectors: viewing staff may.
        return self.has_view_permission(request)

    @admin.action(description="Re-embed now", permissions=["re_embed"])
    def re_embed(self, request: HttpRequest, queryset: QuerySet) -> None:
        try:
            written = rows_reembed(rows=queryset[:500])
        except EmbeddingError as error:
            self.message_user(request, f"Embedding failed: {error}", messages.ERROR)
            return
        self.message_user(request, f"Wrote {plural(written, 'vector')}.", messages.SUCCESS)
