"""Dreams: list, filters, the change page with its children inlined, tags and statistics;
actions to sync, mark for re-sync and refresh the statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import QuerySet
from django.http import HttpRequest
from unfold.decorators import display
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget

from config.admin.base import (
    CreatedElsewhereMixin,
    LucidModelAdmin,
    LucidStackedInline,
    LucidTabularInline,
)
from config.admin.display import plural
from dreamcatcher.admin.children import TodoForm
from dreamcatcher.admin.common import DREAM_STATUS_LABELS, AuthorStampsMixin, report_refresh
from dreamcatcher.choices import SyncSessionType
from dreamcatcher.models import Document, Dream, Fragment, Implementation, Tag, Todo, User
from dreamcatcher.selectors import cache
from dreamcatcher.selectors.reports import dream_statistics
from dreamcatcher.services.dreams import dream_set_tags
from dreamcatcher.services.sync import SyncInProgress, sync_session_start


class DreamForm(forms.ModelForm):
    """A dream with its tags (``dream_tags`` rows); on the add page, also its owner."""

    owner = forms.ModelChoiceField(
        queryset=User.objects.all(),
        widget=AutocompleteSelect(Dream._meta.get_field("user"), admin.site),
        help_text="The account the dream belongs to; it cannot change later.",
    )
    tag_choices = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        label="Tags",
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
    )

    class Meta:
        model = Dream
        fields = (
            "title",
            "description",
            "summary",
            "status",
            "brand",
            "synced_with_pipelineos",
            "synced_at",
            "pipelineos_project_id",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            del self.fields["owner"]
            self.fields["tag_choices"].initial = list(
                self.instance.dream_tags.values_list("tag_id", flat=True)
            )

    def save(self, commit: bool = True) -> Dream:
        if "owner" in self.fields:
            self.instance.user = self.cleaned_data["owner"]
        return super().save(commit)

    def _save_m2m(self) -> None:
        super()._save_m2m()
        # Links are inserted and deleted, never updated: the triggers on dream_tags count them.
        dream_set_tags(
            dream=self.instance, tag_ids=[tag.pk for tag in self.cleaned_data["tag_choices"]]
        )


class FragmentInline(LucidStackedInline):
    model = Fragment
    fields = ("title", "source", "url", "date", "content", "features", "code_snippets")
    tab = True


class TodoInline(LucidTabularInline):
    model = Todo
    form = TodoForm
    fields = ("title", "priority", "status", "deadline", "source", "completed_at")
    readonly_fields = ("completed_at",)
    tab = True


class DocumentInline(CreatedElsewhereMixin, LucidTabularInline):
    """Uploaded through the API, which stores the file."""

    model = Document
    fields = ("title", "file_name", "file_type", "file_size", "parsed", "upload_date")
    readonly_fields = fields
    tab = True


class ImplementationInline(LucidTabularInline):
    model = Implementation
    fields = (
        "status",
        "project_id",
        "tickets_created",
        "agents_assigned",
        "estimated_completion",
        "completed_at",
    )
    tab = True


@admin.register(Dream)
class DreamAdmin(AuthorStampsMixin, LucidModelAdmin):
    icon = "bedtime"
    form = DreamForm
    list_display = ("title", "status_label", "brand", "user", "synced_with_pipelineos", "updated")
    list_filter = ("status", "brand", "synced_with_pipelineos")
    list_select_related = ("brand", "user")
    search_fields = ("title", "description")
    search_help_text = "Title or description"
    date_hierarchy = "created"
    inlines = (FragmentInline, TodoInline, DocumentInline, ImplementationInline)
    actions = ("sync_now", "mark_for_resync", "refresh_statistics")
    add_fieldsets = (
        (None, {"fields": ("owner", "title", "description", "summary", "status", "brand")}),
        ("Tags", {"fields": ("tag_choices",)}),
    )
    fieldsets = (
        (None, {"fields": ("title", "description", "summary", "status", "brand")}),
        ("Tags", {"fields": ("tag_choices",)}),
        ("Statistics", {"fields": ("statistics",)}),
        (
            "PipelineOS",
            {"fields": ("synced_with_pipelineos", "synced_at", "pipelineos_project_id")},
        ),
        (
            "Record",
            {
                "fields": ("id", "user", "created", "updated", "created_by", "updated_by"),
                "classes": ("collapse",),
            },
        ),
    )
    readonly_fields = ("id", "user", "created", "updated", "created_by", "updated_by", "statistics")

    @display(description="Status", label=DREAM_STATUS_LABELS, ordering="status")
    def status_label(self, obj: Dream) -> str:
        return obj.status

    @display(description="Statistics")
    def statistics(self, obj: Dream) -> str:
        counts = dream_statistics(dream_id=obj.pk)  # get_dream_statistics(), cached
        if counts is None:
            return "—"
        return (
            f"{plural(counts['fragment_count'], 'fragment')} · "
            f"{plural(counts['todo_count'], 'todo')}, {counts['completed_todos']} completed "
            f"({counts['completion_percentage'].normalize():f} %) · "
            f"{plural(counts['document_count'], 'document')}"
        )

    @admin.action(description="Sync now (each owner's unsynced dreams)", permissions=["change"])
    def sync_now(self, request: HttpRequest, queryset: QuerySet[Dream]) -> None:
        owners = list(User.objects.filter(pk__in=queryset.values("user_id")).order_by("username"))
        started = []
        for owner in owners:
            # Opens a pending session (listed at once) and queues its run once committed.
            try:
                sync_session_start(user=owner, session_type=SyncSessionType.MANUAL)
            except SyncInProgress as busy:
                messages.warning(request, f"{owner.username}: {busy}")
            else:
                started.append(owner.username)
        if started:
            messages.success(
                request,
                f"Started a PipelineOS sync for {plural(len(started), 'account')}: "
                f"{', '.join(started)}. Its sessions show how it went.",
            )

    @admin.action(description="Mark for re-sync", permissions=["change"])
    def mark_for_resync(self, request: HttpRequest, queryset: QuerySet[Dream]) -> None:
        owners = set(queryset.values_list("user_id", flat=True))
        marked = queryset.filter(synced_with_pipelineos=True).update(synced_with_pipelineos=False)
        cache.forget(user_ids=owners)  # update() sends no signal: their sync status changed
        messages.success(request, f"Marked {plural(marked, 'dream')} for re-sync.")

    @admin.action(description="Refresh statistics (all dreams)", permissions=["change"])
    def refresh_statistics(self, request: HttpRequest, queryset: QuerySet[Dream]) -> None:
        report_refresh(request)
