"""Dreamshot models: see ../shared/seeds/INDEX.md for the specification."""
