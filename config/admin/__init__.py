"""The platform's admin: theme, base classes, display helpers, dashboard and Celery screens.

Django's admin autodiscovery imports this package as the ``admin`` module of the ``config``
app; once models are loaded, that import registers the Celery screens and dashboard cards.
``config.settings`` imports ``config.admin.theme`` much earlier (models not loaded), so the
registration is also triggered from ``PlatformConfig.ready()``, whichever comes first.
"""

from django.apps import apps


def register() -> None:
    """Register the platform's admin screens and dashboard cards (idempotent)."""
    from django.contrib import admin

    from config.admin import celery, dashboard  # noqa: F401

    admin.site.index_title = "Dashboard"


if apps.models_ready:
    register()
