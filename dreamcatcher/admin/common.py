"""What the Dreamcatcher admins share: status labels, enqueueing, author stamps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from config.admin.display import plural
from dreamcatcher.choices import DreamStatus, SyncSessionStatus, TodoStatus
from dreamcatcher.services.maintenance import dream_statistics_refresh

DREAM_STATUS_LABELS = {
    DreamStatus.IDEA: "info",
    DreamStatus.PLANNING: "info",
    DreamStatus.IN_PROGRESS: "warning",
    DreamStatus.IMPLEMENTED: "success",
}
TODO_STATUS_LABELS = {
    TodoStatus.IN_PROGRESS: "warning",
    TodoStatus.COMPLETED: "success",
    TodoStatus.CANCELLED: "danger",
}
SYNC_STATUS_LABELS = {
    SyncSessionStatus.RUNNING: "info",
    SyncSessionStatus.COMPLETED: "success",
    SyncSessionStatus.PARTIAL: "warning",
    SyncSessionStatus.FAILED: "danger",
}


def report_refresh(request: HttpRequest) -> None:
    result = dream_statistics_refresh()
    if result.refreshed:
        messages.success(
            request,
            f"Refreshed dream statistics in {result.duration_ms} ms "
            f"({plural(result.row_count, 'dream')}).",
        )
    else:
        messages.warning(request, "Dream statistics are being refreshed already; try again soon.")


class AuthorStampsMixin:
    """Fills ``created_by``/``updated_by`` with the staff member's account id, as the services
    do for API writes."""

    def _stamp(self, request: HttpRequest, obj: Any) -> None:
        name = str(request.user.pk)
        if obj._state.adding and hasattr(obj, "created_by"):
            obj.created_by = name
        if hasattr(obj, "updated_by"):
            obj.updated_by = name

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self._stamp(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            self._stamp(request, obj)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
