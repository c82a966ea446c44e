"""The caller's statistics, read from the cache; a miss (or a current period older than
``AURUM_STATISTICS_FRESH_SECONDS``) is computed and stored first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from aurum.models import UserStatisticsCache
from aurum.selectors.scoring import clock_of
from aurum.services.statistics import period_of, statistics_store

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def statistics_read(
    *, user: AbstractBaseUser, stat_type: str, day: date | None = None
) -> tuple[UserStatisticsCache, bool]:
    """The cache row of the period of ``stat_type`` holding ``day`` (today by default), and
    whether it came from the cache. Past periods are cached for good (a rebuild redoes them);
    the current one is recomputed once its row is older than the freshness setting."""
    clock = clock_of(user=user)
    period = period_of(stat_type, day or clock.today, clock)
    row = UserStatisticsCache.objects.filter(
        user=user, stat_type=stat_type, stat_date=period.first_day
    ).first()
    still_running = clock.now < period.end
    fresh_since = timezone.now() - timedelta(seconds=settings.AURUM_STATISTICS_FRESH_SECONDS)
    if row is not None and not (still_running and row.updated_at < fresh_since):
        return row, True
    return statistics_store(user=user, stat_type=stat_type, day=period.first_day), False
