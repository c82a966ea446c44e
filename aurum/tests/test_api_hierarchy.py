"""Behaviour of the hierarchy API: nested reads, filters, soft delete and restore, the audit
trail with the request's address, dependencies, and ``GET /hierarchy``."""

import pytest
from django.urls import reverse

from aurum.models import AuditLog, Pillar, Task, TaskDependency
from aurum.services.hierarchy import hierarchy_view_refresh
from aurum.tests.factories import PillarFactory, ProjectFactory, TaskFactory
from config.testing import assert_error_shape

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:aurum:{name}", args=args)


def test_a_task_reads_with_its_project_area_and_pillar(client_for, user):
    task = TaskFactory(user=user)
    body = client_for(user).get(url("task-detail", task.pk)).json()
    project = task.project
    assert body["project_detail"] == {"id": str(project.pk), "name": project.name}
    assert body["area_detail"] == {"id": str(project.area_id), "name": project.area.name}
    assert body["pillar_detail"]["id"] == str(project.area.pillar_id)
    assert body["area"] == str(project.area_id)  # the database's copy


def test_filters_and_ordering(client_for, user):
    project = ProjectFactory(user=user)
    TaskFactory(user=user, project=project, name="b", priority="high")
    TaskFactory(user=user, project=project, name="a", priority="low")
    TaskFactory(user=user, name="c", priority="high")
    client = client_for(user)
    body = client.get(url("task-list"), {"project": project.pk, "ordering": "name"}).json()
    assert [row["name"] for row in body["results"]] == ["a", "b"]
    body = client.get(url("task-list"), {"priority": "high", "ordering": "-name"}).json()
    assert [row["name"] for row in body["results"]] == ["c", "b"]
    assert_error_shape(client.get(url("task-list"), {"priority": "whenever"}), 400)


def test_delete_archives_and_restore_brings_back(client_for, user):
    pillar = PillarFactory(user=user)
    client = client_for(user)
    assert client.delete(url("pillar-detail", pillar.pk)).status_code == 204
    assert Pillar.objects.get(pk=pillar.pk).archived_at is not None  # still there
    assert str(pillar.pk) not in {
        row["id"] for row in client.get(url("pillar-list")).json()["results"]
    }
    assert_error_shape(client.get(url("pillar-detail", pillar.pk)), 404)
    archived = client.get(url("pillar-list"), {"archived": "true"}).json()["results"]
    assert [row["id"] for row in archived] == [str(pillar.pk)]

    response = client.post(url("pillar-restore", pillar.pk))
    assert response.status_code == 200, response.content
    assert response.json()["archived"] is False
    assert client.get(url("pillar-detail", pillar.pk)).status_code == 200
    # Restoring a live row, or another user's, finds nothing to restore.
    assert_error_shape(client.post(url("pillar-restore", pillar.pk)), 404)
    others = PillarFactory()
    others.archived = True
    Pillar.objects.filter(pk=others.pk).update(archived=True)
    assert_error_shape(client.post(url("pillar-restore", others.pk)), 404)
    assert Pillar.objects.get(pk=others.pk).archived


def test_archived_tasks_leave_the_hierarchy_view(client_for, user):
    keep, gone = TaskFactory(user=user), TaskFactory(user=user)
    client = client_for(user)
    client.delete(url("task-detail", gone.pk))
    hierarchy_view_refresh()
    rows = client.get(url("hierarchy-list")).json()["results"]
    assert {row["task_id"] for row in rows} == {str(keep.pk)}
    assert rows[0]["pillar_name"] == keep.project.area.pillar.name


def test_the_audit_trail_records_the_requests_address_and_agent(client_for, user):
    project = ProjectFactory(user=user)
    client = client_for(user)
    response = client.post(
        url("task-list"),
        {"name": "Stretch", "project": str(project.pk)},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="aurum-test/1.0",
    )
    assert response.status_code == 201
    task_id = response.json()["id"]
    client.patch(url("task-detail", task_id), {"name": "Stretch more"}, format="json")
    client.delete(url("task-detail", task_id))
    trail = client.get(url("audit-log-list"), {"entity_id": task_id}).json()["results"]
    assert [row["action"] for row in trail] == ["archive", "update", "create"]
    assert trail[2]["ip_address"] == "198.51.100.7"
    assert trail[2]["user_agent"] == "aurum-test/1.0"
    assert trail[1]["old_values"] == {"name": "Stretch"}
    assert trail[1]["new_values"] == {"name": "Stretch more"}
    # Read-only: no writes offered.
    entry = AuditLog.objects.filter(entity_id=task_id).first()
    assert client.delete(url("audit-log-detail", entry.pk)).status_code == 405


def test_a_parent_of_another_user_is_unknown_and_nothing_is_written(client_for, user):
    strangers = ProjectFactory()
    response = client_for(user).post(
        url("task-list"), {"name": "Sneak", "project": str(strangers.pk)}, format="json"
    )
    body = assert_error_shape(response, 400)
    assert body["field"] == "project"
    assert not Task.objects.filter(name="Sneak").exists()


def test_completed_and_status_move_together_through_the_api(client_for, user):
    task = TaskFactory(user=user)
    client = client_for(user)
    body = client.patch(url("task-detail", task.pk), {"completed": True}, format="json").json()
    assert (body["status"], body["completed"]) == ("completed", True)
    assert body["completed_at"] is not None
    body = client.patch(url("task-detail", task.pk), {"status": "review"}, format="json").json()
    assert (body["status"], body["completed"], body["completed_at"]) == ("review", False, None)


def test_a_dependency_cycle_is_a_400_on_depends_on(client_for, user):
    a = TaskFactory(user=user)
    b = TaskFactory(user=user, project=a.project)
    client = client_for(user)
    link = {"task": str(a.pk), "depends_on": str(b.pk)}
    assert client.post(url("task-dependency-list"), link, format="json").status_code == 201
    back = {"task": str(b.pk), "depends_on": str(a.pk)}
    body = assert_error_shape(client.post(url("task-dependency-list"), back, format="json"), 400)
    assert (body["field"], body["code"]) == ("depends_on", "dependency_cycle")
    assert TaskDependency.objects.count() == 1
    assert client.get(url("task-detail", a.pk)).json()["depends_on"] == [str(b.pk)]


def test_bulk_task_create_is_one_request(client_for, user):
    project = ProjectFactory(user=user)
    items = [{"name": f"Step {n}", "project": str(project.pk)} for n in range(3)]
    response = client_for(user).post(url("task-list"), items, format="json")
    assert response.status_code == 201
    assert {row["area"] for row in response.json()} == {str(project.area_id)}


def test_writes_queue_one_debounced_view_refresh(
    client_for, user, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from aurum.services.hierarchy import REFRESH_PENDING_KEY

    cache.delete(REFRESH_PENDING_KEY)
    project = ProjectFactory(user=user)
    client = client_for(user)
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(3):
            client.post(url("task-list"), {"name": f"T{n}", "project": str(project.pk)})
    assert len(callbacks) == 1  # a burst of writes queues one refresh
    assert cache.get(REFRESH_PENDING_KEY) == 1
