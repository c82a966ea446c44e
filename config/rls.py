"""Row-level security for API requests.

Tables with policies ``TO authenticated USING (user_id = current_setting('app.current_user_id'))``
are read and written by API requests as that role, with the caller's id set, inside the
request's transaction (``ATOMIC_REQUESTS``): a query without a WHERE clause still sees only
the caller's rows. The admin and Celery stay the tables' owner, which the policies do not bind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

ROLE = "authenticated"


def enter(user: Any, using: str = DEFAULT_DB_ALIAS) -> None:
    """From here to ``leave()`` (or the transaction's end), act as ``user`` under the policies."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("row-level security needs a transaction (ATOMIC_REQUESTS)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.current_user_id', %s, true)", [str(user.pk)])
        cursor.execute(f"SET LOCAL ROLE {ROLE}")


def leave(using: str = DEFAULT_DB_ALIAS) -> None:
    """Back to the connection's own role; an aborted transaction undoes both on rollback."""
    connection = connections[using]
    if connection.needs_rollback or connection.connection is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT set_config('app.current_user_id', '', true)")


@contextmanager
def acting_as(user: Any, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    enter(user, using)
    try:
        yield
    finally:
        leave(using)
