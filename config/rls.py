"""Row-level security for API requests.

Tables with policies ``TO authenticated USING (user_id = current_setting('app.current_user_id'))``
are read and written by API requests as that role, with the caller's id set, inside the
request's transaction (``ATOMIC_REQUESTS``): a query without a WHERE clause still sees only
the caller's rows. The admin and Celery stay the tables' owner, which the policies do not bind.

Both settings, and the request's address and user agent (for triggers that record them),
are transaction-local and set by one statement; the request's transaction ends
them. Only when the request runs inside an enclosing transaction (a test, a caller's own
``atomic()``) does ``leave()`` switch them off again, also in one statement.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from config.database import table_name
from config.database.policies import (
    CURRENT_USER_SETTING,
    REQUEST_IP_SETTING,
    REQUEST_USER_AGENT_SETTING,
    ROLE,
    tables_with_policies,
)

_ENTER = (
    f"SELECT set_config('role', %s, true), set_config('{CURRENT_USER_SETTING}', %s, true), "
    f"set_config('{REQUEST_IP_SETTING}', %s, true), "
    f"set_config('{REQUEST_USER_AGENT_SETTING}', %s, true)"
)
_LEAVE = (
    f"SELECT set_config('role', 'none', true), set_config('{CURRENT_USER_SETTING}', '', true), "
    f"set_config('{REQUEST_IP_SETTING}', '', true), "
    f"set_config('{REQUEST_USER_AGENT_SETTING}', '', true)"
)
USER_AGENT_MAX_LENGTH = 500


@dataclass(frozen=True)
class Client:
    """Where a request came from, for database triggers that record it (audit logs): read as
    ``current_setting('app.request_ip', true)`` and ``…('app.request_user_agent', true)``,
    empty when unknown."""

    ip: str = ""
    user_agent: str = ""

    @classmethod
    def of(cls, request: Any) -> Client:
        meta = getattr(request, "META", {})
        try:
            ip = str(ipaddress.ip_address(meta.get("REMOTE_ADDR", "")))
        except ValueError:
            ip = ""
        agent = meta.get("HTTP_USER_AGENT", "")
        agent = "".join(ch for ch in agent if ch.isprintable())[:USER_AGENT_MAX_LENGTH]
        return cls(ip=ip, user_agent=agent)


def enter(user: Any, using: str = DEFAULT_DB_ALIAS, *, client: Client | None = None) -> bool:
    """Act as ``user`` under the policies until the transaction ends (or ``leave()``), with
    ``client`` (the request's address and user agent) visible to triggers.

    Returns whether ``leave()`` is needed: true inside an enclosing transaction, whose end
    would come too late.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("row-level security needs a transaction (ATOMIC_REQUESTS)")
    with connection.cursor() as cursor:
        client = client or Client()
        cursor.execute(_ENTER, [ROLE, str(user.pk), client.ip, client.user_agent])
    return bool(connection.savepoint_ids)


def leave(using: str = DEFAULT_DB_ALIAS) -> None:
    """Back to the connection's own role; an aborted transaction undoes both on rollback."""
    connection = connections[using]
    if connection.needs_rollback or connection.connection is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(_LEAVE)


@contextmanager
def acting_as(user: Any, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    enter(user, using)
    try:
        yield
    finally:
        leave(using)


def protects(model: type[Model]) -> bool:
    """Whether ``model``'s table has row-level security (its policies bind API requests)."""
    return table_name(model._meta.db_table) in tables_with_policies()
