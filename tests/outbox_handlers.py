"""Outbox handlers for tests, importable by the test process and by a drainer subprocess.

Effects go to ``outbox_test_effects`` (created by :func:`create_effects_table`): one row
per payload ``key`` whose ``n`` counts how often the effect was applied, so a double run
shows as ``n = 2``.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import connection

from config.registries import OutboxHandler, outbox_handlers

EFFECT_TASK = "test.record_effect"
FAILING_TASK = "test.failing"
EFFECTS_TABLE = "outbox_test_effects"


def create_effects_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {EFFECTS_TABLE} (key uuid PRIMARY KEY, n int)")
        cursor.execute(f"TRUNCATE {EFFECTS_TABLE}")


def drop_effects_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {EFFECTS_TABLE}")


def effects() -> dict[str, int]:
    """Applied effects by key."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key::text, n FROM {EFFECTS_TABLE}")
        return dict(cursor.fetchall())


def record_effect(payload: dict) -> None:
    """Apply the task's effect (``n`` counts the applications)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EFFECTS_TABLE} (key, n) VALUES (%s, 1) "
            "ON CONFLICT (key) DO UPDATE SET n = {table}.n + 1".format(table=EFFECTS_TABLE),
            [payload["key"]],
        )


def record_effect_then_stall(payload: dict) -> None:
    """For the doomed drainer only: apply the effect, then keep it uncommitted for
    ``stall_seconds``."""
    record_effect(payload)
    time.sleep(payload.get("stall_seconds", 0))


def record_effect_then_fail(payload: dict) -> None:
    """Writes an effect, then raises: the write must roll back with the failure."""
    record_effect(payload)
    raise RuntimeError(f"boom {payload['key']}")


@contextmanager
def registered(max_failing_attempts: int = 3):
    """Register the test handlers for the duration of the block."""
    outbox_handlers.register(OutboxHandler(name=EFFECT_TASK, handle=record_effect))
    outbox_handlers.register(
        OutboxHandler(
            name=FAILING_TASK, handle=record_effect_then_fail, max_attempts=max_failing_attempts
        )
    )
    try:
        yield
    finally:
        outbox_handlers.unregister(EFFECT_TASK)
        outbox_handlers.unregister(FAILING_TASK)
