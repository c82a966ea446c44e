"""``manage.py backfill_embeddings``: (re-)embed missing and stale vectors of registered columns."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.embeddings import EmbeddingError, get_provider
from config.embeddings.backfill import backfill_all, pending_counts, registered_columns


class Command(BaseCommand):
    help = (
        "Embed rows of the registered embedding columns whose vector is missing or was made by "
        "another model than the current provider's. Safe to interrupt and re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--column",
            action="append",
            dest="columns",
            metavar="NAME",
            help="Only this registered column (repeatable); all columns by default.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=256,
            help="Rows embedded and written per batch (default 256).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the rows that need embedding.",
        )

    def handle(
        self, *args: Any, columns: list[str] | None, batch_size: int, dry_run: bool, **options: Any
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            selected = registered_columns(columns)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not selected:
            self.stdout.write("No embedding columns are registered; nothing to do.")
            return
        provider = get_provider()
        if dry_run:
            for name, count in pending_counts(names=columns, provider=provider).items():
                self.stdout.write(f"  {name}: {count} row(s) to embed with {provider.model_name}")
            return

        started = time.monotonic()
        self.stdout.write(f"Embedding with {provider.model_name}")
        try:
            results = backfill_all(
                self._print_progress, names=columns, provider=provider, batch_size=batch_size
            )
        except EmbeddingError as exc:
            raise CommandError(
                f"embedding failed: {exc}. Batches already written are kept; run again to resume."
            ) from exc
        for name, count in results.items():
            self.stdout.write(f"  {name}: {count} row(s) embedded")
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {sum(results.values())} row(s) in {len(results)} column(s) "
                f"in {time.monotonic() - started:.1f} s"
            )
        )

    def _print_progress(self, name: str, done: int, total: int) -> None:
        self.stdout.write(f"  {name}: {done}/{total} rows")
