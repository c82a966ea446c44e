"""Dreamcatcher's contributions to the platform registries (imported from ``ready()``)."""

from config.registries import DemoSeeder, demo_seeders
from dreamcatcher import demo

demo_seeders.register(DemoSeeder(name="dreamcatcher.accounts", seed=demo.seed_demo, order=10))
