"""Reads of dreams and their fragments, implementations and todos, shaped for display.

Querysets come with their ``select_related``/``prefetch_related``, so a page costs the same
number of queries whatever its length. Under the API's row-level security the database also
hides other users' rows; the explicit ``user`` filters keep these reads correct for callers
that run as the tables' owner (the admin, Celery).
"""

from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dreamcatcher.models import Dream, Fragment, Implementation, Tag, Todo, User


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
