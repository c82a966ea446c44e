"""Scheduled work and erasure: the engagement view, nightly analysis and clustering, the GDPR
erase hook. Partition upkeep and retention live with the events (``services.behaviors``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from config.database.matviews import ViewRefresh, refresh_materialized_view
from dreamscape.models import (
    DreamscapeSuggestion,
    LearningProfile,
    TagCluster,
    UserBehavior,
)
from dreamscape.models.behaviors import ENGAGEMENT_VIEW
from dreamscape.services.clusters import tag_clusters_build
from dreamscape.services.personas import behaviour_events, persona_analyze, users_with_new_behaviour

CLUSTER_DAYS = 90
# The seed's GDPR anonymisation, as written there (the platform fills deleted_users).
ANONYMISE_SQL = """
UPDATE dreamscape.user_personas
SET
    technical_profile = '{}',
    lifestyle_profile = '{}',
    learning_style = '{}',
    cross_domain_insights = '{}'
WHERE user_id IN (SELECT id FROM deleted_users)
"""

Progress = Callable[[str], None]


def engagement_summary_refresh() -> ViewRefresh:
    """Refresh ``user_engagement_summary`` (concurrently) and record when."""
    return refresh_materialized_view(ENGAGEMENT_VIEW)


def personas_analyze_due(*, progress: Progress | None = None) -> int:
    """Analyse every user with new behaviour since their last analysis; returns how many."""
    due = users_with_new_behaviour()
    for index, user in enumerate(get_user_model().objects.filter(pk__in=due), start=1):
        persona_analyze(user=user)
        if progress is not None:
            progress(f"analysed {index}/{len(due)} users")
    return len(due)


def tag_clusters_run(*, progress: Progress | None = None) -> int:
    """Re-cluster the tags of every user with tagged events in the last 90 days."""
    since = timezone.now() - timedelta(days=CLUSTER_DAYS)
    ids = list(
        UserBehavior.objects.filter(created_at__gte=since)
        .filter(Q(metadata__has_key="tags") | Q(context__has_key="tags"))
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    for index, user in enumerate(get_user_model().objects.filter(pk__in=ids), start=1):
        tag_clusters_build(user=user, events=behaviour_events(user=user, weeks=CLUSTER_DAYS // 7))
        if progress is not None:
            progress(f"clustered {index}/{len(ids)} users")
    return len(ids)


def dreamscape_user_erase(user: Any) -> dict[str, int]:
    """GDPR erase hook: the seed's persona anonymisation (the account is in ``deleted_users``
    by now), profiles, clusters and suggestions deleted, and behaviour detached from the person
    (what, which item, its context) while counts, types, durations and times stay for the
    aggregates."""
    with connection.cursor() as cursor:
        cursor.execute(ANONYMISE_SQL)
    detached = UserBehavior.objects.filter(user=user).update(
        item_id=None, context=None, metadata=None
    )
    deleted = {
        "learning_profiles": LearningProfile.objects.filter(user=user).delete()[0],
        "tag_clusters": TagCluster.objects.filter(user=user).delete()[0],
        "suggestions": DreamscapeSuggestion.objects.filter(user=user).delete()[0],
    }
    return {"behaviours_detached": detached, **deleted}
