from django.apps import AppConfig


class DreamshotConfig(AppConfig):
    """Dreams tested against AI models and their impossibility decay."""

    name = "dreamshot"
    verbose_name = "Dreamshot"
    default_auto_field = "django.db.models.BigAutoField"
