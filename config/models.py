"""The platform's own tables."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


class MaterializedViewRefresh(models.Model):
    """When each materialized view was last refreshed (written by the views' refresh functions)."""

    view_name = models.CharField(max_length=255, primary_key=True, help_text="schema.view")
    refreshed_at = models.DateTimeField()
    duration_ms = models.IntegerField(null=True)

    class Meta:
        db_table = "materialized_view_refreshes"
        ordering = ["view_name"]

    def __str__(self) -> str:
        return self.view_name


class DeletedUser(models.Model):
    """An account whose personal data ``config.privacy.erase_user`` erased (the account row
    stays, anonymised): the seeds' ``deleted_users``, which their anonymisation queries read as
    ``WHERE user_id IN (SELECT id FROM deleted_users)``."""

    id = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        db_column="id",
        related_name="+",
    )
    erased_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        db_table = "deleted_users"
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return str(self.id_id)


class IdempotencyKey(models.Model):
    """A write sent with an ``Idempotency-Key`` header (``config.api.idempotency``): the first
    answer, replayed to retries of the same request by the same caller until ``expires_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status_code = models.IntegerField(null=True, help_text="null while the first request runs")
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "idempotency_keys"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint("user", "key", name="idempotency_keys_user_key"),
        ]
        indexes = [models.Index("expires_at", name="idx_idempotency_keys_expires_at")]

    def __str__(self) -> str:
        return self.key
