"""``manage.py backup [--output FILE]``: the whole database into one pg_dump file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from config.database.backups import BackupError, backup_database, database_conninfo


class Command(BaseCommand):
    help = "Back up the database (every schema, pgvector included) with pg_dump."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: .data/backups/lucid-<UTC time>.dump).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = options["output"] or settings.DATA_DIR / "backups" / f"lucid-{stamp}.dump"
        try:
            path = backup_database(database_conninfo(), output, self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = path.stat().st_size / 1024 / 1024
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({size:.1f} MB)."))

    def _progress(self, line: str) -> None:
        self.stdout.write(f"  {line}")
