"""config.cache against a real Redis that is stopped and started again."""

import pytest

from config import embedded
from config.cache import ResilientRedisCache


@pytest.fixture
def own_redis(tmp_path, settings):
    settings.CACHE_RETRY_SECONDS = 0  # try Redis again on the very next call
    url = embedded.redis_url(tmp_path)
    yield url, tmp_path
    embedded.redis_stop(tmp_path)


def cache_at(url: str) -> ResilientRedisCache:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return ResilientRedisCache(url, {"KEY_PREFIX": "t", "OPTIONS": options})


def test_a_stopped_redis_is_a_cache_that_misses(own_redis):
    url, data_dir = own_redis
    cache = cache_at(url)
    cache.set("answer", 42)
    embedded.redis_stop(data_dir)

    assert cache.get("answer") is None
    assert cache.get("answer", "computed") == "computed"
    assert cache.get_many(["answer"]) == {}
    assert cache.add("new", 1) is False
    cache.set("other", 1)  # no error: the write is lost, as a cache's may be
    assert cache.incr("counter", 1) == 0


def test_a_delete_missed_during_the_outage_cannot_leave_a_stale_entry(own_redis):
    url, data_dir = own_redis
    cache = cache_at(url)
    cache.set("profile", "old name")
    embedded.redis_stop(data_dir)  # Redis saves "old name" to disk on the way down
    assert cache.delete("profile") is False  # the row changed; this invalidation is lost

    assert embedded.redis_url(data_dir) == url  # back on the same address
    assert cache.get("profile") is None  # the stale "old name" was emptied, not served
    cache.set("profile", "new name")
    assert cache.get("profile") == "new name"
