"""Writes of the life hierarchy: pillars, areas, projects, tasks and task dependencies.

The database keeps what every writer obeys (a row under its own user's parents, copied
hierarchy ids, completed and status in step, completion and time rollups, the audit trail,
stale embeddings); these services add model validation, one transaction per call, soft
delete (``archived``) with restore, and a debounced refresh of ``hierarchy_view``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from aurum.choices import TaskStatus
from aurum.models import Area, Pillar, Project, Task, TaskDependency
from config.database.matviews import refresh_materialized_view

logger = logging.getLogger(__name__)

MAX_BULK_ITEMS = 1000
HIERARCHY_VIEW = "aurum.hierarchy_view"
REFRESH_PENDING_KEY = "aurum:hierarchy_view:refresh_pending"

Row = TypeVar("Row", bound=Model)


def hierarchy_view_refresh_soon() -> bool:
    """Queue one refresh of ``hierarchy_view`` for after this transaction commits, at most one
    per ``AURUM_HIERARCHY_REFRESH_DEBOUNCE_SECONDS``: a burst of writes refreshes once, after
    it. Returns whether this call queued it."""
    delay = settings.AURUM_HIERARCHY_REFRESH_DEBOUNCE_SECONDS
    if not cache.add(REFRESH_PENDING_KEY, 1, timeout=delay + 60):
        return False

    def send() -> None:
        from aurum.tasks import refresh_hierarchy_view  # tasks import the services

        try:
            refresh_hierarchy_view.apply_async(countdown=delay)
        except Exception:  # the write stands; beat's hourly refresh catches up
            cache.delete(REFRESH_PENDING_KEY)
            logger.warning("could not queue a hierarchy_view refresh", exc_info=True)

    transaction.on_commit(send)
    return True


def _apply(row: Row, data: Mapping[str, Any]) -> Row:
    for field, value in data.items():
        setattr(row, field, value)
    return row


def _save(row: Row, *, exclude: Sequence[str] = ()) -> Row:
    row.full_clean(exclude=list(exclude))
    row.save()
    row.refresh_from_db()  # what the database derived: stamps, copies, rollups
    hierarchy_view_refresh_soon()
    return row


@transaction.atomic
def _create(model: type[Row], *, user: Any, data: Mapping[str, Any]) -> Row:
    return _save(model(user=user, **data))


@transaction.atomic
def _update(row: Row, data: Mapping[str, Any]) -> Row:
    return _save(_apply(row, data))


@transaction.atomic
def _bulk_create(model: type[Row], *, user: Any, items: Sequence[Mapping[str, Any]]) -> list[Row]:
    """All or nothing; per-item errors under ``<index>.<field>``."""
    if not items or len(items) > MAX_BULK_ITEMS:
        raise ValidationError(f"Send between 1 and {MAX_BULK_ITEMS} items.", "bulk_size")
    rows = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        row = model(user=user, **_reconciled(model, item))
        try:
            row.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{index}.{field}"] = messages
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    model.objects.bulk_create(rows)
    hierarchy_view_refresh_soon()
    saved = model.objects.in_bulk([row.pk for row in rows])
    return [saved[row.pk] for row in rows]


@transaction.atomic
def row_archive(*, row: Row) -> Row:
    """Soft delete: the row leaves lists and search; the database stamps ``archived_at``."""
    type(row).objects.filter(pk=row.pk).update(archived=True)
    row.refresh_from_db()
    hierarchy_view_refresh_soon()
    return row


@transaction.atomic
def row_restore(*, row: Row) -> Row:
    """Bring an archived row back."""
    type(row).objects.filter(pk=row.pk).update(archived=False)
    row.refresh_from_db()
    hierarchy_view_refresh_soon()
    return row


def _reconciled(model: type[Model], data: Mapping[str, Any]) -> dict[str, Any]:
    """A task's ``completed`` and ``status`` as the database will make them (so validation of
    the CHECK joining them sees the stored row)."""
    data = dict(data)
    if model is Task:
        if "status" in data:
            data["completed"] = data["status"] == TaskStatus.COMPLETED
        elif "completed" in data:
            data["status"] = TaskStatus.COMPLETED if data["completed"] else TaskStatus.TODO
    return data


# --- pillars --------------------------------------------------------------------------------


def pillar_create(*, user: Any, data: Mapping[str, Any]) -> Pillar:
    """Create a pillar owned by ``user``."""
    return _create(Pillar, user=user, data=data)


def pillar_update(*, pillar: Pillar, user: Any, data: Mapping[str, Any]) -> Pillar:
    """Change the pillar's fields in ``data``."""
    return _update(pillar, data)


def pillar_delete(*, pillar: Pillar) -> Pillar:
    """Archive the pillar (its areas stay, and so does the pillar's place in their history)."""
    return row_archive(row=pillar)


def pillar_bulk_create(*, user: Any, items: Sequence[Mapping[str, Any]]) -> list[Pillar]:
    """Create up to ``MAX_BULK_ITEMS`` pillars at once, or none."""
    return _bulk_create(Pillar, user=user, items=items)


# --- areas ----------------------------------------------------------------------------------


def area_create(*, user: Any, data: Mapping[str, Any]) -> Area:
    """Create an area owned by ``user``, under ``data["pillar"]`` if given."""
    return _create(Area, user=user, data=data)


def area_update(*, area: Area, user: Any, data: Mapping[str, Any]) -> Area:
    """Change the area's fields; moving it to another pillar moves its projects and tasks."""
    return _update(area, data)


def area_delete(*, area: Area) -> Area:
    """Archive the area."""
    return row_archive(row=area)


def area_bulk_create(*, user: Any, items: Sequence[Mapping[str, Any]]) -> list[Area]:
    """Create up to ``MAX_BULK_ITEMS`` areas at once, or none."""
    return _bulk_create(Area, user=user, items=items)


# --- projects -------------------------------------------------------------------------------


def project_create(*, user: Any, data: Mapping[str, Any]) -> Project:
    """Create a project in ``data["area"]``."""
    return _create(Project, user=user, data=data)


def project_update(*, project: Project, user: Any, data: Mapping[str, Any]) -> Project:
    """Change the project's fields; moving it to another area moves its tasks."""
    return _update(project, data)


def project_delete(*, project: Project) -> Project:
    """Archive the project."""
    return row_archive(row=project)


def project_bulk_create(*, user: Any, items: Sequence[Mapping[str, Any]]) -> list[Project]:
    """Create up to ``MAX_BULK_ITEMS`` projects at once, or none."""
    return _bulk_create(Project, user=user, items=items)


# --- tasks ----------------------------------------------------------------------------------


def task_create(*, user: Any, data: Mapping[str, Any]) -> Task:
    """Create a task in ``data["project"]``; the database copies its area and pillar."""
    return _create(Task, user=user, data=_reconciled(Task, data))


def task_update(*, task: Task, user: Any, data: Mapping[str, Any]) -> Task:
    """Change the task's fields; ``completed`` and ``status`` move together."""
    return _update(task, _reconciled(Task, data))


def task_delete(*, task: Task) -> Task:
    """Archive the task."""
    return row_archive(row=task)


def task_bulk_create(*, user: Any, items: Sequence[Mapping[str, Any]]) -> list[Task]:
    """Create up to ``MAX_BULK_ITEMS`` tasks at once, or none."""
    return _bulk_create(Task, user=user, items=items)


# --- task dependencies ----------------------------------------------------------------------

CYCLE = "dependency_cycle"


@transaction.atomic
def task_dependency_create(*, user: Any, data: Mapping[str, Any]) -> TaskDependency:
    """``data["task"]`` waits for ``data["depends_on"]`` (both the caller's).

    Raises ``ValidationError`` on ``depends_on`` when the link would close a cycle (the
    database's check, taken in turn per user, is the final word).
    """
    link = TaskDependency(user=user, **data)
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:
        if getattr(error.__cause__, "diag", None) is None or (
            error.__cause__.diag.constraint_name != "chk_task_dependency_acyclic"
        ):
            raise
        message = "This dependency would make the tasks wait for each other in a cycle."
        raise ValidationError({"depends_on": ValidationError(message, CYCLE)}) from error
    return link


def task_dependency_delete(*, task_dependency: TaskDependency) -> None:
    """Remove the link."""
    task_dependency.delete()


def hierarchy_view_refresh() -> dict[str, Any]:
    """Refresh ``hierarchy_view`` now (concurrently; a refresh already running makes this a
    no-op) and record when; writes from here on queue the next debounced refresh."""
    cache.delete(REFRESH_PENDING_KEY)
    refresh = refresh_materialized_view(HIERARCHY_VIEW)
    return {
        "view": refresh.view,
        "refreshed": refresh.refreshed,
        "concurrently": refresh.concurrently,
        "duration_ms": refresh.duration_ms,
    }
