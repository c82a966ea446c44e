"""The embedded servers start on demand, are reused by later commands, and stop cleanly."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import redis

from config import embedded


@pytest.fixture
def data_dir(tmp_path):
    yield tmp_path
    embedded.stop_all(tmp_path)


def test_redis_starts_once_is_reused_and_stops(data_dir):
    with ThreadPoolExecutor(4) as pool:
        urls = set(pool.map(lambda _: embedded.redis_url(data_dir), range(4)))
    assert len(urls) == 1  # concurrent starters share one server
    (url,) = urls
    assert url.startswith("redis://127.0.0.1:")
    client = redis.Redis.from_url(url)
    client.set("k", "v")
    assert embedded.redis_url(data_dir) == url
    assert embedded.redis_stop(data_dir)
    with pytest.raises(redis.ConnectionError):
        client.ping()
    assert not embedded.redis_stop(data_dir)


def test_postgres_starts_once_across_processes_is_reused_and_stops(data_dir):
    code = (
        "import sys; from pathlib import Path; from config import embedded; "
        "print(embedded.postgres_url(Path(sys.argv[1])))"
    )
    starters = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", code, str(data_dir)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    urls = {starter.communicate(timeout=120)[0].strip() for starter in starters}
    assert len(urls) == 1, urls  # two commands at once: one server
    (url,) = urls
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == "lucid"
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        version = conn.execute("SELECT extversion FROM pg_extension WHERE extname='vector'")
        assert version.fetchone()[0].startswith("0.8")
        assert conn.execute("SHOW server_version").fetchone()[0].startswith("18")
    assert embedded.postgres_url(data_dir) == url
    assert embedded.postgres_stop(data_dir)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    assert not embedded.postgres_stop(data_dir)
