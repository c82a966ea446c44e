"""``manage.py refresh_aurum_hierarchy``: what beat does hourly (and writes do, debounced)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aurum.services.hierarchy import HIERARCHY_VIEW, hierarchy_view_refresh


class Command(BaseCommand):
    help = (
        f"Refresh the materialized view {HIERARCHY_VIEW} concurrently (readers are not "
        "blocked) and record when; does nothing while another refresh is running."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = hierarchy_view_refresh()
        if not result["refreshed"]:
            self.stdout.write(f"{HIERARCHY_VIEW} is being refreshed elsewhere; skipped.")
            return
        how = "concurrently" if result["concurrently"] else "(first population)"
        self.stdout.write(
            self.style.SUCCESS(f"Refreshed {HIERARCHY_VIEW} {how} in {result['duration_ms']} ms.")
        )
