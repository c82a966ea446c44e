from django.apps import AppConfig


class AurumConfig(AppConfig):
    """Pillars, areas, projects, tasks, journal, insights and reflections."""

    name = "aurum"
    verbose_name = "Aurum Life"
    default_auto_field = "django.db.models.BigAutoField"
