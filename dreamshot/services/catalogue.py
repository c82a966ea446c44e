"""The AI model catalogue's starting rows, put back after a flush (tests, ``flush``)."""

from __future__ import annotations

import importlib
from typing import Any

CATALOGUE_MIGRATION = "dreamshot.migrations.0004_ai_model_catalogue"


def ai_models_ensure_catalogue(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: the catalogue of migration 0004 (rows kept, missing ones
    made; staff edits are not undone)."""
    if apps is None:  # flush sends no app registry: use the live one
        from django.apps import apps
    try:
        apps.get_model("dreamshot", "AiModel")
    except LookupError:  # migrating backwards past the table
        return
    importlib.import_module(CATALOGUE_MIGRATION).load(apps, schema_editor=None)
