"""The life hierarchy: pillars hold areas, areas hold projects, projects hold tasks.

``projects.pillar_id`` and ``tasks.area_id``/``pillar_id`` are copies of the parents' ids kept
right by the database (``aurum/sql/``) whoever writes, so the seed's hierarchy queries need no
joins. Rows are archived, not deleted, by the API (``archived``/``archived_at``).
"""

from django.db import models
from pgvector.django import HnswIndex

from aurum.choices import ProjectPriority, ProjectStatus
from aurum.models.base import (
    SCHEMA,
    after_write,
    archived,
    archived_at,
    audited,
    before_write,
    between,
    decimal_score,
    embedding_model,
    embedding_updated_at,
    vector,
)
from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id

HNSW = {"m": 16, "ef_construction": 64}


def _color() -> models.CharField:
    return models.CharField(max_length=7, blank=True, null=True, help_text="e.g. #F4B400")


def _icon() -> models.CharField:
    return models.CharField(max_length=50, blank=True, null=True)


def sort_order() -> models.IntegerField:
    return models.IntegerField(default=0, db_default=0)


class Pillar(models.Model):
    """A foundation of a life (Health, Career, Relationships); ``weight`` scales how much its
    work counts, ``time_allocation_percentage`` is the share of time the person means to give
    it."""

    id = uuid_id()
    user = owner("aurum_pillars")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, null=True)
    icon = _icon()
    color = _color()
    weight = models.DecimalField(max_digits=3, decimal_places=2, default=1, db_default=1)
    time_allocation_percentage = models.DecimalField(
        max_digits=5, decimal_places=2, default=0, db_default=0
    )
    sort_order = sort_order()
    combined_embedding = vector()
    embedding_model = embedding_model()
    embedding_updated_at = embedding_updated_at()
    archived = archived()
    archived_at = archived_at()
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "pillars")
        ordering = ["sort_order", "name"]
        indexes = [
            models.Index(fields=["user", "archived", "sort_order"], name="idx_pillars_user"),
            HnswIndex(
                fields=["combined_embedding"],
                name="idx_pillar_embedding",
                opclasses=["vector_cosine_ops"],
                **HNSW,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0.1, weight__lte=2),
                name="chk_pillar_weight",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    time_allocation_percentage__gte=0, time_allocation_percentage__lte=100
                ),
                name="chk_pillar_time_allocation",
            ),
        ]
        triggers = [
            stamp_updated_at(),
            before_write("pillars"),
            after_write("pillars"),
            audited(),
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A domain of responsibility, optionally under a pillar; ``importance`` 1 to 5."""

    id = uuid_id()
    user = owner("aurum_areas")
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.SET_NULL,
        blank=True,
        null=True,
        db_index=False,
        related_name="areas",
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, null=True)
    icon = _icon()
    color = _color()
    importance = models.IntegerField(default=3, db_default=3)
    sort_order = sort_order()
    combined_embedding = vector()
    embedding_model = embedding_model()
    embedding_updated_at = embedding_updated_at()
    archived = archived()
    archived_at = archived_at()
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "areas")
        ordering = ["sort_order", "name"]
        indexes = [
            models.Index(fields=["user", "archived", "sort_order"], name="idx_areas_user"),
            models.Index(fields=["pillar"], name="idx_areas_pillar"),
            HnswIndex(
                fields=["combined_embedding"],
                name="idx_area_embedding",
                opclasses=["vector_cosine_ops"],
                **HNSW,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__gte=1, importance__lte=5),
                name="chk_area_importance",
            ),
        ]
        triggers = [
            stamp_updated_at(),
            before_write("areas"),
            after_write("areas"),
            audited(),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """An outcome within an area; ``completion_percentage`` (share of its live tasks done),
    ``actual_hours_spent`` and ``last_activity_date`` are kept by the database."""

    id = uuid_id()
    user = owner("aurum_projects")
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, db_index=False, related_name="projects"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, null=True)
    status = models.CharField(
        max_length=20,
        choices=ProjectStatus,
        default=ProjectStatus.NOT_STARTED,
        db_default=ProjectStatus.NOT_STARTED,
    )
    priority = models.CharField(
        max_length=10,
        choices=ProjectPriority,
        default=ProjectPriority.MEDIUM,
        db_default=ProjectPriority.MEDIUM,
    )
    importance = models.IntegerField(default=3, db_default=3)
    completion_percentage = models.IntegerField(default=0, db_default=0, editable=False)
    start_date = models.DateField(blank=True, null=True)
    due_date = models.DateTimeField(blank=True, null=True)
    completed_at = models.DateTimeField(blank=True, null=True, editable=False)
    sort_order = sort_order()
    # The seed's ALTER TABLE projects.
    combined_embedding = vector()
    embedding_model = embedding_model()
    embedding_updated_at = embedding_updated_at()
    hrm_coherence_score = decimal_score(default=0.5, editable=False)
    hrm_risk_assessment = models.TextField(blank=True, null=True, editable=False)
    hrm_suggested_adjustments = models.JSONField(blank=True, null=True, editable=False)
    hrm_health_score = decimal_score(default=0.5, editable=False)
    estimated_hours = models.IntegerField(blank=True, null=True)
    actual_hours_spent = decimal_score(digits=6, places=2, default=0, editable=False)
    last_activity_date = models.DateTimeField(blank=True, null=True, editable=False)
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.SET_NULL,
        blank=True,
        null=True,
        db_index=False,
        editable=False,
        related_name="projects",
    )
    archived = archived()
    archived_at = archived_at()
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "projects")
        ordering = ["sort_order", "-created_at"]
        indexes = [
            HnswIndex(
                fields=["combined_embedding"],
                name="idx_project_embedding",
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["user", "pillar", "area"], name="idx_projects_hierarchy"),
            models.Index(fields=["area"], name="idx_projects_area"),
            models.Index(fields=["user", "archived", "status"], name="idx_projects_user_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ProjectStatus.values), name="chk_project_status"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=ProjectPriority.values),
                name="chk_project_priority",
            ),
            models.CheckConstraint(
                condition=models.Q(importance__gte=1, importance__lte=5),
                name="chk_project_importance",
            ),
            models.CheckConstraint(
                condition=models.Q(completion_percentage__gte=0, completion_percentage__lte=100),
                name="chk_completion_percentage",
            ),
            between("projects", "hrm_coherence_score", 0, 1),
            between("projects", "hrm_health_score", 0, 1),
            models.CheckConstraint(
                condition=models.Q(estimated_hours__gte=0) | models.Q(estimated_hours__isnull=True),
                name="projects_estimated_hours_check",
            ),
        ]
        triggers = [
            stamp_updated_at(),
            before_write("projects"),
            after_write("projects"),
            audited(),
        ]

    def __str__(self) -> str:
        return self.name
