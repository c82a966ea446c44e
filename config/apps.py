import sys

from django.apps import AppConfig

# Decoding a jsonb value recurses once per level of nesting, and PostgreSQL stores values
# far deeper than the API accepts (API_JSON_MAX_DEPTH) when another writer put them there:
# room for such a value below the frames of a request, wherever it is read.
RECURSION_LIMIT = 4000


class PlatformConfig(AppConfig):
    """The platform itself: extensions, schedules and commands shared by the five apps."""

    name = "config"
    label = "lucid"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
        # Settings import config.admin.theme before the registry is ready, so admin autodiscovery
        # finds config.admin already imported: register its Celery screens and cards here.
        from config import admin as platform_admin
        from config.outbox import CELERY_SEND, send_kept_task
        from config.registries import OutboxHandler, outbox_handlers

        platform_admin.register()
        outbox_handlers.register(OutboxHandler(name=CELERY_SEND, handle=send_kept_task))
