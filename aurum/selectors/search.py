"""Retrieval over a person's life (the seed's RAG): journal entries, tasks, projects,
reflections and conversation memory, ranked together by meaning.

Each source is one vector column; its nearest rows to the query are found alone (an exact
scan for a small candidate set, else the HNSW index with iterative scan, so the per-user
filter never leaves fewer than ``k`` when ``k`` exist), and the sources' hits merge by
cosine distance. Only vectors of the current provider's model are compared; archived rows
never match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import BooleanField, Model, Q
from django.db.models.expressions import RawSQL
from pgvector.django import CosineDistance

from aurum.models import ConversationMemory, DailyReflection, JournalEntry, Project, Task
from config.embeddings import EMBEDDING_DIMENSIONS, get_provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# As personakit's narrative search (measured there): below this many candidates an exact scan
# is about as cheap as the filtered HNSW walk, and exact.
EXACT_SCAN_BELOW = 2000
HNSW_EF_SEARCH = 200
HNSW_MAX_SCAN_TUPLES = 50_000
VECTOR_BYTES = 4 * EMBEDDING_DIMENSIONS  # the least an HNSW entry of ours takes
METHOD_HNSW = "hnsw_iterative"
METHOD_EXACT = "exact"
SNIPPET_CHARS = 240


def _snippet(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


@dataclass(frozen=True)
class Source:
    """One searchable vector column: its rows, and how a row shows in the results."""

    entity_type: str
    model: type[Model]
    vector_field: str
    index: str  # its HNSW index
    text_fields: tuple[str, ...]
    title: Callable[[Any], str]
    snippet: Callable[[Any], str]
    # The row filter (archived, partial-index predicate) besides user and model.
    live: Q = field(default_factory=Q)


# Spelled as idx_task_description_embedding's predicate, so the planner may use that index
# (Django writes ~Q(description="") on a nullable column as NOT (... AND ... IS NOT NULL)).
NON_EMPTY_DESCRIPTION = RawSQL("\"aurum\".\"tasks\".\"description\" <> ''", (),
                               output_field=BooleanField())  # fmt: skip
SOURCES = (
    Source("journal_entry", JournalEntry, "content_embedding", "idx_journal_content_embedding",
           ("title", "content", "entry_date"), lambda r: r.title or f"Journal {r.entry_date}",
           lambda r: _snippet(r.content), Q(archived=False)),
    Source("task", Task, "name_embedding", "idx_task_name_embedding", ("name", "description"),
           lambda r: r.name, lambda r: _snippet(r.description or r.name), Q(archived=False)),
    Source("task", Task, "description_embedding", "idx_task_description_embedding",
           ("name", "description"), lambda r: r.name, lambda r: _snippet(r.description),
           Q(archived=False, description__isnull=False) & Q(NON_EMPTY_DESCRIPTION)),
    Source("project", Project, "combined_embedding", "idx_project_embedding",
           ("name", "description"), lambda r: r.name,
           lambda r: _snippet(r.description or r.name), Q(archived=False)),
    Source("reflection", DailyReflection, "reflection_embedding", "idx_reflection_embedding",
           ("reflection_date", "reflection_text"), lambda r: f"Reflection {r.reflection_date}",
           lambda r: _snippet(r.reflection_text)),
    Source("conversation", ConversationMemory, "message_embedding", "idx_conversation_embedding",
           ("message_role", "message_content", "conversation_date"),
           lambda r: f"{r.message_role.capitalize()} message {r.conversation_date}",
           lambda r: _snippet(r.message_content), Q(archived_at__isnull=True)),
)  # fmt: skip
ENTITY_TYPES = tuple(dict.fromkeys(source.entity_type for source in SOURCES))


@dataclass(frozen=True)
class Hit:
    entity_type: str
    row: Any
    title: str
    snippet: str
    distance: float

    @property
    def entity_id(self) -> Any:
        return self.row.pk

    @property
    def score(self) -> float:
        """Cosine similarity, 1 for the same meaning."""
        return round(1.0 - self.distance, 6)


@dataclass(frozen=True)
class SearchResult:
    items: list[Hit]
    k: int

    @property
    def exhaustive(self) -> bool:
        """Fewer than ``k`` rows match: every one of them is returned."""
        return len(self.items) < self.k


def candidates(source: Source, *, user: AbstractBaseUser, model_name: str) -> Any:
    vector = source.vector_field
    return source.model.objects.filter(
        source.live, user=user, embedding_model=model_name, **{f"{vector}__isnull": False}
    )


def nearest(source: Source, rows: Any, vector: Any, k: int, method: str) -> list[Hit]:
    """The ``k`` rows of ``rows`` nearest to ``vector`` by ``method`` (exact or HNSW)."""
    ranked = (
        rows.only("pk", *source.text_fields)
        .annotate(distance=CosineDistance(source.vector_field, vector))
        .order_by("distance")[:k]
    )
    sql, params = ranked.query.sql_with_params()
    # relaxed_order may return neighbours slightly out of order: re-sort the k found.
    sql = f"WITH found AS MATERIALIZED ({sql}) SELECT * FROM found ORDER BY distance"  # noqa: S608
    if method == METHOD_HNSW:
        planner = {
            "hnsw.iterative_scan": "relaxed_order",
            "hnsw.ef_search": str(max(HNSW_EF_SEARCH, k)),
            "hnsw.max_scan_tuples": str(HNSW_MAX_SCAN_TUPLES),
            "enable_sort": "off",  # only the HNSW scan yields rows in distance order
        }
    else:
        planner = {"enable_indexscan": "off"}  # an index scan here could only be HNSW's
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in planner.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        try:
            found = list(source.model.objects.raw(sql, params))
        finally:
            # Inside a request's transaction a savepoint's release keeps SET LOCAL: undo it,
            # so neither the next source nor the rest of the request plans with these.
            for name in planner:
                cursor.execute(f"RESET {name}")
    return [
        Hit(source.entity_type, row, source.title(row), source.snippet(row), float(row.distance))
        for row in found
    ]


def _scan_may_stop_early(source: Source) -> bool:
    """Whether an iterative scan of the source's index may give up before it has seen every
    entry (so fewer than ``k`` found need not be all there are). Each entry holds its whole
    vector, so the index's size in bytes bounds how many entries it has."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s::regclass)", [f"aurum.{source.index}"])
        (size,) = cursor.fetchone()
    return size / VECTOR_BYTES > HNSW_MAX_SCAN_TUPLES


def life_search(
    *,
    user: AbstractBaseUser,
    query: str,
    k: int = 10,
    entity_types: tuple[str, ...] | None = None,
    method: str | None = None,
    vector: Any = None,
) -> SearchResult:
    """The ``k`` rows of the user's life nearest in meaning to ``query``, closest first, one
    per entity (a task matched by name and description counts once). ``method`` forces
    ``exact`` or ``hnsw_iterative`` for every source; ``vector`` is the query's embedding when
    the caller has it. Raises ``EmbeddingInputError`` for a blank query."""
    provider = get_provider()
    vector = provider.embed_one(query) if vector is None else vector
    best: dict[tuple[str, Any], Hit] = {}
    for source in SOURCES:
        if entity_types and source.entity_type not in entity_types:
            continue
        # The user's rows, not the matching ones: counting those could scan every row of a
        # person with many, when few or none are embedded.
        owned = source.model.objects.filter(user=user).order_by()[:EXACT_SCAN_BELOW].count()
        if not owned:
            continue
        rows = candidates(source, user=user, model_name=provider.model_name)
        chosen = method or (METHOD_EXACT if owned < EXACT_SCAN_BELOW else METHOD_HNSW)
        hits = nearest(source, rows, vector, k, chosen)
        if chosen == METHOD_HNSW and len(hits) < k and _scan_may_stop_early(source):
            hits = nearest(source, rows, vector, k, METHOD_EXACT)
        for hit in hits:
            key = (hit.entity_type, hit.entity_id)
            if key not in best or hit.distance < best[key].distance:
                best[key] = hit
    ranked = sorted(best.values(), key=lambda hit: (hit.distance, str(hit.entity_id)))
    return SearchResult(items=ranked[:k], k=k)
