"""Aurum's vector columns are filled by the platform backfill (recording the model and the
time); erasing a person removes everything Aurum holds about them, audit trail included."""

import pytest

from aurum.models import AuditLog, JournalEntry, Pillar, Project, Task, TimeEntry, UserProfile
from aurum.services.embeddings import EMBEDDING_COLUMNS
from aurum.services.people import profile_of
from aurum.tests.factories import (
    DailyReflectionFactory,
    JournalEntryFactory,
    TaskDependencyFactory,
    TaskFactory,
    TimeEntryFactory,
)
from config.embeddings import get_provider
from config.embeddings.backfill import backfill_all, pending_counts
from config.privacy import erase_user
from config.registries import embedding_columns

pytestmark = pytest.mark.django_db


def test_every_vector_column_of_the_seed_is_registered():
    names = {column.name for column in embedding_columns}
    assert {column.name for column in EMBEDDING_COLUMNS} <= names
    assert {"aurum.tasks.description_embedding", "aurum.journal_entries.content_embedding",
            "aurum.daily_reflections.challenges_embedding",
            "aurum.ai_conversation_memory.message_embedding"} <= names  # fmt: skip


def test_the_backfill_fills_aurums_columns_with_model_and_time(user):
    task = TaskFactory(user=user, description="")
    JournalEntryFactory(user=user, title="")
    DailyReflectionFactory(user=user)
    aurum = [column.name for column in EMBEDDING_COLUMNS]
    assert sum(pending_counts(names=aurum).values()) > 0
    backfill_all(names=aurum)
    assert sum(pending_counts(names=aurum).values()) == 0
    task = Task.objects.get(pk=task.pk)
    assert task.name_embedding is not None
    assert task.description_embedding is None  # an empty text has nothing to embed
    assert task.embedding_model == get_provider().model_name
    assert task.embedding_updated_at is not None
    project = Project.objects.get(pk=task.project_id)
    assert project.combined_embedding is not None
    entry = JournalEntry.objects.get(user=user)
    assert entry.content_embedding is not None

    # An edit makes that vector stale; the next backfill redoes only it.
    Task.objects.filter(pk=task.pk).update(name="Another name")
    assert pending_counts(names=["aurum.tasks.name_embedding"]) == {"aurum.tasks.name_embedding": 1}
    assert backfill_all(names=aurum)["aurum.tasks.name_embedding"] == 1


def test_erasing_a_person_removes_their_aurum_rows_and_trail(user, other_user):
    TaskDependencyFactory(task=TaskFactory(user=user))
    TimeEntryFactory(user=user, task=TaskFactory(user=user))
    JournalEntryFactory(user=user)
    DailyReflectionFactory(user=user)
    profile_of(user=user)
    kept = TaskFactory(user=other_user)
    assert AuditLog.objects.filter(user=user).exists()

    erase_user(user)

    for model in (Pillar, Project, Task, TimeEntry, JournalEntry, UserProfile, AuditLog):
        assert not model.objects.filter(user=user).exists(), model
    assert Task.objects.filter(pk=kept.pk).exists()
    assert AuditLog.objects.filter(user=other_user).exists()
