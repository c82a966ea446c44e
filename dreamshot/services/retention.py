"""ai_tests' months: made ahead of the rows, and archived whole once older than the cutoff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.database.partitions import (
    archive_table_name,
    create_monthly_partitions,
    drop_partitions_before,
)

TABLE = "dreamshot.ai_tests"
ARCHIVE = archive_table_name(TABLE)


@dataclass(frozen=True)
class ArchiveResult:
    partitions: list[str]
    rows_before: int
    rows_after: int

    def as_dict(self) -> dict[str, object]:
        return {"partitions": self.partitions, "rows": self.rows_after}


def ai_test_partitions_create(*, start: date | None = None) -> list[str]:
    """This month's and the next ``DREAMSHOT_PARTITION_MONTHS_AHEAD`` months' partitions."""
    return create_monthly_partitions(
        TABLE, months_ahead=settings.DREAMSHOT_PARTITION_MONTHS_AHEAD, start=start
    )


def archive_cutoff(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=settings.DREAMSHOT_ARCHIVE_AFTER_DAYS)


def total_tests() -> int:
    """Rows in ai_tests and its archive together (archiving never changes it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT (SELECT count(*) FROM "dreamshot"."ai_tests") '
            '+ (SELECT count(*) FROM "dreamshot"."ai_tests_archive")'
        )
        return cursor.fetchone()[0]


def ai_tests_archive(*, cutoff: date | None = None) -> ArchiveResult:
    """Move every month wholly older than ``cutoff`` (default: DREAMSHOT_ARCHIVE_AFTER_DAYS
    ago) into ai_tests_archive and drop its partition, one month per transaction."""
    with connection.cursor() as cursor:
        # A partition cannot be dropped while deferred foreign-key checks of rows written
        # earlier in this transaction are pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    before = total_tests()
    archived = drop_partitions_before(TABLE, cutoff or archive_cutoff(), archive=True)
    return ArchiveResult(partitions=archived, rows_before=before, rows_after=total_tests())
