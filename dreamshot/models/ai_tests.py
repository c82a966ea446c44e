"""AI tests: one model's rating of one dream at one moment, in a table partitioned by month."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models

from config.db import choices_check, created_at, owner, schema_table
from dreamshot.choices import AiProvider, TestStatus
from dreamshot.models.base import SCHEMA, cuid_id, dream_link, score_field


class AiTest(models.Model):
    """A test of a dream against one model; impossibility = 100 - the mean of the four
    factors the model rates (``metadata["factors"]``).

    The table is range-partitioned by month on ``created_at`` with primary key
    ``(id, created_at)`` (PostgreSQL requires the partition key in every unique key). Django
    keeps ``id`` as the model's primary key: ids are CUIDs, unique on their own, and a single
    key lets the ORM, the API and the admin treat the parent like any table (Django 5.2's
    CompositePrimaryKey is not supported by the admin or DRF). Migration 0002 creates the
    table itself; ``Meta`` describes it for the ORM.
    """

    __test__ = False  # not a pytest class

    id = cuid_id()
    dream = dream_link("tests")
    user = owner("dreamshot_ai_tests")
    provider = models.CharField(max_length=20, choices=AiProvider)
    model = models.CharField(max_length=100)
    impossibility_score = score_field(null=True, blank=True)
    confidence = score_field(null=True, blank=True)
    reasoning = models.TextField(blank=True, default="", db_default="")
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Milliseconds.")
    tokens_used = models.PositiveIntegerField(null=True, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=TestStatus, default=TestStatus.PENDING, db_default=TestStatus.PENDING
    )
    test_parameters = models.JSONField(default=dict, db_default={}, blank=True)
    test_prompt = models.TextField(blank=True, default="", db_default="")
    response = models.TextField(blank=True, default="", db_default="")
    error_message = models.TextField(blank=True, default="", db_default="")
    metadata = models.JSONField(default=dict, db_default={}, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "ai_tests")
        ordering = ["-created_at"]
        verbose_name = "AI test"
        indexes = [
            models.Index(
                "dream", models.F("created_at").desc(), name="idx_ai_tests_dream_timeline"
            ),
            GinIndex(fields=["test_parameters"], name="idx_test_parameters_gin"),
            # The seed's "key optimizations": model comparison, trends, time series; and
            # per-user spend (budgets).
            models.Index(fields=["provider", "model"], name="idx_ai_tests_provider_model"),
            models.Index(fields=["impossibility_score"], name="idx_ai_tests_impossibility"),
            models.Index(fields=["created_at"], name="idx_ai_tests_created_at"),
            models.Index("user", models.F("created_at").desc(), name="idx_ai_tests_user_recent"),
        ]
        constraints = [
            choices_check("provider", AiProvider, "ai_tests_provider_valid"),
            choices_check("status", TestStatus, "ai_tests_status_valid"),
            models.CheckConstraint(
                condition=models.Q(impossibility_score__isnull=True)
                | models.Q(impossibility_score__range=(0, 100)),
                name="ai_tests_impossibility_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True) | models.Q(confidence__range=(0, 100)),
                name="ai_tests_confidence_range",
            ),
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0),
                name="ai_tests_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}/{self.model} on {self.dream_id} ({self.status})"


class AiTestArchive(models.Model):
    """A test older than the archive cutoff, moved with its month into ``ai_tests_archive``
    (read-only: the archive keeps what happened; no foreign keys, so it outlives nothing)."""

    id = models.CharField(primary_key=True, max_length=32)
    dream_id = models.CharField(max_length=32)
    user_id = models.UUIDField()
    provider = models.CharField(max_length=20, choices=AiProvider)
    model = models.CharField(max_length=100)
    impossibility_score = score_field(null=True)
    confidence = score_field(null=True)
    reasoning = models.TextField()
    duration = models.IntegerField(null=True)
    tokens_used = models.IntegerField(null=True)
    cost = models.DecimalField(max_digits=10, decimal_places=6, null=True)
    status = models.CharField(max_length=20, choices=TestStatus)
    test_parameters = models.JSONField()
    error_message = models.TextField()
    metadata = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = schema_table(SCHEMA, "ai_tests_archive")
        ordering = ["-created_at"]
        verbose_name = "archived AI test"

    def __str__(self) -> str:
        return f"{self.provider}/{self.model} on {self.dream_id} ({self.created_at:%Y-%m-%d})"
