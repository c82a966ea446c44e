"""Dreamshot's admin dashboard cards (registered in ``registrations.py``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Sum
from django.db.models.functions import TruncDay
from django.utils import timezone

from config.admin.links import admin_url
from dreamshot.choices import TestStatus
from dreamshot.models import AiModel, AiTest, BudgetAlert
from dreamshot.selectors import analytics
from dreamshot.selectors.budgets import month_start_at, this_month

if TYPE_CHECKING:
    from django.http import HttpRequest

DECAY_DAYS = 60
COST_ROWS = 15


def impossibility_decay(request: HttpRequest) -> dict[str, Any]:
    """The average impossibility of every completed test per day, last 60 days."""
    rows = (
        AiTest.objects.filter(
            status=TestStatus.COMPLETED,
            created_at__gte=timezone.now() - timedelta(days=DECAY_DAYS),
        )
        .annotate(day=TruncDay("created_at"))
        .values("day")
        .annotate(avg=Avg("impossibility_score"))
        .order_by("day")
    )
    return {
        "chart": {
            "type": "line",
            "labels": [row["day"].date().isoformat() for row in rows],
            "datasets": [
                {"label": "Average impossibility", "data": [float(row["avg"]) for row in rows]}
            ],
            "height": 160,
        },
        "note": "Lower is better: models find the dreams more achievable over time.",
        "link": {"href": admin_url(AiTest, "changelist"), "title": "AI tests"},
    }


def spend_this_month(request: HttpRequest) -> dict[str, Any]:
    """Tests and their cost this month, and the users over budget."""
    month = AiTest.objects.filter(created_at__gte=month_start_at()).aggregate(
        tests=Count("pk"), cost=Sum("cost")
    )
    alerts = BudgetAlert.objects.filter(month=this_month()).count()
    return {
        "metrics": [
            ("Tests this month", month["tests"], admin_url(AiTest, "changelist")),
            ("Spent this month", f"{month['cost'] or 0:.2f}", None),
            ("Users over budget", alerts, admin_url(BudgetAlert, "changelist")),
        ]
    }


def model_comparison_chart(request: HttpRequest) -> dict[str, Any]:
    """Each model's average impossibility and confidence over the last week (query 3)."""
    rows = analytics.model_comparison()
    return {
        "chart": {
            "type": "bar",
            "labels": [f"{row['provider']}/{row['model']}" for row in rows],
            "datasets": [
                {
                    "label": "Avg impossibility",
                    "data": [float(row["avg_impossibility"] or 0) for row in rows],
                },
                {
                    "label": "Avg confidence",
                    "data": [float(row["avg_confidence"] or 0) for row in rows],
                },
            ],
            "height": 180,
        },
        "note": "Completed tests of the last 7 days, most optimistic model first.",
        "link": {"href": admin_url(AiModel, "changelist"), "title": "Model catalogue"},
    }


def cost_per_user_and_model(request: HttpRequest) -> dict[str, Any]:
    """Tokens and cost per user and model over 30 days (the seed's token-usage query)."""
    rows = analytics.token_usage()[:COST_ROWS]
    return {
        "table": {
            "headers": ["User", "Model", "Tokens", "Cost"],
            "rows": [
                [
                    row["user__email"],
                    f"{row['provider']}/{row['model']}",
                    row["total_tokens"] or 0,
                    f"{row['total_cost'] or 0:.4f}",
                ]
                for row in rows
            ],
            "empty": "No tests in the last 30 days.",
        },
        "link": {"href": admin_url(BudgetAlert, "changelist"), "title": "Budget alerts"},
        "wide": True,
    }
