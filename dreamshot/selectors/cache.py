"""Cache-aside reads under the seed's keys and lifetimes, forgotten on the writes they sum up.

``user:{id}:dreams`` (the dashboard, 300 s), ``dream:{id}:progress`` (a dream's decay series
and status, 600 s), ``models:performance:stats`` (model comparison, 3600 s). A write forgets
its keys at once and again after commit, so a reader who cached between the write and its
commit does not keep stale numbers; Redis being down means reading the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from config.cache import forget_now_and_on_commit

USER_DREAMS_TTL = 300
DREAM_PROGRESS_TTL = 600
MODEL_STATS_TTL = 3600
MODEL_STATS_KEY = "models:performance:stats"


def user_dreams_key(user_id: object) -> str:
    return f"user:{user_id}:dreams"


def dream_progress_key(dream_id: str) -> str:
    return f"dream:{dream_id}:progress"


def forget(
    *, user_ids: Iterable[object] = (), dream_ids: Iterable[str] = (), model_stats: bool = False
) -> None:
    """Forget the dashboards of ``user_ids``, the progress of ``dream_ids`` and, if asked,
    the model comparison."""
    keys = [user_dreams_key(user_id) for user_id in set(user_ids)]
    keys += [dream_progress_key(dream_id) for dream_id in set(dream_ids)]
    if model_stats:
        keys.append(MODEL_STATS_KEY)
    forget_now_and_on_commit(keys)
