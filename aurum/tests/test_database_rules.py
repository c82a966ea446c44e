"""Rules Aurum's database keeps for every writer: the ORM and raw SQL alike."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from aurum.models import AuditLog, Project, Task, TaskDependency, TimeEntry
from aurum.tests.factories import (
    AreaFactory,
    DailyReflectionFactory,
    JournalEntryFactory,
    PillarFactory,
    ProjectFactory,
    TaskDependencyFactory,
    TaskFactory,
    TimeEntryFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def fresh(row):
    row.refresh_from_db()
    return row


# Denormalised hierarchy ids.


def test_task_copies_its_projects_area_and_pillar_even_when_written_by_raw_sql():
    project = ProjectFactory()
    (task_id,) = sql(
        "INSERT INTO aurum.tasks (user_id, project_id, name, area_id, pillar_id) "
        "VALUES (%s, %s, 'raw', NULL, NULL) RETURNING id",
        [project.user_id, project.id],
    )[0]
    task = Task.objects.get(pk=task_id)
    assert (task.area_id, task.pillar_id) == (project.area_id, project.area.pillar_id)
    assert fresh(project).pillar_id == project.area.pillar_id

    sql("UPDATE aurum.tasks SET pillar_id = NULL WHERE id = %s", [task_id])  # no hand edits
    assert Task.objects.get(pk=task_id).pillar_id == project.area.pillar_id


def test_moving_a_task_or_project_or_reparenting_an_area_keeps_the_copies_right():
    task = TaskFactory()
    other_area = AreaFactory(user=task.user, pillar=PillarFactory(user=task.user))
    other_project = ProjectFactory(user=task.user, area=other_area)

    sql("UPDATE aurum.tasks SET project_id = %s WHERE id = %s", [other_project.id, task.id])
    task = fresh(task)
    assert (task.area_id, task.pillar_id) == (other_area.id, other_area.pillar_id)

    first_area = AreaFactory(user=task.user)
    sql("UPDATE aurum.projects SET area_id = %s WHERE id = %s", [first_area.id, other_project.id])
    task = fresh(task)
    assert (task.area_id, task.pillar_id) == (first_area.id, first_area.pillar_id)
    assert fresh(other_project).pillar_id == first_area.pillar_id

    new_pillar = PillarFactory(user=task.user)
    sql("UPDATE aurum.areas SET pillar_id = %s WHERE id = %s", [new_pillar.id, first_area.id])
    assert fresh(task).pillar_id == new_pillar.id
    assert fresh(other_project).pillar_id == new_pillar.id

    sql("UPDATE aurum.areas SET pillar_id = NULL WHERE id = %s", [first_area.id])
    assert fresh(task).pillar_id is None


def test_a_row_cannot_hang_under_another_users_parent():
    project = ProjectFactory()
    stranger = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(project=project, user=stranger)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(area=project.area, user=stranger)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(pillar=project.area.pillar, user=stranger)
    assert not Task.objects.filter(user=stranger).exists()


# completed <=> status, completed_at by the database.


def test_completed_and_status_never_disagree_and_completed_at_is_the_databases():
    task = TaskFactory()
    assert (task.status, fresh(task).completed, task.completed_at) == ("todo", False, None)

    sql("UPDATE aurum.tasks SET completed = true WHERE id = %s", [task.id])
    task = fresh(task)
    assert (task.status, task.completed) == ("completed", True)
    done_at = task.completed_at
    assert done_at is not None

    sql("UPDATE aurum.tasks SET name = 'renamed', completed_at = NULL WHERE id = %s", [task.id])
    assert fresh(task).completed_at == done_at  # kept while it stays done

    sql("UPDATE aurum.tasks SET status = 'in_progress' WHERE id = %s", [task.id])
    task = fresh(task)
    assert (task.status, task.completed, task.completed_at) == ("in_progress", False, None)

    sql("UPDATE aurum.tasks SET status = 'completed' WHERE id = %s", [task.id])
    assert fresh(task).completed is True
    sql("UPDATE aurum.tasks SET completed = false WHERE id = %s", [task.id])
    task = fresh(task)
    assert (task.status, task.completed, task.completed_at) == ("todo", False, None)

    # Both at once, contradicting: the status wins.
    sql("UPDATE aurum.tasks SET status = 'review', completed = true WHERE id = %s", [task.id])
    assert (fresh(task).status, task.completed) == ("review", False)


def test_a_task_inserted_done_keeps_a_past_completion_time_but_not_a_future_one():
    past = timezone.now() - timedelta(days=3)
    done = TaskFactory(completed=True, completed_at=past)
    assert (fresh(done).status, done.completed_at) == ("completed", past)
    future = TaskFactory(status="completed", completed_at=timezone.now() + timedelta(days=3))
    assert fresh(future).completed
    assert future.completed_at <= timezone.now()


def test_project_completed_at_follows_its_status():
    project = ProjectFactory()
    Project.objects.filter(pk=project.pk).update(status="completed")
    assert fresh(project).completed_at is not None
    Project.objects.filter(pk=project.pk).update(status="on_hold")
    assert fresh(project).completed_at is None


# Time entries: one timer, end after start, rollups.


def test_one_running_timer_per_user():
    running = TimeEntryFactory(end_time=None)
    assert fresh(running).is_active is True
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryFactory(end_time=None, task=TaskFactory(user=running.user))
    TimeEntryFactory(end_time=None)  # another user's timer is fine
    stopped = TimeEntryFactory(task=TaskFactory(user=running.user))
    assert fresh(stopped).is_active is False


def test_an_entry_ends_after_it_starts_and_is_about_the_users_own_row():
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryFactory(start_time=start, end_time=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryFactory(user=UserFactory())  # the task belongs to someone else
    assert not TimeEntry.objects.exists()


def test_closed_entries_roll_up_into_the_task_and_project():
    task = TaskFactory()
    start = timezone.now() - timedelta(hours=5)
    first = TimeEntryFactory(task=task, start_time=start, end_time=start + timedelta(minutes=90))
    assert fresh(first).duration_minutes == 90
    TimeEntryFactory(
        task=task,
        start_time=start + timedelta(hours=2),
        end_time=start + timedelta(hours=2, minutes=30),
        activity_type="meeting",
    )
    running = TimeEntryFactory(task=task, start_time=start + timedelta(hours=4), end_time=None)
    task = fresh(task)
    assert (task.actual_duration, task.focus_time_minutes) == (120, 90)
    assert task.actual_start_time == start
    project = fresh(task.project)
    assert project.actual_hours_spent == 2
    assert project.last_activity_date == start + timedelta(hours=2, minutes=30)

    # Stopping the timer by raw SQL, then deleting an entry: recomputed each time.
    sql(
        "UPDATE aurum.time_entries SET end_time = start_time + interval '60 minutes' WHERE id = %s",
        [running.id],
    )
    assert fresh(task).actual_duration == 180
    sql("DELETE FROM aurum.time_entries WHERE id = %s", [first.id])
    assert (fresh(task).actual_duration, task.focus_time_minutes) == (90, 60)
    assert fresh(task.project).actual_hours_spent == 1.5

    # Time on the project itself counts towards its hours too.
    TimeEntry.objects.create(
        user=task.user,
        entity_type="project",
        entity_id=task.project_id,
        start_time=start,
        end_time=start + timedelta(minutes=30),
    )
    assert fresh(task.project).actual_hours_spent == 2


def test_project_completion_is_the_share_of_its_live_tasks_done():
    project = ProjectFactory()
    tasks = [TaskFactory(project=project, user=project.user) for _ in range(4)]
    sql("UPDATE aurum.tasks SET completed = true WHERE id = %s", [tasks[0].id])
    assert fresh(project).completion_percentage == 25
    sql("UPDATE aurum.tasks SET archived = true WHERE id = %s", [tasks[1].id])
    assert fresh(project).completion_percentage == 33
    sql("DELETE FROM aurum.tasks WHERE id = %s", [tasks[2].id])
    assert fresh(project).completion_percentage == 50


# Soft delete.


@pytest.mark.parametrize(
    "make", [PillarFactory, AreaFactory, ProjectFactory, TaskFactory, JournalEntryFactory]
)
def test_archived_at_follows_archived(make):
    row = make()
    table = row._meta.db_table.replace('"', "")
    sql(f"UPDATE {table} SET archived = true WHERE id = %s", [row.pk])
    archived_at = fresh(row).archived_at
    assert archived_at is not None
    sql(f"UPDATE {table} SET archived = true WHERE id = %s", [row.pk])
    assert fresh(row).archived_at == archived_at
    sql(f"UPDATE {table} SET archived = false WHERE id = %s", [row.pk])
    assert fresh(row).archived_at is None


# The audit trail.


def test_every_change_to_the_hierarchy_and_journal_is_audited_with_old_and_new_values():
    task = TaskFactory()
    sql("UPDATE aurum.tasks SET name = 'Stretch', priority = 'high' WHERE id = %s", [task.id])
    sql("UPDATE aurum.tasks SET archived = true WHERE id = %s", [task.id])
    sql("UPDATE aurum.tasks SET archived = false WHERE id = %s", [task.id])
    sql("DELETE FROM aurum.tasks WHERE id = %s", [task.id])

    trail = list(
        AuditLog.objects.filter(entity_type="task", entity_id=task.id).order_by("created_at", "id")
    )
    actions = sorted(entry.action for entry in trail)
    assert actions == ["archive", "create", "delete", "restore", "update"]
    update = next(entry for entry in trail if entry.action == "update")
    assert update.old_values == {"name": task.name, "priority": "medium"}
    assert update.new_values == {"name": "Stretch", "priority": "high"}
    assert all(entry.user_id == task.user_id for entry in trail)
    created = next(entry for entry in trail if entry.action == "create")
    assert created.new_values["project_id"] == str(task.project_id)
    assert "name_embedding" not in created.new_values  # vectors are not edits
    assert AuditLog.objects.filter(entity_type="project", action="create").exists()
    journal = JournalEntryFactory()
    assert AuditLog.objects.filter(entity_type="journal_entry", entity_id=journal.id).count() == 1


def test_derived_columns_do_not_make_audit_rows():
    task = TaskFactory()
    before = AuditLog.objects.count()
    Task.objects.filter(pk=task.pk).update(hrm_priority_score=0.9, hrm_reasoning_summary="why")
    assert AuditLog.objects.count() == before


def test_the_audit_log_is_append_only():
    entry = AuditLog.objects.filter(user=TaskFactory().user).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("UPDATE aurum.audit_log SET action = 'update' WHERE id = %s", [entry.id])
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("DELETE FROM aurum.audit_log WHERE id = %s", [entry.id])
    assert AuditLog.objects.filter(pk=entry.pk, action="create").exists()


def test_deleting_the_owner_takes_their_rows_and_trail_by_raw_sql_and_orm():
    task = TaskFactory()
    JournalEntryFactory(user=task.user)
    sql("DELETE FROM public.users WHERE id = %s", [task.user_id])
    assert not AuditLog.objects.filter(user_id=task.user_id).exists()
    assert not Task.objects.filter(pk=task.pk).exists()

    other = TaskFactory()
    other.user.delete()
    assert not AuditLog.objects.filter(user_id=other.user_id).exists()


# Embeddings go stale with their text.


def test_changing_a_text_clears_the_embedding_made_from_it():
    task = TaskFactory()
    vector = [0.1] * 1536
    Task.objects.filter(pk=task.pk).update(name_embedding=vector, description_embedding=vector)
    sql("UPDATE aurum.tasks SET name = 'New name' WHERE id = %s", [task.id])
    task = fresh(task)
    assert task.name_embedding is None
    assert task.description_embedding is not None

    entry = JournalEntryFactory()
    sql(
        "UPDATE aurum.journal_entries SET content_embedding = %s::vector WHERE id = %s",
        [str(vector), entry.id],
    )
    sql("UPDATE aurum.journal_entries SET content = 'Different' WHERE id = %s", [entry.id])
    assert fresh(entry).content_embedding is None

    reflection = DailyReflectionFactory()
    sql(
        "UPDATE aurum.daily_reflections SET reflection_embedding = %s::vector WHERE id = %s",
        [str(vector), reflection.id],
    )
    sql(
        "UPDATE aurum.daily_reflections SET reflection_text = 'Changed' WHERE id = %s",
        [reflection.id],
    )
    assert fresh(reflection).reflection_embedding is None


def test_writing_the_embedding_with_its_text_keeps_it():
    task = TaskFactory()
    Task.objects.filter(pk=task.pk).update(name="Fresh", name_embedding=[0.2] * 1536)
    assert fresh(task).name_embedding is not None


# Task dependencies.


def test_dependencies_refuse_cycles_and_other_users_tasks():
    a = TaskFactory()
    b = TaskFactory(project=a.project, user=a.user)
    c = TaskFactory(project=a.project, user=a.user)
    TaskDependencyFactory(task=a, depends_on=b)
    TaskDependencyFactory(task=b, depends_on=c)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskDependencyFactory(task=c, depends_on=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskDependencyFactory(task=a, depends_on=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        sql(
            "INSERT INTO aurum.task_dependencies (user_id, task_id, depends_on_id) "
            "VALUES (%s, %s, %s)",
            [a.user_id, c.id, a.id],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskDependencyFactory(task=a, depends_on=TaskFactory())
    assert TaskDependency.objects.count() == 2
    assert list(a.dependencies.all()) == [b]


def test_a_new_model_makes_the_rows_other_vectors_stale():
    task = TaskFactory()
    vector = [0.1] * 1536
    Task.objects.filter(pk=task.pk).update(
        name_embedding=vector, description_embedding=vector, embedding_model="old-model"
    )
    # The backfill writes the name's vector with the new model: the description's is stale.
    Task.objects.filter(pk=task.pk).update(name_embedding=[0.3] * 1536, embedding_model="new")
    task = fresh(task)
    assert task.name_embedding is not None
    assert task.description_embedding is None


@pytest.mark.django_db(transaction=True)
def test_two_links_written_at_once_cannot_close_a_cycle_together():
    import threading

    a = TaskFactory()
    b = TaskFactory(project=a.project, user=a.user)
    barrier = threading.Barrier(2)
    outcomes = []

    def link(task, depends_on):
        try:
            with transaction.atomic():
                barrier.wait()
                TaskDependency.objects.create(user=task.user, task=task, depends_on=depends_on)
                # Hold the transaction open a moment so the other writer overlaps it.
                sql("SELECT pg_sleep(0.2)")
            outcomes.append("linked")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=link, args=pair) for pair in ((a, b), (b, a))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["linked", "refused"]
    assert TaskDependency.objects.count() == 1
