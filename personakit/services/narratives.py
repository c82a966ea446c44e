"""Narratives: writing them (a curation changes the mindscape) and embedding them.

A narrative's embedding is computed after commit by the outbox task
``personakit.embed_narrative`` (``tasks.handle_embed_narrative``); search is in
``personakit.selectors.narratives``.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from config import outbox
from config.concurrency import VersionConflict
from config.embeddings import get_provider
from config.registries import EmbeddingColumn
from personakit.choices import LinkType, NarrativeType
from personakit.models import Narrative, TraitNarrativeLink
from personakit.selectors.mindscapes import trait_get
from personakit.services import mindscapes

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

EMBED_TASK = "personakit.embed_narrative"  # stored in outbox rows: never rename
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


# --- writing --------------------------------------------------------------------------------


def narrative_create(*, user: AbstractBaseUser, data: Mapping[str, Any]) -> Narrative:
    """Record a narrative about ``data["person"]``; a curation also changes their mindscape.

    A curation needs ``trait_path`` and ``curation_action`` ``{"action": "set", "value": v}``,
    ``{"action": "remove"}`` or ``{"action": "adjust", "delta": n}`` (numeric traits only);
    the trait change, its ``curates`` link and the embedding task commit with the narrative or
    not at all. Raises ``ValidationError`` for bad input, ``VersionConflict`` (on
    ``trait_path``) when the mindscape changed while the curation applied.
    """
    unknown = set(data) - {"person", *WRITABLE_FIELDS}
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be written."))
    with transaction.atomic():
        narrative = Narrative(created_by=user, **data)
        narrative.full_clean()
        if narrative.narrative_type == NarrativeType.CURATION:
            try:
                change = _curate(narrative)
            except VersionConflict as conflict:
                version = conflict.current_version
                raise VersionConflict(version, noun="mindscape", field="trait_path") from conflict
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


def narrative_update(
    *, narrative: Narrative, user: AbstractBaseUser, data: Mapping[str, Any]
) -> Narrative:
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


def narrative_delete(*, narrative: Narrative) -> None:
    """Forget a narrative; its trait links and persona usages go with it (ON DELETE CASCADE)."""
    narrative.delete()


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
        return trait_get(traits, path)
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
