"""``manage.py archive_aurum_conversations``: the monthly conversation archive, on demand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aurum.services.conversations import conversations_archive


class Command(BaseCommand):
    help = (
        "Archive conversation memory older than AURUM_CONVERSATION_ARCHIVE_DAYS (or --days): "
        "it stays readable but leaves search and retrieved context."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Older than this many days.")

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        days = settings.AURUM_CONVERSATION_ARCHIVE_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        archived = conversations_archive(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(
            f"Archived {archived} message(s) older than {days} day(s)."))  # fmt: skip
