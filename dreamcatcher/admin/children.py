"""What hangs off a dream, each on its own: fragments, todos, implementations, documents."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import action, display

from config.admin.base import CreatedElsewhereMixin, LucidModelAdmin
from config.admin.display import json_display, plural
from dreamcatcher.admin.common import TODO_STATUS_LABELS, AuthorStampsMixin
from dreamcatcher.models import Document, Fragment, Implementation, Todo
from dreamcatcher.services.documents import document_queue_parse
from dreamcatcher.services.dreams import todo_status_move_allowed


class TodoForm(forms.ModelForm):
    """Refuses, as a form error, a status move the database's trigger would refuse."""

    def clean_status(self) -> str:
        new, old = self.cleaned_data["status"], self.instance.status
        if not self.instance._state.adding and not todo_status_move_allowed(old, new):
            raise forms.ValidationError(f"A todo cannot move from {old} to {new}.")
        return new


@admin.register(Fragment)
class FragmentAdmin(AuthorStampsMixin, LucidModelAdmin):
    icon = "lightbulb"
    list_display = ("title", "dream", "source", "date")
    list_filter = ("source", ("date", RangeDateTimeFilter))
    list_select_related = ("dream",)
    search_fields = ("title", "content")
    date_hierarchy = "date"
    autocomplete_fields = ("dream",)
    exclude = ("id",)
    readonly_fields = ("created_by", "updated_by")


@admin.register(Todo)
class TodoAdmin(AuthorStampsMixin, LucidModelAdmin):
    icon = "checklist"
    form = TodoForm
    list_display = (
        "title",
        "dream",
        "priority",
        "status_label",
        "deadline",
        "completed_at",
        "source",
    )
    list_filter = ("priority", "status", "source", ("deadline", RangeDateTimeFilter))
    list_select_related = ("dream",)
    search_fields = ("title", "description", "category", "assigned_to")
    date_hierarchy = "created_at"
    autocomplete_fields = ("dream",)
    exclude = ("id",)
    readonly_fields = ("completed_at", "created_at", "updated_at", "created_by", "updated_by")

    @display(description="Status", label=TODO_STATUS_LABELS, ordering="status")
    def status_label(self, obj: Todo) -> str:
        return obj.status


@admin.register(Implementation)
class ImplementationAdmin(AuthorStampsMixin, LucidModelAdmin):
    icon = "construction"
    list_display = ("dream", "status", "project_id", "tickets_created", "agents_assigned")
    list_filter = ("status",)
    list_select_related = ("dream",)
    search_fields = ("project_id", "dream__title")
    date_hierarchy = "created_at"
    autocomplete_fields = ("dream",)
    exclude = ("id",)
    readonly_fields = ("created_at", "created_by", "updated_by")


@admin.register(Document)
class DocumentAdmin(CreatedElsewhereMixin, LucidModelAdmin):
    """Uploaded through the API, which stores the file; staff may retitle and re-parse."""

    icon = "description"
    list_display = ("title", "dream", "file_type", "file_size", "parsed", "upload_date")
    list_filter = ("parsed", "file_type")
    list_select_related = ("dream",)
    search_fields = ("title", "file_name")
    date_hierarchy = "upload_date"
    actions = ("reparse",)
    actions_submit_line = ("reparse_on_save",)
    fields = (
        "title",
        "dream",
        "file_name",
        "file_type",
        "file_size",
        "file_path",
        "upload_date",
        "parsed",
        "parsed_data_display",
        "created_by",
    )
    # The file and what parsing found are facts of the upload; only the title is staff's.
    readonly_fields = tuple(name for name in fields if name != "title")

    @display(description="Parsed data")
    def parsed_data_display(self, obj: Document) -> SafeString:
        return json_display(obj.parsed_data)

    @admin.action(description="Re-parse document", permissions=["change"])
    def reparse(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for document_id in ids:
            document_queue_parse(document_id=document_id)
        messages.success(request, f"Queued {plural(len(ids), 'document')} for parsing.")

    @action(description="Save and re-parse", permissions=["change"], icon="sync")
    def reparse_on_save(self, request: HttpRequest, obj: Document) -> None:
        document_queue_parse(document_id=obj.pk)
        messages.success(request, f"Queued {obj} for parsing.")
