from django.conf import settings
from django.db.backends.base.introspection import TableInfo
from django.db.backends.postgresql import base, introspection


class DatabaseIntrospection(introspection.DatabaseIntrospection):
    def get_table_list(self, cursor) -> list[TableInfo]:
        """Also list the apps' schema tables, named as their models' ``db_table``."""
        tables = super().get_table_list(cursor)
        cursor.execute(
            """
            SELECT n.nspname || '"."' || c.relname,
                   CASE WHEN c.relispartition THEN 'p'
                        WHEN c.relkind IN ('m', 'v') THEN 'v'
                        ELSE 't' END
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('f', 'm', 'p', 'r', 'v') AND n.nspname = ANY(%s)
            """,
            [settings.LUCID_APPS],
        )
        return tables + [TableInfo(*row) for row in cursor.fetchall()]


class DatabaseWrapper(base.DatabaseWrapper):
    introspection_class = DatabaseIntrospection
