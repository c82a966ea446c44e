"""``manage.py refresh_dream_statistics``: what beat does every five minutes, on demand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dreamcatcher.services.maintenance import STATISTICS_VIEW, dream_statistics_refresh


class Command(BaseCommand):
    help = (
        f"Refresh the materialized view {STATISTICS_VIEW} concurrently (readers are not "
        "blocked) and record when; does nothing while another refresh is running."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = dream_statistics_refresh()
        if not result.refreshed:
            self.stdout.write(f"{STATISTICS_VIEW} is being refreshed elsewhere; skipped.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Refreshed {STATISTICS_VIEW} in {result.duration_ms} ms: "
                f"{result.row_count} row{'' if result.row_count == 1 else 's'}."
            )
        )
