from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform itself: extensions, schedules and commands shared by the five apps."""

    name = "config"
    label = "lucid"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"
