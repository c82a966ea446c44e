from django.core.management.base import BaseCommand

from dreamshot.services.budgets import budget_alerts_check


class Command(BaseCommand):
    help = "Record a budget alert for every user whose spend this month passed their threshold."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("dreamshot: checking this month's spend per user…")
        self.stdout.write(f"{budget_alerts_check()} users over their alert threshold")
