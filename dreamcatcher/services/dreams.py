"""Writes of dreams and the rows hanging off them: fragments, implementations, todos.

Each service validates, saves, and forgets the cached summaries. The database keeps the
rules every writer obeys (a child's owner is its dream's, todo status moves, usage counts,
the dreams' JSONB arrays); these functions add model validation, one transaction per call,
and cache invalidation (``dreamcatcher.selectors.cache``). ``child_update`` and
``child_delete`` are shared with the documents' services.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model

from dreamcatcher.choices import TODO_TRANSITIONS
from dreamcatcher.models import (
    Document,
    Dream,
    DreamTag,
    Fragment,
    Implementation,
    Tag,
    Todo,
    User,
)
from dreamcatcher.selectors import cache

MAX_BULK_ITEMS = 1000
INVALID_TRANSITION = "invalid_transition"

Child = TypeVar("Child", Fragment, Implementation, Todo, Document)
Row = TypeVar("Row", bound=Model)


def _stamp(row: Model, user: User, *, created: bool) -> None:
    """The seed's ``created_by`` / ``updated_by`` columns hold the writing account's id."""
    for field in ("created_by", "updated_by") if created else ("updated_by",):
        if hasattr(row, field):
            setattr(row, field, str(user.pk))


def _apply(row: Row, data: Mapping[str, Any]) -> Row:
    for field, value in data.items():
        setattr(row, field, value)
    return row


# --- dreams ---------------------------------------------------------------------------------


@transaction.atomic
def dream_create(*, user: User, data: Mapping[str, Any]) -> Dream:
    """Create a dream owned by ``user`` from the writable fields in ``data``."""
    dream = Dream(user=user, **data)
    _stamp(dream, user, created=True)
    dream.full_clean()
    dream.save()
    dream.refresh_from_db()  # database defaults and stamps
    cache.forget_rows([dream])
    return dream


@transaction.atomic
def dream_update(*, dream: Dream, user: User, data: Mapping[str, Any]) -> Dream:
    """Change the dream's writable fields in ``data``; the database stamps ``updated``."""
    _apply(dream, data)
    _stamp(dream, user, created=False)
    dream.full_clean()
    dream.save()
    dream.refresh_from_db()
    cache.forget_rows([dream])
    return dream


@transaction.atomic
def dream_delete(*, dream: Dream) -> None:
    """Delete the dream with its fragments, implementations, documents, todos and tag links."""
    cache.forget_rows([dream])
    dream.delete()


@transaction.atomic
def dream_set_tags(*, dream: Dream, tag_ids: Sequence[str]) -> Dream:
    """Replace the dream's tags with ``tag_ids``; the triggers keep usage counts and arrays.

    Raises ``ValidationError`` on ``tags`` naming the unknown ids, changing nothing.
    """
    wanted = set(tag_ids)
    unknown = wanted - set(Tag.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if unknown:
        message = f"Unknown tags: {', '.join(sorted(unknown))}."
        raise ValidationError({"tags": ValidationError(message, "does_not_exist")})
    # Lock the dream so two replacements of its tags run one after the other.
    Dream.objects.select_for_update().filter(pk=dream.pk).values_list("pk").get()
    links = DreamTag.objects.filter(dream=dream)
    current = set(links.values_list("tag_id", flat=True))
    links.filter(tag_id__in=current - wanted).delete()
    DreamTag.objects.bulk_create(
        [DreamTag(dream=dream, tag_id=tag_id) for tag_id in sorted(wanted - current)]
    )
    dream.refresh_from_db()
    return dream


# --- children of a dream: fragments, implementations, todos (documents: documents.py) -------


def _child_prepare(row: Child, user: User, *, created: bool) -> Child:
    # The trigger inherit_owner sets the owner from the dream; say so in Python for full_clean.
    row.user_id = row.dream.user_id
    _stamp(row, user, created=created)
    return row


@transaction.atomic
def _child_create(model: type[Child], *, user: User, data: Mapping[str, Any]) -> Child:
    row = _child_prepare(model(**data), user, created=True)
    row.full_clean()
    row.save()
    row.refresh_from_db()  # owner, timestamps and completed_at come from the database
    cache.forget_rows([row])
    return row


@transaction.atomic
def child_update(*, row: Child, user: User, data: Mapping[str, Any]) -> Child:
    """Change a child's fields in ``data`` (moving it to another dream included)."""
    dream_before = row.dream_id
    _child_prepare(_apply(row, data), user, created=False)
    row.full_clean()
    row.save()
    row.refresh_from_db()
    cache.forget(dream_ids=[dream_before, row.dream_id])
    return row


@transaction.atomic
def child_delete(*, row: Child) -> None:
    """Delete a child of a dream."""
    cache.forget_rows([row])
    row.delete()


@transaction.atomic
def _child_bulk_create(
    model: type[Child], *, user: User, items: Sequence[Mapping[str, Any]]
) -> list[Child]:
    """All or nothing: one INSERT of every item; per-item errors under ``<index>.<field>``."""
    if not items or len(items) > MAX_BULK_ITEMS:
        raise ValidationError(f"Send between 1 and {MAX_BULK_ITEMS} items.", "bulk_size")
    rows = [_child_prepare(model(**item), user, created=True) for item in items]
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        try:
            # Foreign keys, uniqueness and CHECKs are left to the one INSERT: per row they
            # would cost a query each.
            row.full_clean(
                exclude=["dream", "user"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{index}.{field}"] = messages
    if errors:
        raise ValidationError(errors)
    model.objects.bulk_create(rows)
    cache.forget(dream_ids=[row.dream_id for row in rows])
    # Re-read: the database set the owners, timestamps and completed_at.
    saved = model.objects.in_bulk([row.pk for row in rows])
    return [saved[row.pk] for row in rows]


def fragment_create(*, user: User, data: Mapping[str, Any]) -> Fragment:
    """Attach a fragment to ``data["dream"]`` (a dream of ``user``, checked by the caller)."""
    return _child_create(Fragment, user=user, data=data)


def fragment_update(*, fragment: Fragment, user: User, data: Mapping[str, Any]) -> Fragment:
    """Change the fragment's fields in ``data`` (moving it to another dream included)."""
    return child_update(row=fragment, user=user, data=data)


def fragment_delete(*, fragment: Fragment) -> None:
    """Delete the fragment."""
    child_delete(row=fragment)


def fragment_bulk_create(*, user: User, items: Sequence[Mapping[str, Any]]) -> list[Fragment]:
    """Create up to ``MAX_BULK_ITEMS`` fragments at once, or none."""
    return _child_bulk_create(Fragment, user=user, items=items)


def implementation_create(*, user: User, data: Mapping[str, Any]) -> Implementation:
    """Record an implementation of ``data["dream"]``."""
    return _child_create(Implementation, user=user, data=data)


def implementation_update(
    *, implementation: Implementation, user: User, data: Mapping[str, Any]
) -> Implementation:
    """Change the implementation's fields in ``data``."""
    return child_update(row=implementation, user=user, data=data)


def implementation_delete(*, implementation: Implementation) -> None:
    """Delete the implementation."""
    child_delete(row=implementation)


def todo_create(*, user: User, data: Mapping[str, Any]) -> Todo:
    """Add a todo to ``data["dream"]``; the database stamps ``completed_at`` if it is done."""
    return _child_create(Todo, user=user, data=data)


def todo_status_move_allowed(current: str, new: str) -> bool:
    """Whether a todo may go from ``current`` to ``new`` (staying put always may)."""
    return current == new or (current, new) in TODO_TRANSITIONS


def todo_update(*, todo: Todo, user: User, data: Mapping[str, Any]) -> Todo:
    """Change the todo's fields in ``data``; a status move must be one of ``TODO_TRANSITIONS``.

    The database's transition trigger is the backstop for moves checked against a stale
    status: its refusal becomes a ``ValidationError`` coded ``invalid_transition`` on
    ``status``, and the todo is left as it was.
    """
    current = todo.status
    try:
        # A savepoint: the trigger's refusal must not poison the caller's transaction.
        with transaction.atomic():
            return child_update(row=todo, user=user, data=data)
    except DatabaseError as error:  # psycopg reports the trigger's RAISE as ProgrammingError
        if "Invalid transition" not in str(error):
            raise
        new = data.get("status", todo.status)
        todo.status = current
        message = f"A todo cannot move from {current} to {new}."
        raise ValidationError({"status": ValidationError(message, INVALID_TRANSITION)}) from error


def todo_delete(*, todo: Todo) -> None:
    """Delete the todo."""
    child_delete(row=todo)


def todo_bulk_create(*, user: User, items: Sequence[Mapping[str, Any]]) -> list[Todo]:
    """Create up to ``MAX_BULK_ITEMS`` todos at once, or none."""
    return _child_bulk_create(Todo, user=user, items=items)
