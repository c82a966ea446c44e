"""django-celery-beat's and django-celery-results' admins, in the Lucid (unfold) style.

Their own admin classes are kept for behaviour (forms, validation, enable/disable/run
actions) and re-registered combined with ``LucidModelAdmin``, so schedules and results look
like the rest of the back-office and show what staff look for: when each periodic task
last ran, how often, how its last run ended; each result's state, value and traceback.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_celery_results import admin as results_admin
from django_celery_results.models import GroupResult, TaskResult
from unfold.admin import TabularInline
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from config.admin.base import CreatedElsewhereMixin, LucidModelAdmin
from config.admin.display import json_display, text_display, time_ago
from config.admin.widgets import PrettyJSONWidget

TASK_STATE_LABELS = {
    "SUCCESS": "success",
    "FAILURE": "danger",
    "RETRY": "warning",
    "REVOKED": "warning",
    "REJECTED": "warning",
    "STARTED": "info",
    "RECEIVED": "info",
    "PENDING": "info",
}


def _when(moment: Any) -> SafeString | str:
    if moment is None:
        return "never"
    return format_html(
        '<span title="{}">{}</span>',
        date_format(localtime(moment), "DATETIME_FORMAT"),
        time_ago(moment),
    )


def _reregister(model: type[Model], admin_class: type[admin.ModelAdmin]) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


# --- django-celery-beat ------------------------------------------------------------------------


class UnfoldTaskSelectWidget(UnfoldAdminSelectWidget, beat_admin.TaskSelectWidget):
    pass


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    """Beat's form (registered-task picker, JSON checks) with unfold's inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regtask"].widget = UnfoldTaskSelectWidget()
        self.fields["task"].widget = UnfoldAdminTextInputWidget()
        for name in ("args", "kwargs", "headers"):  # JSON kept in text columns
            if name in self.fields:
                self.fields[name].widget = PrettyJSONWidget()


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin, LucidModelAdmin):
    icon = "schedule"
    form = PeriodicTaskForm
    list_display = (
        "name",
        "task",
        "enabled",
        "schedule_display",
        "last_run",
        "total_run_count",
        "last_result",
        "one_off",
    )
    list_filter = (
        "enabled",
        "one_off",
        "task",
        ("last_run_at", RangeDateTimeFilter),
    )
    readonly_fields = (
        "crontab_translation",
        "last_run_at",
        "total_run_count",
        "date_changed",
        "last_result",
    )
    fieldsets = (
        (None, {"fields": ("name", "regtask", "task", "enabled", "description")}),
        (
            "Schedule",
            {
                "fields": (
                    "interval",
                    "crontab",
                    "crontab_translation",
                    "solar",
                    "clocked",
                    "start_time",
                    "one_off",
                )
            },
        ),
        ("Runs", {"fields": ("last_run_at", "total_run_count", "last_result", "date_changed")}),
        ("Arguments", {"fields": ("args", "kwargs"), "classes": ("collapse",)}),
        (
            "Execution options",
            {
                "fields": (
                    "expires",
                    "expire_seconds",
                    "queue",
                    "exchange",
                    "routing_key",
                    "priority",
                    "headers",
                ),
                "classes": ("collapse",),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        latest = TaskResult.objects.filter(periodic_task_name=OuterRef("name")).order_by(
            "-date_done"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(last_result_status=Subquery(latest.values("status")[:1]))
        )

    @display(description="Schedule")
    def schedule_display(self, obj: PeriodicTask) -> str:
        if obj.crontab_id:
            return obj.crontab.human_readable
        return str(obj.scheduler or "no schedule")

    @display(description="Last run", ordering="last_run_at")
    def last_run(self, obj: PeriodicTask) -> SafeString | str:
        return _when(obj.last_run_at)

    @display(description="Last result", label=TASK_STATE_LABELS)
    def last_result(self, obj: PeriodicTask) -> str | None:
        return getattr(obj, "last_result_status", None)

    def crontab_translation(self, obj: PeriodicTask) -> str:
        return obj.crontab.human_readable if obj.crontab_id else "—"


class PeriodicTaskInline(CreatedElsewhereMixin, TabularInline):
    model = PeriodicTask
    fields = ("name", "task", "enabled", "last_run_at", "total_run_count")
    readonly_fields = fields
    can_delete = False
    extra = 0
    show_change_link = True
    verbose_name = "periodic task using this schedule"
    verbose_name_plural = "periodic tasks using this schedule"


class ScheduleAdmin(LucidModelAdmin):
    icon = "event_repeat"
    inlines = (PeriodicTaskInline,)


class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin, ScheduleAdmin):
    inlines = ScheduleAdmin.inlines


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin, ScheduleAdmin):
    inlines = ScheduleAdmin.inlines


class SolarScheduleAdmin(beat_admin.SolarScheduleAdmin, ScheduleAdmin):
    inlines = ScheduleAdmin.inlines


class IntervalScheduleAdmin(beat_admin.IntervalScheduleAdmin, ScheduleAdmin):
    inlines = ScheduleAdmin.inlines


# --- django-celery-results ---------------------------------------------------------------------


class TaskResultAdmin(CreatedElsewhereMixin, results_admin.TaskResultAdmin, LucidModelAdmin):
    """Task results, read-only (workers write them): state as a label, result and meta as
    JSON, traceback as text."""

    icon = "task_alt"
    list_display = (
        "task_id",
        "task_name",
        "periodic_task_name",
        "state",
        "date_done",
        "runtime",
        "worker",
    )
    list_filter = (
        "status",
        ("date_done", RangeDateTimeFilter),
        "periodic_task_name",
        "task_name",
        "worker",
    )
    search_fields = ("task_id", "task_name", "periodic_task_name")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "task_id",
                    "task_name",
                    "periodic_task_name",
                    "state",
                    "worker",
                    "date_created",
                    "date_started",
                    "date_done",
                    "runtime",
                )
            },
        ),
        ("Arguments", {"fields": ("args_display", "kwargs_display")}),
        (
            "Outcome",
            {
                "fields": (
                    "result_display",
                    "traceback_display",
                    "meta_display",
                    "content_type",
                    "content_encoding",
                )
            },
        ),
    )
    readonly_display_fields = (
        "state",
        "runtime",
        "args_display",
        "kwargs_display",
        "result_display",
        "traceback_display",
        "meta_display",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *self.readonly_display_fields]

    @display(description="State", label=TASK_STATE_LABELS, ordering="status")
    def state(self, obj: TaskResult) -> str:
        return obj.status

    @display(description="Runtime")
    def runtime(self, obj: TaskResult) -> str:
        if not (obj.date_started and obj.date_done):
            return "—"
        seconds = (obj.date_done - obj.date_started).total_seconds()
        return f"{seconds:.2f} s" if seconds < 60 else f"{seconds / 60:.1f} min"

    @display(description="Positional arguments")
    def args_display(self, obj: TaskResult) -> SafeString:
        return json_display(obj.task_args)

    @display(description="Named arguments")
    def kwargs_display(self, obj: TaskResult) -> SafeString:
        return json_display(obj.task_kwargs)

    @display(description="Result")
    def result_display(self, obj: TaskResult) -> SafeString:
        return json_display(obj.result)

    @display(description="Traceback")
    def traceback_display(self, obj: TaskResult) -> SafeString:
        return text_display(obj.traceback)

    @display(description="Meta")
    def meta_display(self, obj: TaskResult) -> SafeString:
        return json_display(obj.meta)


class GroupResultAdmin(CreatedElsewhereMixin, results_admin.GroupResultAdmin, LucidModelAdmin):
    icon = "account_tree"
    readonly_fields = ("group_id", "date_created", "date_done", "result_display")
    fields = readonly_fields

    @display(description="Result")
    def result_display(self, obj: GroupResult) -> SafeString:
        return json_display(obj.result)


_reregister(PeriodicTask, PeriodicTaskAdmin)
_reregister(ClockedSchedule, ClockedScheduleAdmin)
_reregister(CrontabSchedule, CrontabScheduleAdmin)
_reregister(SolarSchedule, SolarScheduleAdmin)
_reregister(IntervalSchedule, IntervalScheduleAdmin)
_reregister(TaskResult, TaskResultAdmin)
_reregister(GroupResult, GroupResultAdmin)
