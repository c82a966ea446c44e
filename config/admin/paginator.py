"""Admin pagination that never runs ``COUNT(*)`` over a whole big table.

An unfiltered changelist over a table of millions of rows would otherwise scan the table on
every page view just to print the total. For those, the planner's own statistics
(``pg_class.reltuples``, kept by ``ANALYZE``/autovacuum) give the total instead; filtered
lists, small tables and tables never analysed are counted exactly.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property

# Relation kinds whose rows live in their own storage (plain and materialized tables).
# Partitioned parents ('p') hold no rows: their partitions are summed instead.
_STORED_RELKINDS = {"r", "m"}

_ESTIMATE_SQL = """
WITH RECURSIVE tree(oid) AS (
    SELECT to_regclass(%s)::oid
    UNION ALL
    SELECT inh.inhrelid FROM pg_inherits inh JOIN tree ON inh.inhparent = tree.oid
)
SELECT c.relkind, c.reltuples, c.relpages, pg_relation_size(c.oid),
       current_setting('block_size')::int
FROM tree JOIN pg_class c ON c.oid = tree.oid
"""


def estimated_row_count(db_table: str, *, using: str = "default") -> int | None:
    """The planner's row estimate for ``db_table``, or None when it has no usable estimate.

    ``db_table`` is a model's ``db_table`` (``'schema"."table'`` works: it is quoted into
    ``"schema"."table"``). Partitioned and inherited tables sum their children.
    Like the planner, the analysed density (rows per page) is scaled to the table's current
    size, so the estimate follows growth between two ``ANALYZE`` runs. Returns None for
    views, foreign tables, unknown relations and tables with data but never analysed.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_ESTIMATE_SQL, [connection.ops.quote_name(db_table)])
        relations = cursor.fetchall()
    if not relations:  # to_regclass() found nothing
        return None
    total = 0.0
    stored = 0
    for relkind, reltuples, relpages, size_bytes, block_size in relations:
        if relkind == "p":
            continue
        if relkind not in _STORED_RELKINDS:
            return None
        stored += 1
        if size_bytes == 0:
            continue  # empty, whatever the statistics say (e.g. a fresh future partition)
        if reltuples < 0 or relpages == 0:
            return None  # rows on disk but never analysed: no density to go by
        total += reltuples / relpages * (size_bytes / block_size)
    return round(total) if stored else None


def is_unfiltered(queryset: QuerySet) -> bool:
    """True if ``queryset`` returns every row of its table exactly once."""
    query = queryset.query
    return not (
        query.where
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
    )


class EstimatedCountPage(Page):
    def has_next(self) -> bool:
        # Past an estimated total there may still be rows; an empty page ends the list.
        if self.paginator.count_is_estimate:
            return len(self.object_list) == self.paginator.per_page
        return super().has_next()


class EstimatedCountPaginator(Paginator):
    """A paginator whose ``count`` is the planner estimate for big unfiltered tables.

    Used by ``LucidModelAdmin``. ``count_is_estimate`` tells templates to print "≈".
    Pages beyond an estimated total are served (they may hold rows the estimate missed)
    rather than rejected.
    """

    estimate_threshold = 100_000
    template_name = "admin/lucid/pagination.html"

    def __init__(self, object_list: Any, per_page: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_is_estimate = False

    @cached_property
    def count(self) -> int:
        estimate = self._estimate()
        if estimate is not None and estimate >= self.estimate_threshold:
            self.count_is_estimate = True
            return estimate
        return Paginator.count.func(self)

    @property
    def count_display(self) -> str:
        """The total with thousands separators, "≈"-prefixed when estimated."""
        total = number_format(self.count, force_grouping=True)
        return f"≈ {total}" if self.count_is_estimate else total

    def _estimate(self) -> int | None:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or not is_unfiltered(queryset):
            return None
        return estimated_row_count(queryset.model._meta.db_table, using=queryset.db)

    def validate_number(self, number: Any) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.count_is_estimate and int(number) > 1:
                return int(number)
            raise

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.count_is_estimate:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def _get_page(self, *args: Any, **kwargs: Any) -> Page:
        return EstimatedCountPage(*args, **kwargs)
