from django.apps import AppConfig


class DreamshotConfig(AppConfig):
    """Dreams tested against AI models and their impossibility decay."""

    name = "dreamshot"
    verbose_name = "Dreamshot"
    admin_icon = "rocket_launch"  # the sidebar's fallback for this system's models
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dreamshot import registrations  # noqa: F401  (fills the platform registries)
        from dreamshot.services.catalogue import ai_models_ensure_catalogue

        post_migrate.connect(ai_models_ensure_catalogue, sender=self)
