"""PersonaKit models. ``api_keys`` carries the seed's ``users`` table (API access)."""

import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import schema_table


class ApiKey(models.Model):
    """An API key of an account. Only a keyed hash of the key is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100, default="default", db_default="default")
    prefix = models.CharField(
        max_length=16, unique=True, editable=False, help_text="Public part of the key, for lookup."
    )
    api_key_hash = models.CharField(max_length=255, editable=False)
    is_active = models.BooleanField(default=True, db_default=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = schema_table("personakit", "api_keys")
        verbose_name = "API key"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "is_active"], name="idx_api_keys_user_active")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_active=True) | models.Q(revoked_at__isnull=False),
                name="api_keys_inactive_has_revoked_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.is_active and not self.is_expired
