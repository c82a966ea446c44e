"""The AI model catalogue (editable; the heuristic labelled), budgets and alerts, and the
partition inventory of ai_tests with "archive now"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from config.admin.base import LucidModelAdmin, ReadOnlyModelAdmin
from config.database.partitions import list_partitions
from dreamshot.models import AiModel, Budget, BudgetAlert
from dreamshot.selectors.analytics import model_comparison
from dreamshot.services.retention import ARCHIVE, TABLE, ai_tests_archive


@admin.register(AiModel)
class AiModelAdmin(LucidModelAdmin):
    icon = "smart_toy"
    list_display = ["display_name", "provider", "name", "kind", "cost_per_1k_tokens",
                    "output_cost_per_1k_tokens", "is_active"]  # fmt: skip
    list_filter = ["provider", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "display_name"]
    readonly_fields = ["comparison", "partitions"]
    actions = ["archive_now"]

    @admin.display(description="Kind")
    def kind(self, model: AiModel) -> str:
        return "local heuristic (not AI)" if model.is_heuristic else "remote model"

    @admin.display(description="Model comparison (last 7 days, every model)")
    def comparison(self, model: AiModel) -> SafeString:
        return _table(
            ("Provider", "Model", "Avg impossibility", "Avg confidence", "Avg ms", "Tests"),
            [(r["provider"], r["model"], _n(r["avg_impossibility"]), _n(r["avg_confidence"]),
              _n(r["avg_duration_ms"]), r["test_count"]) for r in model_comparison()],
        )  # fmt: skip

    @admin.display(description="ai_tests partitions and archive")
    def partitions(self, model: AiModel) -> SafeString:
        rows = [(p.name, p.bound, f"~{p.row_estimate}", filesizeformat(p.size_bytes))
                for p in list_partitions(TABLE)]  # fmt: skip
        rows.append((ARCHIVE, "archive (plain table)", "", ""))
        return _table(("Partition", "Range", "Rows (estimate)", "Size"), rows)

    @admin.action(description="Archive ai_tests months past the cutoff now")
    def archive_now(self, request: HttpRequest, queryset: QuerySet[AiModel]) -> None:
        result = ai_tests_archive()
        self.message_user(
            request,
            f"Archived {len(result.partitions)} months ({', '.join(result.partitions) or 'none'}"
            f"); {result.rows_after} tests in ai_tests and the archive, as before.",
            messages.SUCCESS,
        )


def _n(value: object) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def _table(headers: tuple[str, ...], rows: list[tuple]) -> SafeString:
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((c,) for c in row)),) for row in rows),
    )
    return SafeString(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


@admin.register(Budget)
class BudgetAdmin(LucidModelAdmin):
    icon = "savings"
    list_display = ["user", "alert_threshold", "hard_cap", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(BudgetAlert)
class BudgetAlertAdmin(ReadOnlyModelAdmin):
    """Alerts are recorded when a user's spend crosses their threshold."""

    icon = "notifications"
    list_display = ["user", "month", "threshold", "monthly_spend", "created_at"]
    list_filter = ["month"]
    search_fields = ["user__email"]
