"""Persons: the individuals PersonaKit knows about, each owned by an account."""

from django.conf import settings
from django.db import models

from config.db import created_at, schema_table, uuid_id
from personakit.models.base import SCHEMA


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
