from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from config.database.partitions import list_partitions
from dreamshot.services.retention import TABLE, ai_tests_archive, archive_cutoff


class Command(BaseCommand):
    help = "Move ai_tests' months older than DREAMSHOT_ARCHIVE_AFTER_DAYS into ai_tests_archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", type=date.fromisoformat, help="Cutoff date (YYYY-MM-DD).")

    def handle(self, *args: object, before: date | None = None, **options: object) -> None:
        cutoff = before or archive_cutoff()
        due = [p.name for p in list_partitions(TABLE) if p.upper and p.upper <= cutoff]
        self.stdout.write(f"archiving {len(due)} months before {cutoff}: {', '.join(due) or '—'}")
        result = ai_tests_archive(cutoff=cutoff)
        self.stdout.write(
            f"archived {len(result.partitions)} months; tests in ai_tests and the archive: "
            f"{result.rows_before} before, {result.rows_after} after"
        )
