"""Read-only models over the seed's views and materialized view (created by migrations)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from config.db import schema_table
from dreamcatcher.models.base import SCHEMA


class DreamSummary(models.Model):
    """View ``dream_summary``: a dream with counts of its children and its tag names."""

    id = models.CharField(max_length=255, primary_key=True)
    title = models.CharField(max_length=500)
    description = models.TextField(null=True)
    status = models.CharField(max_length=50)
    brand = models.CharField(max_length=100)
    created = models.DateTimeField()
    updated = models.DateTimeField()
    synced_with_pipelineos = models.BooleanField()
    pipelineos_project_id = models.CharField(max_length=255, null=True)
    fragment_count = models.BigIntegerField()
    todo_count = models.BigIntegerField()
    completed_todos = models.BigIntegerField()
    document_count = models.BigIntegerField()
    tag_names = ArrayField(models.CharField(max_length=100, null=True))

    class Meta:
        managed = False
        db_table = schema_table(SCHEMA, "dream_summary")
        verbose_name_plural = "dream summary"
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.title


class UserActivity(models.Model):
    """View ``user_activity``: per account, how much they have dreamed and done."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    username = models.CharField(max_length=100)
    email = models.CharField(max_length=255)
    total_dreams = models.BigIntegerField()
    total_fragments = models.BigIntegerField()
    total_todos = models.BigIntegerField()
    completed_todos = models.BigIntegerField()
    last_dream_update = models.DateTimeField(null=True)
    last_fragment_created = models.DateTimeField(null=True)
    last_login = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = schema_table(SCHEMA, "user_activity")
        verbose_name_plural = "user activity"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.username


class DreamStatistics(models.Model):
    """Materialized view ``dream_statistics``, refreshed concurrently by beat."""

    id = models.CharField(max_length=255, primary_key=True)
    title = models.CharField(max_length=500)
    status = models.CharField(max_length=50)
    brand = models.CharField(max_length=100)
    fragment_count = models.BigIntegerField()
    todo_count = models.BigIntegerField()
    completed_todos = models.BigIntegerField()
    document_count = models.BigIntegerField()
    updated = models.DateTimeField()

    class Meta:
        managed = False
        db_table = schema_table(SCHEMA, "dream_statistics")
        verbose_name_plural = "dream statistics"
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.title
