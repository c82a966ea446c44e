"""Health checks behind ``/healthz`` (everything) and ``/readyz`` (can serve requests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

HEARTBEAT_KEY = "heartbeat:worker"


def check_database() -> dict[str, Any]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    return {"ok": True, "pgvector": row[0] if row else None}


def check_redis() -> dict[str, Any]:
    client = cache._cache.get_client(write=True)  # the configured Redis
    return {"ok": bool(client.ping())}


def check_migrations() -> dict[str, Any]:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {"ok": not plan, "pending": [f"{m.app_label}.{m.name}" for m, _ in plan]}


def worker_heartbeat() -> dict[str, Any]:
    """When a worker last ran the heartbeat task beat sends it (information, not a failure)."""
    seen = cache.get(HEARTBEAT_KEY)
    age = (timezone.now() - seen).total_seconds() if seen else None
    return {"ok": True, "last_seen": seen.isoformat() if seen else None, "age_seconds": age}


def _run(checks: dict[str, Callable[[], dict[str, Any]]]) -> JsonResponse:
    results: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )


# Not in a request transaction: each check must run, and report, even with the database down.
@transaction.non_atomic_requests
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return _run(
        {
            "database": check_database,
            "redis": check_redis,
            "migrations": check_migrations,
            "worker": worker_heartbeat,
        }
    )


@transaction.non_atomic_requests
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    return _run({"database": check_database, "redis": check_redis})
