"""Django's Redis cache, degrading instead of failing while Redis is unreachable.

Nothing in Lucid keeps data only in the cache, so a cache that cannot answer is a cache
that misses: reads return their default (the caller computes from the database), writes
and deletes report failure, and counters (the API throttle) count nothing, so throttling is
off until Redis returns. After a failure the cache stops calling Redis for
``CACHE_RETRY_SECONDS``, so a Redis that hangs costs one socket timeout per interval, not
one per call.

A delete that could not reach Redis would leave a stale entry behind once Redis is back
(it keeps its data on disk). So the first call that reaches Redis again after a failed
write or delete in this process empties the cache database first; the cache has a Redis
database of its own (``REDIS_CACHE_URL``), so Celery's queues are never touched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

logger = logging.getLogger(__name__)

REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

T = TypeVar("T")


class _Outage:
    """What this process knows of one Redis server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.missed_invalidation = False

    def failed(self, error: Exception, *, was_write: bool) -> None:
        with self.lock:
            if time.monotonic() >= self.down_until:
                logger.warning("cache: Redis unreachable (%s); serving without a cache", error)
            self.down_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
            self.missed_invalidation |= was_write

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until


# Per Redis server (every thread's cache instance for it shares what this process knows).
_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._outage = _outage_of(",".join(self._servers))

    def _attempt(self, call: Callable[[], Any], fallback: Any, *, write: bool = False) -> Any:
        """``call()``, or ``fallback`` while Redis is unreachable."""
        if self._outage.is_down():
            self._outage.missed_invalidation |= write
            return fallback
        try:
            if self._outage.missed_invalidation:
                self._empty_after_outage()
            return call()
        except REDIS_ERRORS as error:
            self._outage.failed(error, was_write=write)
            return fallback

    def _empty_after_outage(self) -> None:
        with self._outage.lock:
            if self._outage.missed_invalidation:
                super().clear()
                self._outage.missed_invalidation = False
                logger.warning("cache: Redis is back; emptied the cache of entries it may hold")

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._attempt(partial(super().get, key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._attempt(partial(super().get_many, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._attempt(partial(super().has_key, key, version), False)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._attempt(partial(super().add, key, value, timeout, version), False, write=True)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._attempt(partial(super().set, key, value, timeout, version), None, write=True)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        return self._attempt(
            partial(super().set_many, data, timeout, version), list(data), write=True
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._attempt(partial(super().touch, key, timeout, version), False, write=True)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._attempt(partial(super().delete, key, version), False, write=True)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._attempt(partial(super().delete_many, keys, version), None, write=True)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._attempt(partial(super().incr, key, delta, version), 0, write=True)

    def clear(self) -> bool:
        return self._attempt(super().clear, False, write=True)


def remember(key: str, timeout: int, compute: Callable[[], T]) -> T:
    """Cache-aside: the value cached under ``key``, else ``compute()``, stored for ``timeout``
    seconds (a ``None`` result is computed every time)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def forget_now_and_on_commit(keys: list[str]) -> None:
    """Drop ``keys`` at once (a read later in the same transaction is fresh) and again after
    commit (a reader who cached the old value between the write and its commit drops it)."""
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
