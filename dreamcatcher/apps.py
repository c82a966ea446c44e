from django.apps import AppConfig


class DreamcatcherConfig(AppConfig):
    """Dreams, fragments, todos, documents and PipelineOS sync; the account model."""

    name = "dreamcatcher"
    verbose_name = "Dreamcatcher"
    admin_icon = "bedtime"  # the sidebar's fallback for this system's models
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dreamcatcher import registrations  # noqa: F401  (fills the platform registries)
        from dreamcatcher.selectors import cache
        from dreamcatcher.services.vocabulary import ensure_default_brands_and_tags

        post_migrate.connect(ensure_default_brands_and_tags, sender=self)
        cache.connect_signals()  # any write to a summarised row drops the cached summaries
