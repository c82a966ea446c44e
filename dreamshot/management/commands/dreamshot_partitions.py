from django.core.management.base import BaseCommand

from config.database.partitions import list_partitions
from dreamshot.services.retention import TABLE, ai_test_partitions_create


class Command(BaseCommand):
    help = "Make ai_tests' partitions for this month and the months ahead; list them all."

    def handle(self, *args: object, **options: object) -> None:
        created = ai_test_partitions_create()
        self.stdout.write(f"created {len(created)}: {', '.join(created) or 'none needed'}")
        for partition in list_partitions(TABLE):
            self.stdout.write(
                f"  {partition.name}  {partition.bound}  ~{partition.row_estimate} rows"
            )
