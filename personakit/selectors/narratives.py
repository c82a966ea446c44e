"""Narratives the caller may read, and search: a person's narratives nearest in meaning.

Search compares only vectors of the current provider's model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import QuerySet
from pgvector.django import CosineDistance

from config.embeddings import get_provider
from personakit.models import Narrative, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Below this many candidate rows (the person's embedded narratives matching the filters) an
# exact scan (bitmap scan of idx_narratives_person + top-k sort) is used: exact, and about as
# cheap as the filtered HNSW walk (measured on 30,000 rows, 300 the person's: 3.5 ms exact vs
# 4 ms HNSW per search, 2 cores). 2,000 is an extrapolation of the linear exact cost.
EXACT_SCAN_BELOW = 2000
# The graph walk's candidate list; iterative scan extends it batch by batch while the filter
# discards other persons' rows, so this mostly buys ordering quality (recall) per batch.
HNSW_EF_SEARCH = 200
# How far one iterative scan may go before giving up (pgvector's default is 20,000). Past it
# the scan returns what it has; the search then falls back to an exact scan.
HNSW_MAX_SCAN_TUPLES = 50_000
METHOD_HNSW = "hnsw_iterative"
METHOD_EXACT = "exact"


@dataclass(frozen=True)
class SearchHit:
    narrative: Narrative
    distance: float

    @property
    def similarity(self) -> float:
        return 1.0 - self.distance


@dataclass(frozen=True)
class SearchResult:
    """The nearest narratives, closest first; ``available`` < ``k`` means all there are."""

    items: list[SearchHit]
    k: int
    method: str  # METHOD_HNSW or METHOD_EXACT
    available: int  # matching embedded narratives, counted up to EXACT_SCAN_BELOW

    @property
    def exhaustive(self) -> bool:
        """True when fewer than ``k`` narratives match, so every one of them is returned."""
        return self.available < self.k


def narratives_search(
    *,
    person: Person,
    query: str,
    k: int = 10,
    narrative_type: str | None = None,
    tags: list[str] | None = None,
    method: str | None = None,
) -> SearchResult:
    """The ``k`` narratives of ``person`` nearest to ``query`` by cosine distance.

    Only vectors of the provider's current model are compared. Few candidates (under
    ``EXACT_SCAN_BELOW``) are scanned exactly; otherwise the HNSW index is walked with
    iterative scan so that the filters never leave fewer than ``k`` when ``k`` exist (and if
    the walk gives up early, an exact scan answers instead). ``method`` forces a path.
    Raises ``EmbeddingInputError`` for a blank query.
    """
    provider = get_provider()
    vector = provider.embed_one(query)
    candidates = Narrative.objects.filter(person=person, embedding_model=provider.model_name)
    candidates = candidates.exclude(embedding=None)
    if narrative_type:
        candidates = candidates.filter(narrative_type=narrative_type)
    if tags:
        candidates = candidates.filter(tags__contains=list(tags))
    # Bounded count: cheap even for a person with millions of rows.
    available = candidates[:EXACT_SCAN_BELOW].count()
    if method is None:
        method = METHOD_EXACT if available < EXACT_SCAN_BELOW else METHOD_HNSW
    hits = _nearest(candidates, vector, k, method)
    if method == METHOD_HNSW and len(hits) < min(k, available):
        method, hits = METHOD_EXACT, _nearest(candidates, vector, k, METHOD_EXACT)
    return SearchResult(items=hits, k=k, method=method, available=available)


def _nearest(candidates: Any, vector: Any, k: int, method: str) -> list[SearchHit]:
    distance = CosineDistance("embedding", vector)
    ranked = candidates.defer("embedding").annotate(distance=distance).order_by("distance")[:k]
    sql, params = ranked.query.sql_with_params()
    # relaxed_order may return neighbours slightly out of order: re-sort the k found (the
    # materialized CTE keeps the planner from folding the outer sort into the index scan).
    sql = f"WITH found AS MATERIALIZED ({sql}) SELECT * FROM found ORDER BY distance"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        if method == METHOD_HNSW:
            cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            cursor.execute(f"SET LOCAL hnsw.ef_search = {max(HNSW_EF_SEARCH, k)}")
            cursor.execute(f"SET LOCAL hnsw.max_scan_tuples = {HNSW_MAX_SCAN_TUPLES}")
            # Only the HNSW scan yields rows in distance order; without this the planner may
            # prefer the person index + a sort of all their rows (exact, but slow at this size).
            cursor.execute("SET LOCAL enable_sort = off")
        else:
            # An index scan here could only be the (approximate) HNSW one.
            cursor.execute("SET LOCAL enable_indexscan = off")
        rows = list(Narrative.objects.raw(sql, params))
    return [SearchHit(narrative=row, distance=float(row.distance)) for row in rows]


def narratives_of(*, user: AbstractBaseUser) -> QuerySet[Narrative]:
    """Narratives about the persons ``user`` owns, their vectors left unread."""
    return Narrative.objects.defer("embedding").filter(person__owner=user)
