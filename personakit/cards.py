"""PersonaKit's admin dashboard cards (registered in ``registrations.py``).

Each ``render(request)`` returns the context of ``admin/cards/metrics.html`` or
``admin/cards/chart.html``; every figure is one aggregate query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from config.admin.links import admin_url
from config.embeddings import get_provider
from config.outbox import outbox_health
from personakit.models import Feedback, Narrative, OutboxTask, Persona

if TYPE_CHECKING:
    from django.http import HttpRequest

RATINGS = (1, 2, 3, 4, 5)


def duration_text(seconds: float | None) -> str:
    """A compact age: "—" for none, "42 s", "12 min", "3 h", "5 d"."""
    if seconds is None:
        return "—"
    for unit_seconds, unit in ((86_400, "d"), (3_600, "h"), (60, "min")):
        if seconds >= unit_seconds:
            return f"{int(seconds // unit_seconds)} {unit}"
    return f"{int(seconds)} s"


def outbox(request: HttpRequest) -> dict[str, Any]:
    """What the outbox holds: pending (and due), in progress, failed, the oldest due task."""
    health = outbox_health()
    return {
        "metrics": [
            {
                "label": "Pending",
                "value": health["pending"],
                "href": admin_url(OutboxTask, "changelist", query="status__exact=pending"),
                "hint": f"{health['due']} due now",
            },
            (
                "In progress",
                health["in_progress"],
                admin_url(OutboxTask, "changelist", query="status__exact=in_progress"),
            ),
            (
                "Failed",
                health["failed"],
                admin_url(OutboxTask, "changelist", query="status__exact=failed"),
            ),
            ("Oldest due task waiting", duration_text(health["oldest_due_age_seconds"])),
        ],
        "note": "Failed tasks wait for staff: retry or discard them in the outbox list.",
        "link": {"href": admin_url(OutboxTask, "changelist"), "title": "Outbox"},
    }


def narrative_embeddings(request: HttpRequest) -> dict[str, Any]:
    """How many narratives carry a vector of the current model (search sees only those)."""
    current = get_provider().model_name
    counts = Narrative.objects.aggregate(
        total=Count("pk"),
        current=Count("pk", filter=Q(embedding__isnull=False, embedding_model=current)),
        missing=Count("pk", filter=Q(embedding__isnull=True)),
    )
    total, embedded = counts["total"], counts["current"]
    percent = round(100 * embedded / total) if total else 0
    progress = render_to_string(
        "unfold/components/progress.html", {"value": percent, "description": f"{percent}%"}
    )
    return {
        "metrics": [
            {
                "label": "Embedded with the current model",
                "value": f"{embedded} / {total}",
                "href": admin_url(Narrative, "changelist", query="embedded=current"),
                "hint": progress,
            },
            (
                "Missing an embedding",
                counts["missing"],
                admin_url(Narrative, "changelist", query="embedded=missing"),
            ),
            (
                "From another model",
                total - embedded - counts["missing"],
                admin_url(Narrative, "changelist", query="embedded=stale"),
            ),
        ],
        "note": f"Current model: {current}. The outbox and the backfill fill the gaps.",
    }


def personas(request: HttpRequest) -> dict[str, Any]:
    """Personas still served (unexpired) against those kept only for analytics."""
    expired = Q(is_expired=True) | Q(expires_at__lte=timezone.now())
    counts = Persona.objects.aggregate(total=Count("pk"), expired=Count("pk", filter=expired))
    return {
        "metrics": [
            (
                "Active",
                counts["total"] - counts["expired"],
                admin_url(Persona, "changelist", query="expiry=active"),
            ),
            (
                "Expired",
                counts["expired"],
                admin_url(Persona, "changelist", query="expiry=expired"),
            ),
        ],
        "link": {"href": admin_url(Persona, "changelist"), "title": "All personas"},
    }


def feedback(request: HttpRequest) -> dict[str, Any]:
    """The average rating of personas, and how the ratings spread from 1 to 5."""
    summary = Feedback.objects.aggregate(
        total=Count("pk"),
        rated=Count("rating"),
        average=Avg("rating"),
        helpful_count=Count("pk", filter=Q(helpful=True)),
        answered=Count("pk", filter=Q(helpful__isnull=False)),
    )
    per_rating = dict(
        Feedback.objects.filter(rating__isnull=False)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    helpful = (
        f"{round(100 * summary['helpful_count'] / summary['answered'])}%"
        if summary["answered"]
        else None
    )
    return {
        "metrics": [
            ("Average rating", summary["average"], admin_url(Feedback, "changelist")),
            ("Found helpful", helpful, admin_url(Feedback, "changelist", query="helpful__exact=1")),
        ],
        "chart": {
            "type": "bar",
            "labels": [f"{rating}★" for rating in RATINGS],
            "datasets": [
                {"label": "Feedback", "data": [per_rating.get(rating, 0) for rating in RATINGS]}
            ],
            "height": 140,
        },
        "note": f"{summary['rated']} rated of {summary['total']} feedback entries.",
        "link": {
            "href": admin_url(Feedback, "helpfulness"),
            "title": "Helpfulness per rule",
        },
    }
