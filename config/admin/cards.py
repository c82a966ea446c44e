"""Dashboard cards: ``register_cards``, with which every app (and the platform) registers its
cards, and the platform's own: accounts, embedding coverage, Celery and beat.

Models are looked up through settings and the app registry, never imported: the platform
depends on no app's modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from config.admin.display import muted, time_ago
from config.admin.links import change_url, changelist_url
from config.platform_models import get_api_key_model
from config.registries import DashboardCard, EmbeddingColumn, dashboard_cards, embedding_columns

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

# (name, title, render, template): a card as ``register_cards`` takes it.
CardSpec = tuple[str, str, Callable[["HttpRequest"], dict[str, Any]], str]

SIGNUP_DAYS = 30
TASK_WINDOW = timedelta(hours=24)
PERIODIC_TASKS_SHOWN = 12
# Coverage counts scan whole tables; the dashboard reuses them for this long.
EMBEDDING_COVERAGE_TTL = 10 * 60

# Task states in the order a reader scans them, each with its bar colour.
TASK_STATES = (
    ("SUCCESS", "var(--color-green-500)"),
    ("FAILURE", "var(--color-red-500)"),
    ("RETRY", "var(--color-orange-400)"),
    ("REVOKED", "var(--color-base-400)"),
    ("REJECTED", "var(--color-base-400)"),
    ("IGNORED", "var(--color-base-300)"),
    ("STARTED", "var(--color-blue-500)"),
    ("RECEIVED", "var(--color-blue-300)"),
    ("PENDING", "var(--color-blue-300)"),
)
ALWAYS_SHOWN_STATES = {"SUCCESS", "FAILURE"}


def register_cards(*, system: str, app: str, cards: Iterable[CardSpec]) -> None:
    """Register a system's dashboard cards, shown in the order listed.

    Each card is ``(name, title, render, template)``: registered as ``"<app>.<name>"`` with
    the bundled template ``admin/cards/<template>.html`` (``"metrics"`` or ``"chart"``).
    """
    for position, (name, title, render, template) in enumerate(cards, start=1):
        dashboard_cards.register(
            DashboardCard(
                name=f"{app}.{name}",
                title=title,
                render=render,
                template=f"admin/cards/{template}.html",
                system=system,
                order=position * 10,
            )
        )


def _label(text: str, variant: str) -> str:
    return render_to_string("unfold/helpers/label.html", {"text": text, "variant": variant})


def _moment(moment: Any) -> str:
    if moment is None:
        return muted("never")
    return format_html(
        '<span title="{}">{}</span>',
        date_format(timezone.localtime(moment), "DATETIME_FORMAT"),
        time_ago(moment),
    )


def accounts(request: HttpRequest) -> dict[str, Any]:
    """Accounts, staff and API keys at a glance, with sign-ups per day for a month."""
    user_model = get_user_model()
    now = timezone.now()
    users = user_model.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        staff=Count("pk", filter=Q(is_staff=True, is_active=True)),
        new=Count("pk", filter=Q(created_at__gte=now - timedelta(days=7))),
    )
    metrics: list[tuple[str, Any, str | None]] = [
        ("Users", users["total"], changelist_url(user_model)),
        ("Active users", users["active"], changelist_url(user_model, "is_active__exact=1")),
        ("Staff", users["staff"], changelist_url(user_model, "is_staff__exact=1")),
        ("New in 7 days", users["new"], None),
    ]
    api_key_model = get_api_key_model()
    usable = Q(is_active=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    keys = api_key_model.objects.aggregate(
        usable=Count("pk", filter=usable),
        used=Count("pk", filter=usable & Q(last_used_at__gte=now - timedelta(days=1))),
    )
    metrics += [
        ("Active API keys", keys["usable"], changelist_url(api_key_model, "status=usable")),
        ("Keys used in 24 h", keys["used"], None),
    ]

    start = timezone.localdate() - timedelta(days=SIGNUP_DAYS - 1)
    since = timezone.make_aware(datetime.combine(start, time.min))  # a range the index serves
    per_day = dict(
        user_model.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    days = [start + timedelta(days=offset) for offset in range(SIGNUP_DAYS)]
    return {
        "metrics": metrics,
        "chart": {
            "type": "bar",
            "labels": [date_format(day, "M j") for day in days],
            "datasets": [{"label": "New accounts", "data": [per_day.get(d, 0) for d in days]}],
            "height": 140,
        },
        "note": f"New accounts per day, last {SIGNUP_DAYS} days.",
        "link": {"href": changelist_url(user_model) or "", "title": "All users"},
    }


def background_work(request: HttpRequest) -> dict[str, Any]:
    """Celery results of the last 24 h by state, and every periodic task with its last run."""
    task_result_model = apps.get_model("django_celery_results", "TaskResult")
    periodic_task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    since = timezone.now() - TASK_WINDOW

    counts = dict(
        task_result_model.objects.filter(date_done__gte=since)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    known = {state for state, _ in TASK_STATES}
    states = [
        (state, colour)
        for state, colour in TASK_STATES
        if counts.get(state) or state in ALWAYS_SHOWN_STATES
    ] + [(state, "var(--color-primary-400)") for state in sorted(set(counts) - known)]

    tasks = periodic_task_model.objects.aggregate(
        total=Count("pk"), enabled=Count("pk", filter=Q(enabled=True))
    )
    failures = counts.get("FAILURE", 0)
    return {
        "metrics": [
            ("Finished in 24 h", sum(counts.values()), changelist_url(task_result_model)),
            (
                "Failed in 24 h",
                failures,
                changelist_url(task_result_model, "status__exact=FAILURE"),
            ),
            (
                "Periodic tasks enabled",
                f"{tasks['enabled']} of {tasks['total']}",
                changelist_url(periodic_task_model, "enabled__exact=1"),
            ),
        ],
        "chart": {
            "type": "bar",
            "labels": [state.title() for state, _ in states],
            "datasets": [
                {
                    "label": "Tasks",
                    "data": [counts.get(state, 0) for state, _ in states],
                    "backgroundColor": [colour for _, colour in states],
                }
            ],
            "height": 160,
        },
        "table": _periodic_task_table(periodic_task_model),
        "note": "Task results by state, last 24 hours; periodic tasks by name.",
        "link": {"href": changelist_url(periodic_task_model) or "", "title": "Schedules"},
        "wide": True,
    }


def embeddings(request: HttpRequest) -> dict[str, Any]:
    """How much of each registered embedding column holds vectors of the current model."""
    from config.embeddings import get_provider

    current = get_provider().model_name
    rows, totals = [], {"rows": 0, "current": 0}
    for column in embedding_columns:
        coverage = cache.get_or_set(
            f"dashboard:embeddings:{column.name}:{current}",
            lambda column=column: _embedding_coverage(column, current),
            EMBEDDING_COVERAGE_TTL,
        )
        totals["rows"] += coverage["rows"]
        totals["current"] += coverage["current"]
        rows.append(
            [
                column.name,
                coverage["rows"],
                _progress(coverage["current"], coverage["rows"]),
                coverage["stale"],
                coverage["missing"],
            ]
        )
    share = f"{totals['current'] / totals['rows']:.0%}" if totals["rows"] else "—"
    return {
        "metrics": [("Embedded with the current model", share), ("Columns", len(rows))],
        "table": {
            "headers": ["Column", "Rows", "Current model", "Stale model", "Missing"],
            "rows": rows,
            "empty": "No embedding columns are registered yet.",
        },
        "note": f"Current model: {current}. Figures are up to "
        f"{EMBEDDING_COVERAGE_TTL // 60} minutes old; the backfill fills the gaps.",
    }


def _embedding_coverage(column: EmbeddingColumn, current_model: str) -> dict[str, int]:
    model = apps.get_model(column.model)
    has_vector = Q(**{f"{column.vector_field}__isnull": False})
    counts = model._default_manager.aggregate(
        rows=Count("pk"),
        embedded=Count("pk", filter=has_vector),
        current=Count("pk", filter=has_vector & Q(**{column.model_field: current_model})),
    )
    return {
        "rows": counts["rows"],
        "current": counts["current"],
        "stale": counts["embedded"] - counts["current"],
        "missing": counts["rows"] - counts["embedded"],
    }


def _progress(part: int, whole: int) -> str:
    percent = round(100 * part / whole) if whole else 0
    return render_to_string(
        "unfold/components/progress.html", {"value": percent, "description": f"{percent}%"}
    )


def _periodic_task_table(periodic_task_model: type[Model]) -> dict[str, Any]:
    periodic_tasks = periodic_task_model.objects.select_related(
        "interval", "crontab", "solar", "clocked"
    ).order_by("name")[:PERIODIC_TASKS_SHOWN]
    rows = []
    for task in periodic_tasks:
        url = change_url(task)
        name = format_html('<a href="{}" class="text-primary-600">{}</a>', url, task.name)
        schedule = task.crontab.human_readable if task.crontab_id else str(task.scheduler or "")
        rows.append(
            [
                name if url else task.name,
                schedule,
                _label("enabled", "success") if task.enabled else _label("disabled", "default"),
                _moment(task.last_run_at),
                task.total_run_count,
            ]
        )
    return {"headers": ["Periodic task", "Schedule", "State", "Last run", "Runs"], "rows": rows}


register_cards(
    system="Platform",
    app="platform",
    cards=[
        ("accounts", "Accounts", accounts, "chart"),
        ("background_work", "Background work", background_work, "chart"),
        ("embeddings", "Embeddings", embeddings, "metrics"),
    ],
)
