"""The app-defined models the platform works with, named by settings the way Django names the
account model by ``AUTH_USER_MODEL``: ``LUCID_API_KEY_MODEL`` and ``LUCID_OUTBOX_MODEL``.

``config`` reaches them only through these accessors (and ``get_user_model()``), so no module
of the platform names an app; ``tests/test_platform_boundaries.py`` holds it to that.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model


def get_api_key_model() -> type[Model]:
    """The API-key model, ``settings.LUCID_API_KEY_MODEL``."""
    return _model_named_by("LUCID_API_KEY_MODEL")


def get_outbox_model() -> type[Model]:
    """The outbox's task model, ``settings.LUCID_OUTBOX_MODEL``."""
    return _model_named_by("LUCID_OUTBOX_MODEL")


def _model_named_by(setting: str) -> type[Model]:
    label = getattr(settings, setting)
    try:
        return apps.get_model(label, require_ready=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"{setting} must be of the form 'app_label.ModelName', not {label!r}"
        ) from None
    except LookupError:
        raise ImproperlyConfigured(
            f"{setting} refers to the model {label!r}, which is not installed"
        ) from None
