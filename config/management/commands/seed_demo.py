from django.core.management.base import BaseCommand
from django.db import transaction

from config.registries import demo_seeders


class Command(BaseCommand):
    help = "Load every app's demo data (idempotent: re-running adds nothing twice)."

    def handle(self, *args: object, **options: object) -> None:
        for seeder in demo_seeders:
            self.stdout.write(f"seeding {seeder.name} …")
            with transaction.atomic():
                seeder.seed(lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({len(demo_seeders)} seeders)."))
