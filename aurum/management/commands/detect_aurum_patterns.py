"""``manage.py detect_aurum_patterns``: the weekly behaviour-pattern detection, on demand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aurum.management.commands.rescore_aurum_tasks import people
from aurum.selectors.scoring import users_of_aurum
from aurum.services.patterns import patterns_detect


class Command(BaseCommand):
    help = (
        "Detect the six behaviour patterns of each person from the last 90 days of time "
        "entries and tasks, replacing the active ones; one line per person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*", help="Only these people (default: all).")

    def handle(self, *args: Any, usernames: list[str], **options: Any) -> None:
        chosen = people(usernames, users_of_aurum())
        for index, user in enumerate(chosen, 1):
            found = patterns_detect(user=user)
            self.stdout.write(f"[{index}/{len(chosen)}] {user.username}: {found} pattern(s)")
        self.stdout.write(self.style.SUCCESS(f"Detected patterns of {len(chosen)} person(s)."))
