"""Reads of behaviour events: the caller's own, and the seed's summaries over them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from dreamscape.models import UserBehavior, UserEngagementSummary

SUMMARY_DAYS = 30

# The seed's "Get User Behavior Summary", as written there.
SUMMARY_SQL = """
SELECT
    action_type,
    COUNT(*) as action_count,
    AVG(duration_seconds) as avg_duration,
    COUNT(DISTINCT item_id) as unique_items
FROM dreamscape.user_behaviors
WHERE user_id = %s
    AND created_at >= NOW() - INTERVAL '30 days'
GROUP BY action_type
ORDER BY action_count DESC
"""


def behavior_list(*, user: Any) -> QuerySet[UserBehavior]:
    """The caller's events, newest first."""
    return UserBehavior.objects.filter(user=user)


def behavior_summary(*, user: Any) -> list[dict[str, Any]]:
    """Per action type over the last 30 days: count, mean duration and distinct items."""
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_SQL, [user.pk])
        return [
            {
                "action_type": action_type,
                "action_count": count,
                "avg_duration": None if mean is None else round(float(mean), 2),
                "unique_items": unique,
            }
            for action_type, count, mean, unique in cursor.fetchall()
        ]


def behavior_window(*, user: Any, days: int) -> QuerySet[UserBehavior]:
    """The caller's events of the last ``days`` days (the analysers' input)."""
    since = timezone.now() - timedelta(days=days)
    return UserBehavior.objects.filter(user=user, created_at__gte=since)


def engagement_for(*, user: Any) -> UserEngagementSummary | None:
    """The caller's row of ``user_engagement_summary`` (as of its last refresh), if any."""
    return UserEngagementSummary.objects.filter(user=user).first()
