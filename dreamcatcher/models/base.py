"""Pieces the Dreamcatcher tables share beyond config.db's: string ids, the owner rule."""

import pgtrigger
from django.db import models

from config.db import RandomTextId, new_text_id

SCHEMA = "dreamcatcher"


def text_id() -> models.CharField:
    """The seeds' ``id VARCHAR(255) PRIMARY KEY``, generated when not given."""
    return models.CharField(
        primary_key=True, max_length=255, default=new_text_id, db_default=RandomTextId()
    )


def dream_link(related_name: str) -> models.ForeignKey:
    """``dream_id ... REFERENCES dreams(id) ON DELETE CASCADE``."""
    return models.ForeignKey(
        "dreamcatcher.Dream", on_delete=models.CASCADE, related_name=related_name, db_index=False
    )


def inherit_owner() -> pgtrigger.Trigger:
    """A child row belongs to its dream's owner, whoever writes it.

    Under row-level security the dream is invisible to anyone else, so attaching a child to
    another user's dream finds no owner and fails the NOT NULL constraint.
    """
    return pgtrigger.Trigger(
        name="inherit_owner",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.UpdateOf("dream_id", "user_id"),
        func=(
            'NEW.user_id := (SELECT d.user_id FROM "dreamcatcher"."dreams" d '
            "WHERE d.id = NEW.dream_id); RETURN NEW;"
        ),
    )


def refresh_dream_arrays() -> pgtrigger.Trigger:
    """Keep the dream's JSONB array of this table's ids in step with the rows (see sql/)."""
    return pgtrigger.Trigger(
        name="refresh_dream_arrays",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Delete | pgtrigger.UpdateOf("dream_id"),
        func=(
            "IF TG_OP <> 'INSERT' THEN "
            '  PERFORM "dreamcatcher".refresh_dream_arrays(OLD.dream_id); END IF; '
            "IF TG_OP <> 'DELETE' THEN "
            '  PERFORM "dreamcatcher".refresh_dream_arrays(NEW.dream_id); END IF; '
            "RETURN NULL;"
        ),
    )
