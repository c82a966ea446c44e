from django.apps import AppConfig


class PersonakitConfig(AppConfig):
    """Observations, mindscapes, narratives, mappers, personas, the outbox; API keys."""

    name = "personakit"
    verbose_name = "PersonaKit"
    admin_icon = "psychology"  # the sidebar's fallback for this system's models
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from personakit import registrations  # noqa: F401  (fills the platform registries)
