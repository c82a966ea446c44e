"""Reads of Dreamcatcher: a user's rows shaped for display, and the seed's views and functions.

Querysets come with their ``select_related``/``prefetch_related``, so a page costs the same
number of queries whatever its length. Under the API's row-level security the database also
hides other users' rows; the explicit ``user`` filters keep these reads correct for callers
that run as the tables' owner (the admin, Celery).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dreamcatcher import cache
from dreamcatcher.models import (
    Brand,
    Document,
    Dream,
    DreamSummary,
    Fragment,
    Implementation,
    SyncSession,
    Tag,
    Todo,
    User,
    UserActivity,
)


def _child_count(model: type[Fragment | Implementation]) -> Coalesce:
    """How many ``model`` rows the dream has: a correlated count, no join to multiply rows."""
    per_dream = (
        model.objects.filter(dream=OuterRef("pk"))
        .order_by()
        .values("dream")
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(per_dream, output_field=IntegerField()), 0)


def _array_length(column: str) -> Func:
    """Length of a dream's JSONB id array, which triggers keep equal to its rows."""
    return Func(F(column), function="jsonb_array_length", output_field=IntegerField())


def dream_list(*, user: User) -> QuerySet[Dream]:
    """The user's dreams with their tags and the number of each kind of child (no child rows)."""
    return (
        Dream.objects.filter(user=user)
        .annotate(
            fragment_count=_child_count(Fragment),
            implementation_count=_child_count(Implementation),
            todo_count=_array_length("todos"),
            document_count=_array_length("documents"),
        )
        .prefetch_related(Prefetch("tag_set", queryset=Tag.objects.order_by("name")))
    )


def dream_detail_list(*, user: User) -> QuerySet[Dream]:
    """``dream_list`` plus every fragment, todo, document and implementation of each dream."""
    return dream_list(user=user).prefetch_related(
        "fragments", "todo_set", "document_set", "implementations"
    )


def fragment_list(*, user: User) -> QuerySet[Fragment]:
    """The user's fragments, across their dreams."""
    return Fragment.objects.filter(user=user)


def implementation_list(*, user: User) -> QuerySet[Implementation]:
    """The user's implementations, across their dreams."""
    return Implementation.objects.filter(user=user)


def todo_list(*, user: User) -> QuerySet[Todo]:
    """The user's todos, across their dreams."""
    return Todo.objects.filter(user=user)


def document_list(*, user: User) -> QuerySet[Document]:
    """The user's documents (metadata; the files live in storage)."""
    return Document.objects.filter(user=user)


def sync_session_list(*, user: User) -> QuerySet[SyncSession]:
    """The user's sync sessions, newest first."""
    return SyncSession.objects.filter(user=user)


def brand_list() -> QuerySet[Brand]:
    """Every brand, active or not (dreams keep pointing at retired ones)."""
    return Brand.objects.all()


def tag_list() -> QuerySet[Tag]:
    """Every tag with its exact usage count."""
    return Tag.objects.all()


def _function_row(sql: str, params: list[Any]) -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column.name for column in cursor.description], row, strict=True))


def dream_statistics(*, dream_id: str) -> dict[str, Any] | None:
    """``get_dream_statistics(dream_id)``: counts of the dream's children and % of todos done.

    Cached per dream until a write to the dream or its children (``dreamcatcher.cache``);
    ``None`` when the dream does not exist (or, under row-level security, is not the caller's).
    """
    return cache.remember(
        cache.dream_statistics_key(dream_id),
        lambda: _function_row(
            "SELECT * FROM dreamcatcher.get_dream_statistics(%s)", [str(dream_id)]
        ),
    )


def sync_status(*, user: User) -> dict[str, Any]:
    """``get_sync_status(user)``: how many of the user's dreams are synced, and when last.

    Cached per user until a write to one of their dreams.
    """
    row = cache.remember(
        cache.sync_status_key(user.pk),
        lambda: _function_row("SELECT * FROM dreamcatcher.get_sync_status(%s)", [str(user.pk)]),
    )
    assert row is not None  # an aggregate without GROUP BY always answers one row
    return row


def user_activity(*, user: User) -> UserActivity:
    """The user's row of view ``user_activity`` (every account has one)."""
    return UserActivity.objects.get(user=user)


def dream_summary(*, user: User) -> QuerySet[DreamSummary]:
    """The user's rows of view ``dream_summary``.

    The view has no owner column and runs with its owner's rights (row-level security does
    not reach through it), so it is filtered by the user's dream ids, given as a list: a
    constant list is pushed down into the view's GROUP BY, a subquery would not be.
    """
    dream_ids = list(Dream.objects.filter(user=user).values_list("id", flat=True))
    return DreamSummary.objects.filter(id__in=dream_ids)
