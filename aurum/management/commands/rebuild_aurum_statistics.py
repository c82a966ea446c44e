"""``manage.py rebuild_aurum_statistics``: the daily statistics cache and counters, on demand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aurum.management.commands.rescore_aurum_tasks import people
from aurum.selectors.scoring import users_of_aurum
from aurum.services.statistics import statistics_rebuild


class Command(BaseCommand):
    help = (
        "Recompute each person's statistics cache (the day, week and month of today and "
        "yesterday) and their user_stats / user_profiles counters; one line per person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*", help="Only these people (default: all).")

    def handle(self, *args: Any, usernames: list[str], **options: Any) -> None:
        chosen = people(usernames, users_of_aurum())
        for index, user in enumerate(chosen, 1):
            rows = statistics_rebuild(user=user)
            self.stdout.write(f"[{index}/{len(chosen)}] {user.username}: {rows} cache row(s)")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt statistics of {len(chosen)} person(s)."))
