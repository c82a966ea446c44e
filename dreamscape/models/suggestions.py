"""Suggestions made from a user's persona, clusters and learning profiles."""

from django.db import models

from config.db import created_at, owner, schema_table, uuid_id
from dreamscape.models.base import SCHEMA, unit_interval


class DreamscapeSuggestion(models.Model):
    """A suggestion with a priority and an expiry; the user dismisses it or acts on it."""

    id = uuid_id()
    user = owner("dreamscape_suggestions")
    suggestion_type = models.CharField(max_length=50)
    title = models.CharField(max_length=200, null=True, blank=True)
    content = models.TextField(null=True, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    priority_score = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    is_dismissed = models.BooleanField(default=False, db_default=False)
    is_acted_upon = models.BooleanField(default=False, db_default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "dreamscape_suggestions")
        ordering = ["-priority_score", "-created_at"]
        indexes = [
            models.Index("user", name="idx_dreamscape_suggestions_user_id"),
            models.Index("suggestion_type", name="idx_dreamscape_suggestions_type"),
            models.Index("priority_score", name="idx_dreamscape_suggestions_priority"),
            models.Index(
                "user", "is_dismissed", "expires_at", name="idx_dreamscape_suggestions_active"
            ),
        ]
        constraints = [unit_interval("priority_score", "dreamscape_suggestions_priority_range")]

    def __str__(self) -> str:
        return self.title or self.suggestion_type
