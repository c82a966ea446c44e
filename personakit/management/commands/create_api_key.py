from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from personakit.services.api_keys import api_key_issue


class Command(BaseCommand):
    help = "Issue an API key for a user and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="default", help="A label for the key.")
        parser.add_argument(
            "--expires", type=int, metavar="DAYS", help="Expire after DAYS days (default: never)."
        )

    def handle(self, *args: object, username: str, name: str, expires: int | None, **options):
        if expires is not None and expires < 1:
            raise CommandError("--expires must be a positive number of days.")
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        api_key = api_key_issue(user=user, data={"name": name, "expires_in_days": expires})
        expiry = f", expires {api_key.expires_at:%Y-%m-%d %H:%M} UTC" if expires else ""
        self.stdout.write(f"API key {name!r} for {username}{expiry}. Shown once; store it now:")
        self.stdout.write(api_key.raw_key)
