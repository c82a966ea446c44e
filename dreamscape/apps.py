from django.apps import AppConfig


class DreamscapeConfig(AppConfig):
    """Behaviour tracking, personas, learning profiles, tag clusters and suggestions."""

    name = "dreamscape"
    verbose_name = "Dreamscape"
    admin_icon = "insights"  # the sidebar's fallback for this system's models
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dreamscape import registrations  # noqa: F401  (fills the platform registries)
