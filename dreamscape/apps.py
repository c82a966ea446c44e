from django.apps import AppConfig


class DreamscapeConfig(AppConfig):
    """Behaviour tracking, personas, learning profiles and suggestions."""

    name = "dreamscape"
    verbose_name = "Dreamscape"
    default_auto_field = "django.db.models.BigAutoField"
