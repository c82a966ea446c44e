"""The seed's default brands and tags stay present after a ``flush``.

Migration 0006 inserts them; Django's ``flush`` (run after every transactional test, and by
``manage.py flush``) empties every table but re-emits ``post_migrate``, which re-inserts them
from the migration's own frozen values.
"""

import importlib
from typing import Any

DEFAULTS_MIGRATION = "dreamcatcher.migrations.0006_default_brands_and_tags"


def ensure_default_brands_and_tags(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    if apps is None:  # flush sends no app registry: use the live one
        from django.apps import apps
    try:
        apps.get_model("dreamcatcher", "Brand")
    except LookupError:  # migrating backwards past the tables
        return
    importlib.import_module(DEFAULTS_MIGRATION).insert_defaults(apps, schema_editor=None)
