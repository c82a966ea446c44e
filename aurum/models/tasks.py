"""Tasks, the steps of projects, and the dependencies between them."""

from django.db import models
from pgvector.django import HnswIndex

from aurum.choices import EnergyLevel, ObstacleRisk, TaskPriority, TaskStatus
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
    one_of,
    vector,
)
from aurum.models.hierarchy import HNSW, Area, Pillar, Project, sort_order
from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id


class Task(models.Model):
    """A step of a project. ``completed`` and ``status = 'completed'`` never disagree and
    ``completed_at`` is stamped by the database; time entries roll up into
    ``actual_duration`` and ``focus_time_minutes``."""

    id = uuid_id()
    user = owner("aurum_tasks")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, db_index=False, related_name="tasks"
    )
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True, null=True)
    status = models.CharField(
        max_length=20, choices=TaskStatus, default=TaskStatus.TODO, db_default=TaskStatus.TODO
    )
    priority = models.CharField(
        max_length=10,
        choices=TaskPriority,
        default=TaskPriority.MEDIUM,
        db_default=TaskPriority.MEDIUM,
    )
    completed = models.BooleanField(default=False, db_default=False)
    due_date = models.DateTimeField(blank=True, null=True)
    completed_at = models.DateTimeField(blank=True, null=True, editable=False)
    progress = models.IntegerField(
        default=0, db_default=0, help_text="How far along the task is, in percent."
    )
    estimated_duration = models.IntegerField(
        blank=True, null=True, help_text="Expected minutes of work."
    )
    sort_order = sort_order()
    # The seed's ALTER TABLE tasks: embeddings.
    description_embedding = vector()
    name_embedding = vector()
    embedding_model = embedding_model()
    embedding_updated_at = embedding_updated_at()
    # HRM scoring.
    hrm_priority_score = decimal_score(default=0.5, editable=False)
    hrm_alignment_score = decimal_score(default=0.5, editable=False)
    hrm_reasoning_summary = models.TextField(blank=True, null=True, editable=False)
    hrm_last_analyzed = models.DateTimeField(blank=True, null=True, editable=False)
    ai_suggested_timeblock = models.TextField(blank=True, null=True, editable=False)
    obstacle_risk = models.TextField(choices=ObstacleRisk, blank=True, null=True, editable=False)
    # Behaviour tracking.
    actual_duration = models.IntegerField(blank=True, null=True, editable=False)
    actual_start_time = models.DateTimeField(blank=True, null=True, editable=False)
    actual_end_time = models.DateTimeField(blank=True, null=True, editable=False)
    focus_time_minutes = models.IntegerField(default=0, db_default=0, null=True, editable=False)
    interruption_count = models.IntegerField(default=0, db_default=0, null=True)
    context_switches = models.IntegerField(default=0, db_default=0, null=True)
    energy_level_at_start = models.TextField(choices=EnergyLevel, blank=True, null=True)
    energy_level_at_completion = models.TextField(choices=EnergyLevel, blank=True, null=True)
    # Denormalised hierarchy, kept by the database.
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        blank=True,
        null=True,
        db_index=False,
        editable=False,
        related_name="tasks",
    )
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.SET_NULL,
        blank=True,
        null=True,
        db_index=False,
        editable=False,
        related_name="tasks",
    )
    archived = archived()
    archived_at = archived_at()
    created_at = created_at()
    updated_at = updated_at()
    dependencies = models.ManyToManyField(
        "self",
        through="aurum.TaskDependency",
        through_fields=("task", "depends_on"),
        symmetrical=False,
        related_name="dependents",
        blank=True,
    )

    class Meta:
        db_table = schema_table(SCHEMA, "tasks")
        ordering = ["sort_order", "-created_at"]
        indexes = [
            HnswIndex(
                fields=["description_embedding"],
                name="idx_task_description_embedding",
                opclasses=["vector_cosine_ops"],
                condition=models.Q(description__isnull=False, description__ne=""),
            ),
            HnswIndex(
                fields=["name_embedding"],
                name="idx_task_name_embedding",
                opclasses=["vector_cosine_ops"],
                **HNSW,
            ),
            models.Index(fields=["user", "pillar", "area", "project"], name="idx_tasks_hierarchy"),
            models.Index(
                fields=["user", "completed", "-hrm_priority_score"],
                name="idx_tasks_hrm_priority",
                condition=models.Q(completed=False),
            ),
            models.Index(fields=["project"], name="idx_tasks_project"),
            models.Index(fields=["area"], name="idx_tasks_area"),
            models.Index(fields=["pillar"], name="idx_tasks_pillar"),
            models.Index(fields=["user", "archived", "due_date"], name="idx_tasks_user_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values), name="chk_task_status"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=TaskPriority.values), name="chk_task_priority"
            ),
            # A backstop: the before_write trigger derives each from the other.
            models.CheckConstraint(
                condition=models.Q(completed=True, status=TaskStatus.COMPLETED)
                | (models.Q(completed=False) & ~models.Q(status=TaskStatus.COMPLETED)),
                name="chk_task_completed_status",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="chk_task_progress",
            ),
            between("tasks", "hrm_priority_score", 0, 1),
            between("tasks", "hrm_alignment_score", 0, 1),
            one_of("tasks", "obstacle_risk", ObstacleRisk),
            one_of("tasks", "energy_level_at_start", EnergyLevel),
            one_of("tasks", "energy_level_at_completion", EnergyLevel),
        ]
        triggers = [
            stamp_updated_at(),
            before_write("tasks"),
            after_write("tasks"),
            audited(),
        ]

    def __str__(self) -> str:
        return self.name


class TaskDependency(models.Model):
    """``task`` cannot start before ``depends_on`` is done; both belong to one user, and the
    database refuses a link that would close a cycle."""

    id = uuid_id()
    user = owner("aurum_task_dependencies")
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, db_index=False, related_name="dependency_links"
    )
    depends_on = models.ForeignKey(
        Task, on_delete=models.CASCADE, db_index=False, related_name="dependent_links"
    )
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "task_dependencies")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["depends_on"], name="idx_task_dependencies_on"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["task", "depends_on"], name="unique_task_dependency"),
            models.CheckConstraint(
                condition=~models.Q(task=models.F("depends_on")), name="chk_task_not_own_dependency"
            ),
        ]
        triggers = [before_write("task_dependencies")]

    def __str__(self) -> str:
        return f"{self.task_id} after {self.depends_on_id}"
