"""Dreams and what hangs off them: fragments, implementations, documents, todos."""

import pgtrigger
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import choices_check, owner, schema_table, stamp_updated_at
from dreamcatcher.choices import (
    TODO_TRANSITIONS,
    DreamStatus,
    ImplementationStatus,
    TodoPriority,
    TodoSource,
    TodoStatus,
)
from dreamcatcher.models.base import (
    SCHEMA,
    dream_link,
    inherit_owner,
    refresh_dream_arrays,
    text_id,
)


def _now_field(**kwargs: object) -> models.DateTimeField:
    return models.DateTimeField(default=timezone.now, db_default=Now(), **kwargs)


def _json_list() -> models.JSONField:
    return models.JSONField(default=list, db_default=[], blank=True)


class Dream(models.Model):
    """An idea someone wants to build, possibly synced to PipelineOS as a project.

    ``tags``, ``todos`` and ``documents`` are JSONB arrays of the ids of the dream's
    ``dream_tags``, ``todos`` and ``documents`` rows, kept equal to those rows by database
    triggers: a read-only summary for the seed's GIN-indexed queries (``tags ? 'coding'``),
    never written directly.
    """

    id = text_id()
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, null=True)
    status = models.CharField(
        max_length=50, choices=DreamStatus, default=DreamStatus.IDEA, db_default=DreamStatus.IDEA
    )
    tags = models.JSONField(default=list, db_default=[], editable=False)
    created = _now_field(editable=False)
    updated = _now_field(editable=False)
    synced_with_pipelineos = models.BooleanField(default=False, db_default=False)
    synced_at = models.DateTimeField(blank=True, null=True)
    pipelineos_project_id = models.CharField(max_length=255, blank=True, null=True)
    brand = models.ForeignKey(
        "dreamcatcher.Brand",
        on_delete=models.PROTECT,
        db_column="brand",
        db_index=False,
        default="personal",
        db_default="personal",
        related_name="dreams",
    )
    summary = models.TextField(blank=True, null=True)
    todos = models.JSONField(default=list, db_default=[], editable=False)
    documents = models.JSONField(default=list, db_default=[], editable=False)
    user = owner("dreams")
    created_by = models.CharField(max_length=255, blank=True, null=True)
    updated_by = models.CharField(max_length=255, blank=True, null=True)
    tag_set = models.ManyToManyField(
        "dreamcatcher.Tag", through="dreamcatcher.DreamTag", related_name="dreams", blank=True
    )

    class Meta:
        db_table = schema_table(SCHEMA, "dreams")
        ordering = ["-updated"]
        indexes = [
            models.Index(fields=["status"], name="idx_dreams_status"),
            models.Index(fields=["brand"], name="idx_dreams_brand"),
            models.Index(fields=["created"], name="idx_dreams_created"),
            models.Index(fields=["updated"], name="idx_dreams_updated"),
            models.Index(fields=["user"], name="idx_dreams_user_id"),
            models.Index(fields=["pipelineos_project_id"], name="idx_dreams_pipelineos_project_id"),
            models.Index(fields=["synced_with_pipelineos"], name="idx_dreams_synced"),
            GinIndex(fields=["tags"], name="idx_dreams_tags"),
            GinIndex(fields=["todos"], name="idx_dreams_todos"),
            GinIndex(fields=["documents"], name="idx_dreams_documents"),
        ]
        constraints = [choices_check("status", DreamStatus, "dreams_status_valid")]
        triggers = [stamp_updated_at("updated")]

    def __str__(self) -> str:
        return self.title


class Fragment(models.Model):
    """A piece of research or inspiration for a dream (a link, notes, code snippets)."""

    id = text_id()
    dream = dream_link("fragments")
    title = models.CharField(max_length=500)
    content = models.TextField()
    source = models.CharField(max_length=100)
    url = models.URLField(max_length=1000, blank=True, null=True)
    date = _now_field()
    features = _json_list()
    code_snippets = _json_list()
    user = owner("dream_fragments")
    created_by = models.CharField(max_length=255, blank=True, null=True)
    updated_by = models.CharField(max_length=255, blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "fragments")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["dream"], name="idx_fragments_dream_id"),
            models.Index(fields=["source"], name="idx_fragments_source"),
            models.Index(fields=["date"], name="idx_fragments_date"),
            models.Index(fields=["user"], name="idx_fragments_user_id"),
            GinIndex(fields=["features"], name="idx_fragments_features"),
            GinIndex(fields=["code_snippets"], name="idx_fragments_code_snippets"),
        ]
        triggers = [inherit_owner()]

    def __str__(self) -> str:
        return self.title


class Implementation(models.Model):
    """A dream being built: the PipelineOS project, tickets and agents working on it."""

    id = text_id()
    dream = dream_link("implementations")
    status = models.CharField(
        max_length=50,
        choices=ImplementationStatus,
        default=ImplementationStatus.PENDING,
        db_default=ImplementationStatus.PENDING,
    )
    project_id = models.CharField(max_length=255, blank=True, null=True)
    tickets_created = models.IntegerField(default=0, db_default=0)
    agents_assigned = models.IntegerField(default=0, db_default=0)
    estimated_completion = models.CharField(max_length=100, blank=True, null=True)
    created_at = _now_field(editable=False)
    completed_at = models.DateTimeField(blank=True, null=True)
    implementation_data = models.JSONField(default=dict, db_default={}, blank=True)
    user = owner("dream_implementations")
    created_by = models.CharField(max_length=255, blank=True, null=True)
    updated_by = models.CharField(max_length=255, blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "implementations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["dream"], name="idx_implementations_dream_id"),
            models.Index(fields=["status"], name="idx_implementations_status"),
            models.Index(fields=["project_id"], name="idx_implementations_project_id"),
            models.Index(fields=["created_at"], name="idx_implementations_created_at"),
            models.Index(fields=["user"], name="idx_implementations_user_id"),
            GinIndex(fields=["implementation_data"], name="idx_implementations_data"),
        ]
        constraints = [
            choices_check("status", ImplementationStatus, "implementations_status_valid"),
            models.CheckConstraint(
                condition=models.Q(tickets_created__gte=0, agents_assigned__gte=0),
                name="implementations_counts_not_negative",
            ),
        ]
        triggers = [inherit_owner()]

    def __str__(self) -> str:
        return f"{self.dream_id} ({self.status})"


class Document(models.Model):
    """An uploaded file of a dream; parsing turns its checkboxes into todos."""

    id = text_id()
    dream = dream_link("document_set")
    title = models.CharField(max_length=500)
    file_name = models.CharField(max_length=500)
    file_type = models.CharField(max_length=100)
    file_size = models.BigIntegerField()
    file_path = models.CharField(max_length=1000)
    upload_date = _now_field(editable=False)
    parsed = models.BooleanField(default=False, db_default=False)
    parsed_data = models.JSONField(default=dict, db_default={}, blank=True)
    user = owner("dream_documents")
    created_by = models.CharField(max_length=255, blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "documents")
        ordering = ["-upload_date"]
        indexes = [
            models.Index(fields=["dream"], name="idx_documents_dream_id"),
            models.Index(fields=["file_type"], name="idx_documents_file_type"),
            models.Index(fields=["upload_date"], name="idx_documents_upload_date"),
            models.Index(fields=["parsed"], name="idx_documents_parsed"),
            models.Index(fields=["user"], name="idx_documents_user_id"),
            GinIndex(fields=["parsed_data"], name="idx_documents_parsed_data"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(file_size__gte=0), name="documents_file_size_not_negative"
            )
        ]
        triggers = [inherit_owner(), refresh_dream_arrays()]

    def __str__(self) -> str:
        return self.title


class Todo(models.Model):
    """A task of a dream; the database stamps ``completed_at`` and guards status moves."""

    id = text_id()
    dream = dream_link("todo_set")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, null=True)
    category = models.CharField(max_length=100, blank=True, null=True)
    priority = models.CharField(
        max_length=20,
        choices=TodoPriority,
        default=TodoPriority.MEDIUM,
        db_default=TodoPriority.MEDIUM,
    )
    status = models.CharField(
        max_length=50,
        choices=TodoStatus,
        default=TodoStatus.PENDING,
        db_default=TodoStatus.PENDING,
    )
    deadline = models.DateTimeField(blank=True, null=True)
    completed_at = models.DateTimeField(blank=True, null=True, editable=False)
    source = models.CharField(max_length=100, choices=TodoSource, blank=True, null=True)
    notes = models.TextField(blank=True, null=True)
    assigned_to = models.CharField(max_length=255, blank=True, null=True)
    created_at = _now_field(editable=False)
    updated_at = _now_field(editable=False)
    user = owner("dream_todos")
    created_by = models.CharField(max_length=255, blank=True, null=True)
    updated_by = models.CharField(max_length=255, blank=True, null=True)

    class Meta:
        db_table = schema_table(SCHEMA, "todos")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["dream"], name="idx_todos_dream_id"),
            models.Index(fields=["status"], name="idx_todos_status"),
            models.Index(fields=["priority"], name="idx_todos_priority"),
            models.Index(fields=["deadline"], name="idx_todos_deadline"),
            models.Index(fields=["category"], name="idx_todos_category"),
            models.Index(fields=["assigned_to"], name="idx_todos_assigned_to"),
            models.Index(fields=["user"], name="idx_todos_user_id"),
            models.Index(fields=["created_at"], name="idx_todos_created_at"),
        ]
        constraints = [
            choices_check("priority", TodoPriority, "todos_priority_valid"),
            choices_check("status", TodoStatus, "todos_status_valid"),
            choices_check("source", TodoSource, "todos_source_valid"),
        ]
        triggers = [
            inherit_owner(),
            refresh_dream_arrays(),
            stamp_updated_at(),
            pgtrigger.FSM(name="status_transitions", field="status", transitions=TODO_TRANSITIONS),
            pgtrigger.Trigger(
                name="stamp_completed_at",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=(
                    "IF NEW.status = 'completed' THEN "
                    "  IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'completed' THEN "
                    "    NEW.completed_at := now(); "
                    "  ELSE NEW.completed_at := OLD.completed_at; END IF; "
                    "ELSE NEW.completed_at := NULL; END IF; "
                    "RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title
