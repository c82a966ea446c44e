from django.apps import AppConfig


class DreamcatcherConfig(AppConfig):
    """Dreams, fragments, todos, documents and PipelineOS sync; the account model."""

    name = "dreamcatcher"
    verbose_name = "Dreamcatcher"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dreamcatcher import registrations  # noqa: F401  (fills the platform registries)
