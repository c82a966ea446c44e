"""Beat's scheduler: django-celery-beat's database schedule, sent by one beat at a time.

More than one beat may run (one per machine, or ``celery worker -B`` on several workers)
so that losing a machine does not stop the schedule. A lease in Redis elects which one
sends: ``SET key token NX PX ttl``, renewed by its holder on every tick. The others keep
ticking without sending and take the lease over once it is released or has lapsed.

A lease cannot be perfect: a leader frozen for longer than the TTL in the middle of a
tick may still send once after another beat has taken over. Tasks are idempotent for
that reason, and the renewal at the start of every tick (beat sends at most one task per
tick) keeps the window to a single tick.
"""

from __future__ import annotations

import os
import socket
import uuid

import redis
from celery.utils.log import get_logger
from django_celery_beat.schedulers import DatabaseScheduler

logger = get_logger(__name__)

# Extend or delete only while the key still holds our token: once our lease has lapsed
# the key may belong to another beat, and a plain PEXPIRE/DEL would steal or free it.
_RENEW = """
if redis.call("GET", KEYS[1]) == ARGV[1] then
    return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call("GET", KEYS[1]) == ARGV[1] then
    return redis.call("DEL", KEYS[1])
end
return 0
"""


class LeaderElectedScheduler(DatabaseScheduler):
    """A ``DatabaseScheduler`` that sends due tasks only while it holds the leader lease.

    The lease lives in the broker's Redis (``app.conf.broker_url``), under ``lock_key``;
    ``lock_key`` and ``lock_ttl`` (seconds) may be given to the constructor.
    """

    lock_key = "lucid:beat:leader"
    lock_ttl = 30.0
    redis_timeout = 5.0  # a hung Redis call must not outlast the lease it is renewing

    def __init__(self, *args, lock_key: str | None = None, lock_ttl: float | None = None, **kwargs):
        self.lock_key = lock_key or self.lock_key
        # Host and pid make "who leads?" answerable with a GET on the key.
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.is_leader = False
        self._redis: redis.Redis | None = None
        super().__init__(*args, **kwargs)
        # The leader renews once per tick and ticks are at most max_interval apart: the
        # lease survives a slow tick or two, and a dead leader's lapses soon after.
        self.lock_ttl = max(lock_ttl or self.lock_ttl, 3 * self.max_interval)
        # A new leader decides what is due from last_run_at in the database; saving it after
        # every send (instead of every 3 minutes) keeps a failover from sending it again.
        self.sync_every_tasks = 1

    @property
    def info(self) -> str:
        return f"    . leader lock -> {self.lock_key} (ttl {self.lock_ttl:g}s)"

    def install_default_entries(self, data):
        # Result retention is "platform: clean up task results", created by a migration;
        # beat's implicit 04:00 celery.backend_cleanup entry would do the same work again.
        pass

    def tick(self, *args, **kwargs) -> float:
        if not self._lead():
            return self.max_interval  # a follower only retries the lease
        return super().tick(*args, **kwargs)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()

    # --- the lease --------------------------------------------------------------------------

    @property
    def redis(self) -> redis.Redis:
        if self._redis is None:
            self._redis = redis.Redis.from_url(
                self.app.conf.broker_url,
                socket_timeout=self.redis_timeout,
                socket_connect_timeout=self.redis_timeout,
            )
        return self._redis

    @property
    def _ttl_ms(self) -> int:
        return int(self.lock_ttl * 1000)

    def _lead(self) -> bool:
        """Renew our lease, or take a free one; return whether this beat may send now."""
        try:
            if self.is_leader and not self._renew():
                self._step_down("its lease lapsed and may belong to another beat now")
            # Our own lease may have outlived a Redis restart (it keeps its data on disk).
            if not self.is_leader and (
                self.redis.set(self.lock_key, self.token, nx=True, px=self._ttl_ms) or self._renew()
            ):
                self._take_over()
        except redis.RedisError as exc:
            # Nobody can prove leadership without Redis; sending anyway risks doubles.
            if self.is_leader:
                self._step_down(f"Redis did not answer ({exc})")
            else:
                logger.debug("beat: cannot reach Redis for the leader lease: %s", exc)
        return self.is_leader

    def _renew(self) -> bool:
        renew = self.redis.register_script(_RENEW)  # EVALSHA, loading the script if needed
        return bool(renew(keys=[self.lock_key], args=[self.token, self._ttl_ms]))

    def _take_over(self) -> None:
        self.is_leader = True
        # Another leader may have sent tasks since this beat last read the schedule:
        # re-read last_run_at from the database before deciding what is due.
        self._initial_read = True
        self._heap = None
        logger.info(
            "beat: %s is now the leader (lock %s, ttl %gs)",
            self.token,
            self.lock_key,
            self.lock_ttl,
        )

    def _step_down(self, reason: str) -> None:
        self.is_leader = False
        logger.warning("beat: %s is no longer the leader: %s", self.token, reason)

    def _release(self) -> None:
        if self.is_leader:
            self.is_leader = False
            try:
                release = self.redis.register_script(_RELEASE)
                release(keys=[self.lock_key], args=[self.token])
                logger.info("beat: %s released the leader lock", self.token)
            except redis.RedisError as exc:
                logger.warning(
                    "beat: could not release the leader lock (%s); it lapses in %gs",
                    exc,
                    self.lock_ttl,
                )
        if self._redis is not None:
            self._redis.close()
            self._redis = None
