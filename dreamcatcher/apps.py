from django.apps import AppConfig


class DreamcatcherConfig(AppConfig):
    """Dreams, fragments, todos, documents and PipelineOS sync; the account model."""

    name = "dreamcatcher"
    verbose_name = "Dreamcatcher"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dreamcatcher import (
            cache,
            registrations,  # noqa: F401  (fills the platform registries)
        )
        from dreamcatcher.reference_data import ensure_default_brands_and_tags

        post_migrate.connect(ensure_default_brands_and_tags, sender=self)
        cache.connect_signals()  # any write to a summarised row drops the cached summaries
