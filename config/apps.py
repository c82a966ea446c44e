from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform itself: extensions, schedules and commands shared by the five apps."""

    name = "config"
    label = "lucid"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Settings import config.admin.theme before the registry is ready, so admin autodiscovery
        # finds config.admin already imported: register its Celery screens and cards here.
        from config import admin as platform_admin

        platform_admin.register()
