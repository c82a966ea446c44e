"""Reads of the seed's reports: dream statistics, user activity and dream summaries.

They come from the seed's views and SQL functions (``dreamcatcher/sql/``); the statistics
are cached (``dreamcatcher.selectors.cache``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from config.cache import remember
from config.database.matviews import last_refresh
from config.models import MaterializedViewRefresh
from dreamcatcher.models import Dream, DreamSummary, User, UserActivity
from dreamcatcher.selectors import cache
from dreamcatcher.services.maintenance import STATISTICS_VIEW


def function_row(sql: str, params: list[Any]) -> dict[str, Any] | None:
    """The first row of a query (a call of one of the seed's SQL functions), by column name."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column.name for column in cursor.description], row, strict=True))


def dream_statistics(*, dream_id: str) -> dict[str, Any] | None:
    """``get_dream_statistics(dream_id)``: counts of the dream's children and % of todos done.

    Cached per dream until a write to the dream or its children (``selectors.cache``);
    ``None`` when the dream does not exist (or, under row-level security, is not the caller's).
    """
    return remember(
        cache.dream_statistics_key(dream_id),
        cache.TIMEOUT_SECONDS,
        lambda: function_row(
            "SELECT * FROM dreamcatcher.get_dream_statistics(%s)", [str(dream_id)]
        ),
    )


def user_activity(*, user: User) -> UserActivity:
    """The user's row of view ``user_activity`` (every account has one)."""
    return UserActivity.objects.get(user=user)


def dream_summary(*, user: User) -> QuerySet[DreamSummary]:
    """The user's rows of view ``dream_summary``.

    The view has no owner column and runs with its owner's rights (row-level security does
    not reach through it), so it is filtered by the user's dream ids, given as a list: a
    constant list is pushed down into the view's GROUP BY, a subquery would not be.
    """
    dream_ids = list(Dream.objects.filter(user=user).values_list("id", flat=True))
    return DreamSummary.objects.filter(id__in=dream_ids)


def dream_statistics_last_refresh() -> MaterializedViewRefresh | None:
    """When ``dream_statistics`` was last refreshed, and how long it took (None: never)."""
    return last_refresh(STATISTICS_VIEW)
