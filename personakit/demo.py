"""PersonaKit's demo data: an API key for the first demo account, shown once."""

from collections.abc import Callable

from django.contrib.auth import get_user_model

from personakit.models import ApiKey
from personakit.services import api_key_issue

DEMO_KEY_OWNER = "ada"


def seed_demo(log: Callable[[str], None]) -> None:
    owner = get_user_model().objects.filter(username=DEMO_KEY_OWNER).first()
    if owner is None:
        log(f"no account {DEMO_KEY_OWNER!r}; skipping the demo API key")
        return
    existing = ApiKey.objects.filter(user=owner, name="demo", is_active=True).first()
    if existing:
        log(
            f"demo API key of {DEMO_KEY_OWNER} exists ({existing.prefix}…); issue another with "
            f"`manage.py create_api_key {DEMO_KEY_OWNER}`"
        )
        return
    issued = api_key_issue(user=owner, name="demo")
    log(f"demo API key of {DEMO_KEY_OWNER} (shown once): {issued.raw_key}")
