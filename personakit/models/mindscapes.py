"""Mindscapes: a person's aggregated traits, optimistically locked by version."""

import pgtrigger
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import schema_table, uuid_id
from personakit.models.base import SCHEMA, person_link


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
