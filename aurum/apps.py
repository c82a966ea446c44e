from django.apps import AppConfig


class AurumConfig(AppConfig):
    """Pillars, areas, projects, tasks, journal, insights and reflections."""

    name = "aurum"
    verbose_name = "Aurum Life"
    admin_icon = "self_improvement"  # the sidebar's fallback for this system's models
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aurum import registrations  # noqa: F401  (fills the platform registries)
