"""``manage.py cleanup_dreamcatcher``: the daily ``cleanup_old_data()``, on demand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dreamcatcher.services.maintenance import (
    COMPLETED_IMPLEMENTATION_RETENTION,
    SYNC_SESSION_RETENTION,
    old_data_cleanup,
)


class Command(BaseCommand):
    help = (
        f"Delete Dreamcatcher sync sessions older than {SYNC_SESSION_RETENTION} and completed "
        f"implementations older than {COMPLETED_IMPLEMENTATION_RETENTION}, then analyse the "
        "busy tables."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = old_data_cleanup()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {result.sync_sessions} sync session(s) older than "
                f"{SYNC_SESSION_RETENTION} and {result.implementations} completed "
                f"implementation(s) older than {COMPLETED_IMPLEMENTATION_RETENTION}."
            )
        )
