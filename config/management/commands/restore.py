"""``manage.py restore FILE --yes``: replace the database with a backup, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from config.database.backups import BackupError, database_conninfo, restore_database


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by `manage.py backup`, in one "
        "transaction. Stop the web server and workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A backup file (pg_dump custom format).")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the database's current data is replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = connections["default"].settings_dict["NAME"]
        if not options["yes"]:
            raise CommandError(
                f"This replaces every row of database {name!r} with {options['file']}; "
                "run again with --yes to go ahead."
            )
        connections.close_all()  # our own session must not hold locks the restore needs
        try:
            restore_database(database_conninfo(), options["file"], self._progress)
        except BackupError as exc:
            raise CommandError(f"{exc}\nNothing was changed.") from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {options['file']} into {name!r}."))

    def _progress(self, line: str) -> None:
        self.stdout.write(f"  {line}")
