"""``manage.py dreamscape_maintenance <job>``: what beat runs, on demand, with progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dreamscape.services import behaviors, maintenance, suggestions

JOBS = ("partitions", "retention", "refresh", "personas", "clusters", "suggestions")


class Command(BaseCommand):
    help = (
        "Run Dreamscape's scheduled work now: partitions (drain the DEFAULT partition, make "
        "months ahead), retention (drop old months), refresh (engagement view), personas "
        "(analyse users with new events), clusters (re-cluster tags), suggestions (expire)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("jobs", nargs="*", help=f"any of {', '.join(JOBS)}; default: all")

    def handle(self, *args: Any, jobs: list[str], **options: Any) -> None:
        if unknown := sorted(set(jobs) - set(JOBS)):
            raise CommandError(f"unknown job(s) {unknown}; choose from {', '.join(JOBS)}")
        for job in jobs or JOBS:
            self.stdout.write(f"{job}…")
            self.stdout.write(f"  {getattr(self, f'run_{job}')()}")

    def progress(self, line: str) -> None:
        self.stdout.write(f"  {line}")

    def run_partitions(self) -> Any:
        return behaviors.behavior_partitions_upkeep().as_dict()

    def run_retention(self) -> Any:
        return behaviors.behavior_retention_apply().as_dict()

    def run_refresh(self) -> Any:
        result = maintenance.engagement_summary_refresh()
        return f"refreshed={result.refreshed} in {result.duration_ms} ms"

    def run_personas(self) -> Any:
        return f"{maintenance.personas_analyze_due(progress=self.progress)} user(s) analysed"

    def run_clusters(self) -> Any:
        return f"{maintenance.tag_clusters_run(progress=self.progress)} user(s) clustered"

    def run_suggestions(self) -> Any:
        return suggestions.suggestions_expire()
