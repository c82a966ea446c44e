"""HRM insights: explained, versioned, with feedback (the seed's ``insights``)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from aurum.choices import InsightEntityType, InsightFeedback, InsightType
from aurum.models.base import SCHEMA, between, one_of
from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id


class Insight(models.Model):
    """One analysis of an entity; re-analysis adds a version pointing at the previous one."""

    id = uuid_id()
    user = owner("aurum_insights")
    entity_type = models.TextField(choices=InsightEntityType)
    entity_id = models.UUIDField(blank=True, null=True)
    insight_type = models.TextField(choices=InsightType)
    title = models.TextField()
    summary = models.TextField()
    detailed_reasoning = models.JSONField()
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2)
    impact_score = models.DecimalField(max_digits=3, decimal_places=2, blank=True, null=True)
    reasoning_path = models.JSONField(default=list, db_default=[])
    supporting_data = models.JSONField(default=dict, db_default={}, null=True, blank=True)
    llm_session_id = models.TextField(blank=True, null=True)
    llm_context = models.JSONField(blank=True, null=True)
    llm_model_used = models.TextField(
        default="gemini-1.5-flash", db_default="gemini-1.5-flash", blank=True, null=True
    )
    user_feedback = models.TextField(choices=InsightFeedback, blank=True, null=True)
    feedback_details = models.JSONField(blank=True, null=True)
    application_count = models.IntegerField(default=0, db_default=0, null=True)
    is_active = models.BooleanField(default=True, db_default=True, null=True)
    is_pinned = models.BooleanField(default=False, db_default=False, null=True)
    expires_at = models.DateTimeField(blank=True, null=True)
    tags = ArrayField(models.TextField(), default=list, db_default=[], blank=True, null=True)
    version = models.IntegerField(default=1, db_default=1, null=True)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        blank=True,
        null=True,
        db_index=False,
        related_name="next_versions",
    )
    created_at = created_at()
    updated_at = updated_at()
    last_accessed_at = models.DateTimeField(blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "insights")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user", "entity_type", "entity_id"], name="idx_insights_user_entity"
            ),
            models.Index(fields=["user", "is_active", "-created_at"], name="idx_insights_active"),
            models.Index(fields=["user", "insight_type", "-created_at"], name="idx_insights_type"),
            models.Index(
                fields=["expires_at"],
                name="idx_insights_expiry",
                condition=models.Q(expires_at__isnull=False),
            ),
            models.Index(
                fields=["user", "user_feedback"],
                name="idx_insights_feedback",
                condition=models.Q(user_feedback__isnull=False),
            ),
        ]
        constraints = [
            one_of("insights", "entity_type", InsightEntityType),
            one_of("insights", "insight_type", InsightType),
            between("insights", "confidence_score", 0, 1),
            between("insights", "impact_score", 0, 1),
            one_of("insights", "user_feedback", InsightFeedback),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.title
