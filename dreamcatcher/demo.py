"""Dreamcatcher's demo data: the demo accounts every other app's demo data belongs to."""

from collections.abc import Callable

from django.contrib.auth import get_user_model

DEMO_ACCOUNTS = [
    ("ada", "Ada Lovelace", {"theme": "dark", "timezone": "Europe/London"}),
    ("grace", "Grace Hopper", {"theme": "light", "timezone": "America/New_York"}),
    ("linus", "Linus Pauling", {"theme": "light", "timezone": "America/Los_Angeles"}),
]


def seed_demo(log: Callable[[str], None]) -> None:
    User = get_user_model()
    for username, full_name, preferences in DEMO_ACCOUNTS:
        _, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "full_name": full_name,
                "preferences": preferences,
                "is_verified": True,
            },
        )
        log(f"account {username}: {'created' if created else 'exists'}")
