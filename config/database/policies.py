"""Row-level security: the role API requests run as, its grants, and one owner policy per table.

An app's migration declares which of its tables hold per-user rows::

    operations = [
        grant_to_authenticated("aurum"),
        owner_policies("aurum", ["tasks", "journal_entries"]),
    ]

API requests then act as role ``authenticated`` with ``app.current_user_id`` set in their
transaction (``config.rls``); ``tables_with_policies()`` tells the API which tables those are.
The admin and Celery connect as the tables' owner, which the policies do not bind.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, migrations

from config.database import quote_qualified

ROLE = "authenticated"  # the role the policies bind; API requests act as it (config.rls)
CURRENT_USER_SETTING = "app.current_user_id"
# Where an API request came from, for triggers that record it (config.rls.Client).
REQUEST_IP_SETTING = "app.request_ip"
REQUEST_USER_AGENT_SETTING = "app.request_user_agent"
# The seeds' account table: every owner column references it, and API reads join it.
ACCOUNT_TABLE = "public.users"

_TABLES_WITH_POLICIES_SQL = """
SELECT n.nspname || '.' || c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
"""


def policy_name(table: str) -> str:
    return f"{table}_user_policy"


# Roles belong to the cluster, not the database: a migration or a restore creates it.
CREATE_ROLE_SQL = (
    f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
        CREATE ROLE {ROLE} NOLOGIN;
    END IF;
END
$$""",
    f"GRANT {ROLE} TO CURRENT_USER",  # so the application may SET ROLE to it
)


def grant_to_authenticated(schema: str) -> migrations.RunSQL:
    """Create the role (once per cluster) and let it use ``schema``'s tables and functions.

    Reversing revokes this schema's grants only: the role and its read of the account table
    serve the other schemas' policies too.
    """
    qn_schema = quote_qualified(schema)
    privileges = "SELECT, INSERT, UPDATE, DELETE"
    return migrations.RunSQL(
        sql=[
            *CREATE_ROLE_SQL,
            f"GRANT USAGE ON SCHEMA {qn_schema} TO {ROLE}",
            f"GRANT {privileges} ON ALL TABLES IN SCHEMA {qn_schema} TO {ROLE}",
            f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {qn_schema} TO {ROLE}",
            f"GRANT SELECT ON {quote_qualified(ACCOUNT_TABLE)} TO {ROLE}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {qn_schema} "
            f"GRANT {privileges} ON TABLES TO {ROLE}",
        ],
        reverse_sql=[
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {qn_schema} "
            f"REVOKE {privileges} ON TABLES FROM {ROLE}",
            f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {qn_schema} FROM {ROLE}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {qn_schema} FROM {ROLE}",
            f"REVOKE USAGE ON SCHEMA {qn_schema} FROM {ROLE}",
        ],
    )


def owner_policies_sql(
    schema: str, tables: Sequence[str], *, owner_column: str = "user_id"
) -> list[str]:
    """Row-level security on, and ``<table>_user_policy``: a row is visible to, and writable
    by, the account in ``owner_column``. Re-runnable (the policy is dropped and recreated)."""
    caller = f"NULLIF(current_setting('{CURRENT_USER_SETTING}', true), '')::uuid"
    statements = []
    for table in tables:
        qn_table = quote_qualified(f"{schema}.{table}")
        statements += [
            f"ALTER TABLE {qn_table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS {policy_name(table)} ON {qn_table}",
            f"CREATE POLICY {policy_name(table)} ON {qn_table}\n"
            f"    FOR ALL TO {ROLE}\n"
            f"    USING ({quote_qualified(owner_column)} = {caller})",
        ]
    return statements


def owner_policies(
    schema: str, tables: Sequence[str], *, owner_column: str = "user_id"
) -> migrations.RunSQL:
    """The reversible migration operation of ``owner_policies_sql()``."""
    reverse = []
    for table in reversed(tables):
        qn_table = quote_qualified(f"{schema}.{table}")
        reverse += [
            f"DROP POLICY IF EXISTS {policy_name(table)} ON {qn_table}",
            f"ALTER TABLE {qn_table} DISABLE ROW LEVEL SECURITY",
        ]
    return migrations.RunSQL(
        sql=owner_policies_sql(schema, tables, owner_column=owner_column), reverse_sql=reverse
    )


@functools.cache
def tables_with_policies(using: str = DEFAULT_DB_ALIAS) -> frozenset[str]:
    """``schema.table`` of every table with row-level security on and a policy (read once per
    process: policies change only by migration, and a deploy restarts the processes)."""
    with connections[using].cursor() as cursor:
        cursor.execute(_TABLES_WITH_POLICIES_SQL)
        return frozenset(name for (name,) in cursor.fetchall())
