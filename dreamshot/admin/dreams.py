"""Dreams with their decay chart, tests (partitioned) and snapshots, and the archive."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString

from config.admin.base import LucidModelAdmin, ReadOnlyModelAdmin, ReadOnlyTabularInline
from config.admin.display import json_display
from config.admin.links import counted_link
from dreamshot.admin.charts import line_chart
from dreamshot.models import AiTest, AiTestArchive, Dream, ProgressLog
from dreamshot.selectors.analytics import decay_series, decay_series_by_model
from dreamshot.services.ai_tests import ai_tests_rerun

CHART_DAYS = 90


class ProgressLogInline(ReadOnlyTabularInline):
    model = ProgressLog
    fields = ["created_at", "average_impossibility", "best_score", "improvement_trend",
              "milestone_reached", "test_count"]  # fmt: skip
    readonly_fields = fields
    ordering = ["-created_at"]
    max_num = 0


@admin.register(Dream)
class DreamAdmin(LucidModelAdmin):
    icon = "rocket_launch"
    list_display = ["title", "user", "category", "status", "is_public", "tests", "created_at"]
    list_filter = ["status", "category", "is_public"]
    search_fields = ["title", "description", "user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["decay_chart", "created_at", "updated_at"]
    raw_id_fields = ["user"]
    inlines = [ProgressLogInline]
    actions = ["rerun_tests"]

    @admin.display(description="Tests")
    def tests(self, dream: Dream) -> SafeString:
        return counted_link(AiTest, 0, "tests", f"dream__id__exact={dream.pk}")

    @admin.display(description=f"Impossibility decay (last {CHART_DAYS} days)")
    def decay_chart(self, dream: Dream) -> SafeString:
        if dream.pk is None:
            return SafeString("")
        days = decay_series(dream=dream, days=CHART_DAYS)
        labels = [row["date"].date().isoformat() for row in days]
        series: dict[str, list[float | None]] = {
            "average": [float(row["avg_score"]) for row in days],
            "best": [float(row["best_score"]) for row in days],
        }
        index = {label: i for i, label in enumerate(labels)}
        for row in decay_series_by_model(dream=dream, days=CHART_DAYS):
            line = series.setdefault(f"{row['provider']}/{row['model']}", [None] * len(labels))
            line[index[row["date"].date().isoformat()]] = float(row["avg_score"])
        return line_chart(labels, series)

    @admin.action(description="Re-run tests with the models last used")
    def rerun_tests(self, request: HttpRequest, queryset: QuerySet[Dream]) -> None:
        tests = AiTest.objects.filter(dream__in=queryset).order_by("dream_id", "provider", "model")
        batches = ai_tests_rerun(tests=list(tests.distinct("dream_id", "provider", "model")))
        self.message_user(request, f"{len(batches)} batches queued.", messages.SUCCESS)


@admin.register(AiTest)
class AiTestAdmin(ReadOnlyModelAdmin):
    """Tests are written by the engine; staff read them and re-run them."""

    icon = "science"
    list_display = ["dream", "provider", "model", "status", "impossibility_score", "confidence",
                    "tokens_used", "cost", "created_at"]  # fmt: skip
    list_filter = ["status", "provider", "model"]
    search_fields = ["dream__title", "model", "id"]
    date_hierarchy = "created_at"
    list_select_related = ["dream"]
    readonly_fields = ["factors"]
    actions = ["rerun_tests"]

    @admin.display(description="Factors and metadata")
    def factors(self, test: AiTest) -> SafeString:
        return json_display(test.metadata)

    @admin.action(description="Re-run these tests' dreams with the same models")
    def rerun_tests(self, request: HttpRequest, queryset: QuerySet[AiTest]) -> None:
        batches = ai_tests_rerun(tests=list(queryset))
        self.message_user(request, f"{len(batches)} batches queued.", messages.SUCCESS)


@admin.register(AiTestArchive)
class AiTestArchiveAdmin(ReadOnlyModelAdmin):
    """Tests older than the archive cutoff, with their months dropped from ai_tests."""

    icon = "inventory_2"
    list_display = ["dream_id", "provider", "model", "status", "impossibility_score", "cost",
                    "created_at"]  # fmt: skip
    list_filter = ["status", "provider"]
    search_fields = ["dream_id", "model"]
    date_hierarchy = "created_at"


@admin.register(ProgressLog)
class ProgressLogAdmin(ReadOnlyModelAdmin):
    icon = "trending_down"
    list_display = ["dream", "average_impossibility", "best_score", "improvement_trend",
                    "milestone_reached", "test_count", "created_at"]  # fmt: skip
    list_filter = ["milestone_reached"]
    date_hierarchy = "created_at"
    list_select_related = ["dream"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "snapshot"]

    @admin.display(description="Snapshot")
    def snapshot(self, log: ProgressLog) -> SafeString:
        return json_display(log.snapshot_data)
