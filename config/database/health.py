"""Sections of the staff "database health" page (``config.registries.database_health``).

Importing this module registers the platform's own sections: foreign-key ON DELETE drift,
row-level security and partitioned tables, each found in the database by itself. Apps
register what only they know, e.g. how fresh their materialized views must be::

    database_health.register(
        materialized_views_section(
            name="aurum.materialized_views",
            views=["aurum.daily_stats"],
            stale_after=timedelta(minutes=30),
            system="Aurum Life",
        )
    )
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.timezone import localtime

from config.admin.display import plural, time_ago
from config.database.matviews import ViewFreshness, materialized_view_freshness
from config.database.on_delete import foreign_key_rules, lucid_models, unmodelled_foreign_keys
from config.database.partitions import add_months, list_partitions, month_start, partitioned_tables
from config.registries import HealthReport, HealthRow, HealthSection, database_health

_POLICIES_SQL = """
SELECT p.schemaname || '.' || p.tablename, c.relrowsecurity,
       string_agg(p.policyname || ' (' || p.cmd || ' to ' || array_to_string(p.roles, ', ') || ')',
                  '; ' ORDER BY p.policyname)
FROM pg_policies p
JOIN pg_class c ON c.oid = format('%I.%I', p.schemaname, p.tablename)::regclass
GROUP BY 1, 2
ORDER BY 1
"""


def materialized_views_section(
    *,
    name: str,
    views: Sequence[str],
    stale_after: timedelta,
    system: str,
    title: str = "Materialized views",
    order: int = 100,
) -> HealthSection:
    """A section listing ``views`` with their last refresh; older than ``stale_after`` (or
    never refreshed, or missing) is a problem."""

    def report() -> HealthReport:
        found = {view.view: view for view in materialized_view_freshness(views)}
        rows = []
        for view_name in views:
            view = found.get(view_name)
            if view is None:
                rows.append(HealthRow((view_name, "—", "—", "—"), problem="missing"))
                continue
            rows.append(
                HealthRow(
                    (
                        view_name,
                        _when(view.refreshed_at),
                        "—" if view.duration_ms is None else f"{view.duration_ms} ms",
                        filesizeformat(view.size_bytes),
                    ),
                    problem=_view_problem(view, stale_after),
                )
            )
        return HealthReport(
            columns=("View", "Last refreshed", "Took", "Size"),
            rows=tuple(rows),
            summary=f"Stale when not refreshed for {_span(stale_after)}.",
        )

    return HealthSection(name=name, title=title, report=report, system=system, order=order)


def _view_problem(view: ViewFreshness, stale_after: timedelta) -> str:
    if not view.populated:
        return "not populated"
    if view.refreshed_at is None:
        return "never refreshed"
    return "stale" if timezone.now() - view.refreshed_at > stale_after else ""


def _span(duration: timedelta) -> str:
    now = timezone.now()
    return timesince(now - duration, now)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return f"{time_ago(moment)} ({date_format(localtime(moment), 'DATETIME_FORMAT')})"


def on_delete_report() -> HealthReport:
    """Foreign keys whose database ON DELETE differs from their model's ``on_delete``."""
    rules = foreign_key_rules(lucid_models())
    rows = [
        HealthRow(
            (rule.table, rule.column, rule.model, rule.expected, rule.actual or "no constraint"),
            problem="differs from on_delete",
        )
        for rule in rules
        if rule.drifts
    ]
    rows += [
        HealthRow((table, constraint, "—", "—", "—"), problem="no model declares it")
        for table, constraint in unmodelled_foreign_keys()
    ]
    return HealthReport(
        columns=("Table", "Column", "Model", "on_delete implies", "Database has"),
        rows=tuple(rows),
        summary=f"{plural(len(rules), 'foreign key')} checked, {len(rows)} to fix"
        + ("; an app migration ending in ApplyOnDeleteRules() fixes them." if rows else "."),
    )


def row_level_security_report() -> HealthReport:
    """Tables with row-level security policies, and whether it is switched on."""
    with connection.cursor() as cursor:
        cursor.execute(_POLICIES_SQL)
        tables = cursor.fetchall()
    return HealthReport(
        columns=("Table", "Row-level security", "Policies"),
        rows=tuple(
            HealthRow(
                (table, "on" if enabled else "off", policies),
                problem="" if enabled else "policies without row-level security",
            )
            for table, enabled, policies in tables
        ),
        summary=f"{plural(len(tables), 'table')} with policies; API requests read them as "
        "their caller.",
    )


def partitions_report() -> HealthReport:
    """Every partition of the apps' partitioned tables; a table without next month's
    partition is a problem (its rows would fail, or land in a DEFAULT partition)."""
    next_month = add_months(month_start(timezone.now().date()), 1)
    tables = partitioned_tables([*settings.LUCID_APPS, "public"])
    rows = []
    for table in tables:
        partitions = list_partitions(table)
        uppers = [partition.upper for partition in partitions if partition.upper]
        if not uppers or max(uppers) <= next_month:
            rows.append(HealthRow((table, "—", "—", "—", "—"), problem="next month missing"))
        rows += [
            HealthRow(
                (
                    table,
                    partition.name,
                    partition.bound,
                    filesizeformat(partition.size_bytes),
                    partition.row_estimate,
                )
            )
            for partition in partitions
        ]
    return HealthReport(
        columns=("Table", "Partition", "Range", "Size", "Rows (estimate)"),
        rows=tuple(rows),
        summary=f"{plural(len(tables), 'partitioned table')}; beat makes months ahead and "
        "retention drops (or archives) old ones.",
    )


for _order, (_name, _title, _report) in enumerate(
    [
        ("platform.on_delete_rules", "Foreign-key ON DELETE rules", on_delete_report),
        ("platform.row_level_security", "Row-level security", row_level_security_report),
        ("platform.partitions", "Partitioned tables", partitions_report),
    ],
    start=1,
):
    database_health.register(
        HealthSection(name=_name, title=_title, report=_report, order=_order * 10)
    )
