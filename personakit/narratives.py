"""Narratives: writing them (a curation changes the mindscape), embedding them, searching them.

A narrative's embedding is computed after commit by the outbox task
``personakit.embed_narrative``; search compares only vectors of the current provider's model.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from pgvector.django import CosineDistance

from config import outbox
from config.embeddings import get_provider
from config.registries import EmbeddingColumn
from personakit import mindscapes
from personakit.choices import LinkType, NarrativeType
from personakit.models import Narrative, Person, TraitNarrativeLink

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

EMBED_TASK = "personakit.embed_narrative"
# The backfill embeds what the outbox handler embeds: the curated text, else the raw text.
EMBEDDING_TEXT = Coalesce(
    NullIf("curated_text", Value(""), output_field=TextField()),
    "raw_text",
    output_field=TextField(),
)
EMBEDDING_COLUMN = EmbeddingColumn(
    name="personakit.narratives",
    model="personakit.Narrative",
    text_field=EMBEDDING_TEXT,
    embedded_at_field="embedded_at",
)
CURATION_ACTIONS = ("set", "remove", "adjust")
WRITABLE_FIELDS = ("narrative_type", "raw_text", "curated_text", "tags", "context",
                   "trait_path", "curation_action", "source")  # fmt: skip
EDITABLE_FIELDS = ("curated_text", "tags", "context")

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


# --- writing --------------------------------------------------------------------------------


def narrative_create(*, user: AbstractBaseUser, person: Person, data: dict[str, Any]) -> Narrative:
    """Record a narrative about ``person``; a curation also changes their mindscape.

    A curation needs ``trait_path`` and ``curation_action`` ``{"action": "set", "value": v}``,
    ``{"action": "remove"}`` or ``{"action": "adjust", "delta": n}`` (numeric traits only);
    the trait change, its ``curates`` link and the embedding task commit with the narrative or
    not at all. Raises ``ValidationError`` for bad input.
    """
    unknown = set(data) - set(WRITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be written."))
    with transaction.atomic():
        narrative = Narrative(person=person, created_by=user, **data)
        narrative.full_clean()
        if narrative.narrative_type == NarrativeType.CURATION:
            change = _curate(narrative)
            narrative.save()
            TraitNarrativeLink.objects.create(
                narrative=narrative,
                trait_path=narrative.trait_path,
                link_type=LinkType.CURATES,
                confidence=1.0,
                metadata=change,
            )
        else:
            if narrative.trait_path or narrative.curation_action:
                raise ValidationError(
                    {"curation_action": "Only a curation narrative changes a trait."}
                )
            narrative.save()
        outbox.enqueue(EMBED_TASK, {"narrative_id": str(narrative.pk)})
    return narrative


def narrative_update(*, narrative: Narrative, data: dict[str, Any]) -> Narrative:
    """Edit ``curated_text``, ``tags`` or ``context``; what was said and curated stays as written.

    A new ``curated_text`` (the text that is embedded) re-queues the embedding; until it is
    done the narrative is left out of search rather than found by its old text.
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    with transaction.atomic():
        text_changed = "curated_text" in data and data["curated_text"] != narrative.curated_text
        for field, value in data.items():
            setattr(narrative, field, value)
        narrative.full_clean()
        if text_changed:
            narrative.embedding_model = None
        narrative.save()
        if text_changed:
            outbox.enqueue(EMBED_TASK, {"narrative_id": str(narrative.pk)})
    return narrative


def _curate(narrative: Narrative) -> dict[str, Any]:
    """Apply the curation to the mindscape; returns what changed (the link's metadata)."""
    path, action = narrative.trait_path, narrative.curation_action
    if not path:
        raise ValidationError({"trait_path": "A curation needs the trait path it curates."})
    if not isinstance(action, dict) or action.get("action") not in CURATION_ACTIONS:
        raise ValidationError({"curation_action": 'Give {"action": "set"|"remove"|"adjust", ...}.'})
    try:
        mindscapes.trait_path_parts(path)
    except ValidationError as error:
        raise ValidationError({"trait_path": error.message_dict["path"]}) from None
    person, verb = narrative.person, action["action"]
    mindscape = mindscapes.mindscape_for(person=person)
    previous = _trait_or_missing(mindscape.traits, path)
    if verb == "set":
        if "value" not in action:
            raise ValidationError({"curation_action": "A set needs a value."})
        value = action["value"]
        mindscape = mindscapes.mindscape_set_trait(
            person=person, path=path, value=value, expected_version=mindscape.version
        )
    elif verb == "remove":
        if previous is _MISSING:
            raise ValidationError({"trait_path": f"{path} has no value to remove."})
        value = None
        mindscape = mindscapes.mindscape_remove_trait(
            person=person, path=path, expected_version=mindscape.version
        )
    else:
        delta = action.get("delta")
        if not _is_number(delta):
            raise ValidationError({"curation_action": "An adjust needs a numeric delta."})
        if not _is_number(previous):
            raise ValidationError(
                {"trait_path": f"{path} holds {previous!r}; only a number can be adjusted."}
            )
        value = previous + delta
        # The version read with the old value: a concurrent change makes this a conflict,
        # never a lost update.
        mindscape = mindscapes.mindscape_set_trait(
            person=person, path=path, value=value, expected_version=mindscape.version
        )
    if previous is _MISSING:
        previous = None
    return {"action": verb, "previous": previous, "value": value, "version": mindscape.version}


_MISSING = object()


def _trait_or_missing(traits: dict[str, Any], path: str) -> Any:
    try:
        return mindscapes.trait_get(traits, path)
    except KeyError:
        return _MISSING


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# --- embedding ------------------------------------------------------------------------------


def narrative_embed(*, narrative_id: object) -> Narrative:
    """Store the current provider's embedding of the narrative (curated text, else raw text).

    Idempotent: a narrative already embedded by the provider's model is left alone. Raises
    ``Narrative.DoesNotExist`` for a missing narrative.
    """
    provider = get_provider()
    narrative = Narrative.objects.get(pk=narrative_id)
    if narrative.embedding_model == provider.model_name and narrative.embedding is not None:
        return narrative
    text = narrative.curated_text or narrative.raw_text
    vector = provider.embed_one(text)
    now = timezone.now()
    # Only if the text is still the one embedded: an edit meanwhile queued its own task.
    Narrative.objects.filter(
        pk=narrative.pk, raw_text=narrative.raw_text, curated_text=narrative.curated_text
    ).update(embedding=vector, embedding_model=provider.model_name, embedded_at=now)
    narrative.embedding, narrative.embedding_model, narrative.embedded_at = (
        vector,
        provider.model_name,
        now,
    )
    return narrative


def handle_embed_narrative(payload: dict[str, Any]) -> None:
    """Outbox handler of ``personakit.embed_narrative``: a deleted narrative needs nothing."""
    try:
        narrative_embed(narrative_id=payload["narrative_id"])
    except Narrative.DoesNotExist:
        return


# --- search ---------------------------------------------------------------------------------


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
