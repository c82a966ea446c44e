"""PersonaKit's contributions to the platform registries (imported from ``ready()``)."""

from config.registries import DemoSeeder, UserEraser, demo_seeders, user_erasers
from personakit import demo
from personakit.services import api_key_revoke_all

demo_seeders.register(DemoSeeder(name="personakit.api_keys", seed=demo.seed_demo, order=20))
user_erasers.register(
    UserEraser(name="personakit.api_keys", erase=lambda user: api_key_revoke_all(user=user))
)
