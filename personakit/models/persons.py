"""Persons, what is observed about them, and their aggregated mindscape."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import choices_check, schema_table
from personakit.choices import ObservationType
from personakit.models.base import SCHEMA, created_at, created_by, person_link, uuid_id


class Person(models.Model):
    """An individual PersonaKit knows about, and the account that may see them.

    The seeds' ``person_id`` columns carry no owner; this record is it. An account's own
    person has the account's id; other persons are registered by an account, which owns
    them. Every API read and write goes through the caller's persons.
    """

    id = uuid_id()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="persons"
    )
    display_name = models.CharField(max_length=255, blank=True, default="")
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "persons")
        ordering = ["display_name", "created_at"]

    def __str__(self) -> str:
        return self.display_name or str(self.id)


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


class Mindscape(models.Model):
    """A person's traits as a tree; ``version`` is bumped by the database on every change."""

    id = uuid_id()
    person = person_link("mindscapes")
    traits = models.JSONField(default=dict, db_default={})
    version = models.IntegerField(default=1, db_default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "mindscapes")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["person"], name="idx_mindscapes_person")]
        triggers = [
            # Optimistic locking: every change of traits moves the version on, and only then.
            pgtrigger.Trigger(
                name="bump_version",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                func=(
                    "IF NEW.traits IS DISTINCT FROM OLD.traits THEN "
                    "  NEW.version := OLD.version + 1; "
                    "  NEW.updated_at := statement_timestamp(); "
                    "ELSE NEW.version := OLD.version; END IF; "
                    "RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"mindscape of {self.person_id} v{self.version}"
