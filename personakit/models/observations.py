"""Observations: raw input about a person."""

from django.db import models

from config.db import choices_check, created_at, schema_table, uuid_id
from personakit.choices import ObservationType
from personakit.models.base import SCHEMA, created_by, person_link


class Observation(models.Model):
    """Raw input about a person: a work session, something they said, a calendar event."""

    id = uuid_id()
    person = person_link("observations")
    observation_type = models.CharField(max_length=50, choices=ObservationType)
    content = models.JSONField()
    metadata = models.JSONField(null=True, blank=True)
    created_at = created_at()
    created_by = created_by("personakit_observations")

    class Meta:
        db_table = schema_table(SCHEMA, "observations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                "person", models.F("created_at").desc(), name="idx_observations_person_created"
            ),
        ]
        constraints = [
            choices_check("observation_type", ObservationType, "observations_type_valid")
        ]

    def __str__(self) -> str:
        return f"{self.observation_type} of {self.person_id}"
