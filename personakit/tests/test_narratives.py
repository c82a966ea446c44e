"""Narrative services: curations change the mindscape atomically; embedding through the outbox."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.embeddings import get_provider
from config.outbox import drain
from config.registries import OutboxHandler, outbox_handlers
from personakit.choices import LinkType, NarrativeType, OutboxStatus
from personakit.models import Narrative, OutboxTask, TraitNarrativeLink
from personakit.selectors.mindscapes import trait_get
from personakit.services.mindscapes import mindscape_for, mindscape_set_trait
from personakit.services.narratives import (
    EMBED_TASK,
    narrative_create,
    narrative_embed,
    narrative_update,
)
from personakit.tasks import handle_embed_narrative
from personakit.tests.factories import NarrativeFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def embed_handler_registered():
    """The app registers it from ready(); register it here too if that has not happened."""
    if EMBED_TASK in {handler.name for handler in outbox_handlers}:
        yield
        return
    outbox_handlers.register(OutboxHandler(name=EMBED_TASK, handle=handle_embed_narrative))
    yield
    outbox_handlers.unregister(EMBED_TASK)


@pytest.fixture
def person():
    person = PersonFactory()
    mindscape_set_trait(person=person, path="work.chronotype", value="morning")
    mindscape_set_trait(person=person, path="work.focus.deep_work_minutes", value=90)
    return person


def curate(person, path, action, text="I know this about myself"):
    return narrative_create(
        user=person.owner,
        data={
            "person": person,
            "narrative_type": NarrativeType.CURATION,
            "raw_text": text,
            "trait_path": path,
            "curation_action": action,
        },
    )


def traits(person):
    return mindscape_for(person=person).traits


def test_self_observation_enqueues_embedding_in_the_same_transaction(person):
    with CaptureQueriesContext(connection) as queries:
        narrative = narrative_create(
            user=person.owner,
            data={"person": person, "narrative_type": "self_observation",
                  "raw_text": "I focus best at dawn"},
        )  # fmt: skip
    task = OutboxTask.objects.get(task_type=EMBED_TASK)
    assert task.payload == {"narrative_id": str(narrative.pk)}
    assert narrative.embedding is None
    assert narrative.created_by == person.owner
    sql = [query["sql"] for query in queries]
    savepoint = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    release = max(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    inserts = [i for i, s in enumerate(sql) if s.startswith("INSERT")]
    assert all(savepoint < i < release for i in inserts), sql


def test_failed_create_rolls_back_the_task(person, monkeypatch):
    from personakit.services import narratives

    def refuse(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(narratives.outbox, "enqueue", refuse)
    with pytest.raises(RuntimeError):
        curate(person, "work.chronotype", {"action": "set", "value": "evening"})
    assert Narrative.objects.count() == 0
    assert trait_get(traits(person), "work.chronotype") == "morning"


def test_curation_set_changes_the_trait_and_links_it(person):
    narrative = curate(person, "work.chronotype", {"action": "set", "value": "evening"})
    assert trait_get(traits(person), "work.chronotype") == "evening"
    link = TraitNarrativeLink.objects.get(narrative=narrative)
    assert link.link_type == LinkType.CURATES
    assert link.trait_path == "work.chronotype"
    assert link.confidence == 1.0
    assert link.metadata["previous"] == "morning"
    assert link.metadata["value"] == "evening"
    assert OutboxTask.objects.filter(task_type=EMBED_TASK).count() == 1


def test_curation_remove_and_adjust(person):
    curate(person, "work.focus.deep_work_minutes", {"action": "adjust", "delta": 30})
    assert trait_get(traits(person), "work.focus.deep_work_minutes") == 120
    curate(person, "work.focus.deep_work_minutes", {"action": "adjust", "delta": -0.5})
    assert trait_get(traits(person), "work.focus.deep_work_minutes") == 119.5
    curate(person, "work.chronotype", {"action": "remove"})
    with pytest.raises(KeyError):
        trait_get(traits(person), "work.chronotype")
    assert TraitNarrativeLink.objects.filter(link_type=LinkType.CURATES).count() == 3


@pytest.mark.parametrize(
    ("path", "action", "field"),
    [
        ("work.chronotype", {"action": "adjust", "delta": 1}, "trait_path"),  # not numeric
        ("work.missing", {"action": "adjust", "delta": 1}, "trait_path"),
        ("work.focus.deep_work_minutes", {"action": "adjust", "delta": "1"}, "curation_action"),
        ("work.focus.deep_work_minutes", {"action": "adjust", "delta": True}, "curation_action"),
        ("work.missing", {"action": "remove"}, "trait_path"),
        ("work.chronotype", {"action": "set"}, "curation_action"),
        ("work.chronotype", {"action": "rename"}, "curation_action"),
        ("work.chronotype", "set", "curation_action"),
        ("", {"action": "set", "value": 1}, "trait_path"),
        ("work..x", {"action": "set", "value": 1}, "trait_path"),
    ],
)
def test_bad_curation_is_refused_and_writes_nothing(person, path, action, field):
    before = mindscape_for(person=person)
    with pytest.raises(ValidationError) as error:
        curate(person, path, action)
    assert field in error.value.message_dict
    after = mindscape_for(person=person)
    assert (after.traits, after.version) == (before.traits, before.version)
    assert not Narrative.objects.exists()
    assert not OutboxTask.objects.exists()


def test_self_observation_cannot_curate(person):
    with pytest.raises(ValidationError):
        narrative_create(
            user=person.owner,
            data={"person": person, "narrative_type": "self_observation", "raw_text": "x",
                  "trait_path": "work.chronotype", "curation_action": {"action": "remove"}},
        )  # fmt: skip
    assert trait_get(traits(person), "work.chronotype") == "morning"


def test_embed_stores_vector_and_model_and_is_idempotent(person, monkeypatch):
    narrative = NarrativeFactory(person=person, raw_text="raw", curated_text="I work at dawn")
    provider = get_provider()
    handle_embed_narrative({"narrative_id": str(narrative.pk)})
    stored = Narrative.objects.get(pk=narrative.pk)
    assert stored.embedding_model == provider.model_name
    assert stored.embedded_at is not None
    # The curated text is what is embedded.
    assert np.allclose(stored.embedding, provider.embed_one("I work at dawn"), atol=1e-6)

    calls = []
    monkeypatch.setattr(provider, "embed", lambda texts: calls.append(texts))
    narrative_embed(narrative_id=narrative.pk)
    assert calls == []  # already embedded by this model
    assert Narrative.objects.get(pk=narrative.pk).embedded_at == stored.embedded_at


def test_embed_replaces_another_models_vector(person):
    narrative = NarrativeFactory(person=person, raw_text="Deep work in the morning")
    Narrative.objects.filter(pk=narrative.pk).update(
        embedding=[1.0] + [0.0] * 1535, embedding_model="old-model"
    )
    narrative_embed(narrative_id=narrative.pk)
    stored = Narrative.objects.get(pk=narrative.pk)
    assert stored.embedding_model == get_provider().model_name
    assert stored.embedding[0] != 1.0


def test_handler_ignores_a_deleted_narrative(person):
    """A narrative deleted before its embedding ran leaves a task done, not failing forever."""
    narrative = narrative_create(
        user=person.owner,
        data={"person": person, "narrative_type": NarrativeType.SELF_OBSERVATION,
              "raw_text": "Gone soon"},
    )  # fmt: skip
    narrative_id = str(narrative.pk)
    task = OutboxTask.objects.get(task_type=EMBED_TASK, payload__narrative_id=narrative_id)
    narrative.delete()

    assert handle_embed_narrative({"narrative_id": narrative_id}) is None
    report = drain()
    assert (report.done, report.failed, report.retried) == (1, 0, 0)
    task.refresh_from_db()
    assert task.status == OutboxStatus.DONE
    assert task.last_error is None
    assert not Narrative.objects.filter(pk=narrative_id).exists()


def test_editing_curated_text_requeues_embedding(person):
    narrative = NarrativeFactory(person=person, raw_text="raw")
    narrative_embed(narrative_id=narrative.pk)
    narrative = Narrative.objects.get(pk=narrative.pk)
    narrative_update(narrative=narrative, user=person.owner, data={"tags": ["sleep"]})
    assert not OutboxTask.objects.exists()  # tags are not embedded
    narrative_update(narrative=narrative, user=person.owner, data={"curated_text": "Refined"})
    assert Narrative.objects.get(pk=narrative.pk).embedding_model is None
    assert OutboxTask.objects.filter(task_type=EMBED_TASK).count() == 1
    with pytest.raises(ValidationError):
        narrative_update(narrative=narrative, user=person.owner, data={"raw_text": "rewritten"})


def test_the_platform_backfill_embeds_what_the_handler_embeds():
    from config.embeddings.backfill import backfill_all

    curated = NarrativeFactory(raw_text="notes", curated_text="Deep focus after midnight")
    raw_only = NarrativeFactory(raw_text="Calls are draining", curated_text="")
    result = backfill_all(names=["personakit.narratives"])
    assert result == {"personakit.narratives": 2}
    provider = get_provider()
    for narrative, text in (
        (curated, "Deep focus after midnight"),
        (raw_only, "Calls are draining"),
    ):
        narrative.refresh_from_db()
        assert narrative.embedding_model == provider.model_name
        assert narrative.embedded_at is not None
        assert np.allclose(np.asarray(narrative.embedding), provider.embed([text])[0], atol=1e-6)
    assert backfill_all(names=["personakit.narratives"]) == {"personakit.narratives": 0}
