from django.core.management.base import BaseCommand

from dreamshot.services.retest import dreams_retest


class Command(BaseCommand):
    help = "Queue re-tests of active dreams due for one, most impossible first, within budget."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("dreamshot: selecting dreams due for a re-test…")
        result = dreams_retest()
        self.stdout.write(
            f"queued {result.tests} tests in {result.batches} batches "
            f"(estimated {result.estimated_cost:.6f}); skipped {result.skipped or 'none'}"
        )
