"""Aurum's scheduled work: the beat schedules exist and name registered tasks, the per-person
tasks do their work, and each management command reports its progress."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from aurum import tasks
from aurum.models import (
    ConversationMemory,
    Insight,
    Task,
    UserBehaviorPattern,
    UserStatisticsCache,
)
from aurum.tests.factories import TaskFactory, TimeEntryFactory
from config.celery_app import app

pytestmark = pytest.mark.django_db
SCHEDULED = {
    "aurum: re-score open tasks": "aurum.rescore_open_tasks",
    "aurum: detect behaviour patterns": "aurum.detect_patterns",
    "aurum: rebuild statistics": "aurum.rebuild_statistics",
    "aurum: archive old conversations": "aurum.archive_conversations",
}


def test_schedules_name_registered_tasks():
    """The migration's schedules, run as ``migrate`` runs them (a transactional test elsewhere
    may have emptied the table since)."""
    loader = MigrationLoader(connection)
    node = ("aurum", "0005_intelligence_schedules")
    schedules = loader.get_migration(*node).operations[-1]
    before, after = loader.project_state(node, at_end=False), loader.project_state(node)
    with connection.schema_editor() as editor:
        schedules.database_forwards("aurum", editor, before, after)
    rows = dict(PeriodicTask.objects.filter(name__in=SCHEDULED).values_list("name", "task"))
    assert rows == SCHEDULED
    assert set(SCHEDULED.values()) <= set(app.tasks)


def test_per_person_tasks(user):
    task = TaskFactory(user=user)
    for day in range(3):
        TimeEntryFactory(task=task, start_time=timezone.now() - timedelta(days=day, hours=3),
                         activity_type="focused")  # fmt: skip
    assert tasks.rescore_user(str(user.pk)) == {"user_id": str(user.pk), "tasks": 1,
                                                "projects": 1}  # fmt: skip
    assert tasks.detect_patterns_for_user(str(user.pk))["patterns"] >= 2
    assert tasks.rebuild_statistics_for_user(str(user.pk))["rows"] >= 3
    gone = "00000000-0000-0000-0000-000000000000"
    assert tasks.rescore_user(gone)["tasks"] == 0
    assert tasks.rebuild_statistics_for_user(gone)["rows"] == 0


def test_commands_report_progress(user, other_user):
    TaskFactory(user=user)
    TaskFactory(user=other_user)
    out = StringIO()
    call_command("rescore_aurum_tasks", stdout=out)
    assert "[1/2]" in out.getvalue()
    assert "[2/2]" in out.getvalue()
    assert Insight.objects.count() == 4  # a task and a project each
    out = StringIO()
    call_command("rebuild_aurum_statistics", user.username, stdout=out)
    assert f"[1/1] {user.username}" in out.getvalue()
    assert UserStatisticsCache.objects.filter(user=other_user).count() == 0
    call_command("detect_aurum_patterns", stdout=StringIO())
    assert UserBehaviorPattern.objects.count() == 0  # too few samples: nothing claimed
    with pytest.raises(CommandError, match="nobody"):
        call_command("rescore_aurum_tasks", "nobody", stdout=StringIO())


def test_archive_command(user):
    message = ConversationMemory.objects.create(user=user, message_role="user",
                                                message_content="old")  # fmt: skip
    ConversationMemory.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    ConversationMemory.objects.create(user=user, message_role="user", message_content="new")
    out = StringIO()
    call_command("archive_aurum_conversations", "--days", "365", stdout=out)
    assert "Archived 1 message(s)" in out.getvalue()
    assert tasks.archive_conversations() == {"archived": 0}
    with pytest.raises(CommandError):
        call_command("archive_aurum_conversations", "--days", "-1")


def test_seed_demo_scores_ada_once(capsys):
    call_command("seed_demo")
    assert "aurum intelligence of ada:" in capsys.readouterr().out
    open_tasks = Task.objects.filter(user__username="ada", completed=False).exclude(
        status="cancelled"
    )
    assert open_tasks.exists()
    assert not open_tasks.filter(hrm_last_analyzed__isnull=True).exists()
    insights = Insight.objects.filter(user__username="ada").count()
    assert insights >= open_tasks.count()
    assert UserStatisticsCache.objects.filter(user__username="ada").exists()
    assert UserBehaviorPattern.objects.filter(user__username="ada", is_active=True).exists()
    call_command("seed_demo")
    assert "aurum intelligence of ada:" not in capsys.readouterr().out
    assert Insight.objects.filter(user__username="ada").count() == insights
