"""The seed's ``audit_log``: appended by database triggers, never changed."""

import pgtrigger
from django.db import models

from aurum.choices import AuditAction
from aurum.models.base import SCHEMA, one_of
from config.db import created_at, owner, schema_table, uuid_id


class AuditLog(models.Model):
    """A create, update, archive, restore or delete of a hierarchy or journal row, with the
    changed values before and after, and the request's address and user agent."""

    id = uuid_id()
    user = owner("aurum_audit_log")
    action = models.TextField(choices=AuditAction)
    entity_type = models.TextField()
    entity_id = models.UUIDField()
    old_values = models.JSONField(blank=True, null=True)
    new_values = models.JSONField(blank=True, null=True)
    ip_address = models.GenericIPAddressField(blank=True, null=True)
    user_agent = models.TextField(blank=True, null=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "audit_log")
        ordering = ["-created_at"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        indexes = [
            models.Index(fields=["user", "-created_at"], name="idx_audit_log_user"),
            models.Index(
                fields=["entity_type", "entity_id", "-created_at"], name="idx_audit_log_entity"
            ),
        ]
        constraints = [one_of("audit_log", "action", AuditAction)]
        triggers = [
            pgtrigger.Protect(name="append_only_update", operation=pgtrigger.Update),
            # Rows go only with their owner: by a cascade from users, or when the owner's
            # erasure names them (aurum.erasing_users, set by the erase hook).
            pgtrigger.Trigger(
                name="append_only_delete",
                when=pgtrigger.Before,
                operation=pgtrigger.Delete,
                func=(
                    "IF pg_trigger_depth() > 1 OR OLD.user_id::text = ANY(string_to_array("
                    "current_setting('aurum.erasing_users', true), ',')) THEN RETURN OLD; "
                    "END IF; "
                    "RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'P0001';"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.entity_type} {self.entity_id}"
