"""PersonaKit's admin: every page renders with real rows, writes go through the services
(mapper validation by path, activation, re-embedding, outbox retry and discard), the trait
tree escapes, vectors never print, and the dashboard shows the PersonaKit cards."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from config.embeddings import get_provider
from config.registries import DashboardCard, OutboxHandler, dashboard_cards, outbox_handlers
from personakit import cards
from personakit.choices import MapperStatus, NarrativeType, ObservationType, OutboxStatus
from personakit.models import (
    ApiKey,
    Feedback,
    MapperConfig,
    Mindscape,
    Narrative,
    Observation,
    OutboxTask,
    Person,
    Persona,
    PersonaNarrativeUsage,
    TraitNarrativeLink,
)
from personakit.services.api_keys import api_key_issue
from personakit.services.feedback import feedback_create
from personakit.services.mappers import mapper_activate, mapper_create_version
from personakit.services.mindscapes import DERIVE_TRAITS_TASK, mindscape_set_trait
from personakit.services.narratives import EMBED_TASK, narrative_create, narrative_embed
from personakit.services.observations import observation_create
from personakit.services.personas import persona_generate
from personakit.services.persons import person_of_account, person_register
from personakit.tasks import handle_derive_traits, handle_embed_narrative
from personakit.tests.factories import OutboxTaskFactory
from tests.factories import UserFactory

EVIL = "<script>alert('x')</script>"
CONFIG = {
    "metadata": {"name": "Focus"},
    "rules": [
        {
            "id": "morning-deep-work",
            "conditions": {"all": [{"type": "trait_check", "trait": "work.chronotype",
                                    "operator": "equals", "value": "morning"}]},
            "actions": [{"type": "suggestion", "template": "Deep work before noon",
                         "priority": "high"}],
        },
        {
            "id": "night-owl",
            "conditions": {"all": [{"type": "trait_check", "trait": "work.chronotype",
                                    "operator": "equals", "value": "evening"}]},
            "actions": [{"template": "Guard the evening", "priority": "low"}],
        },
    ],
}  # fmt: skip
RULE = "morning-deep-work"
CARD_NAMES = ("outbox", "narrative_embeddings", "personas", "feedback")


@pytest.fixture(autouse=True)
def outbox_handlers_registered():
    """PersonaKit's outbox handlers, as ``registrations.py`` registers them (unless it has)."""
    added = []
    for name, handle in ((DERIVE_TRAITS_TASK, handle_derive_traits),
                         (EMBED_TASK, handle_embed_narrative)):  # fmt: skip
        try:
            outbox_handlers[name]
        except KeyError:
            outbox_handlers.register(OutboxHandler(name=name, handle=handle))
            added.append(name)
    yield
    for name in added:
        outbox_handlers.unregister(name)


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def post_action(client, model, action, selected, **extra):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in selected], **extra},
        follow=True,
    )


@pytest.fixture
def rows(db):
    """One of every PersonaKit row, written through the services."""
    user = UserFactory(username="ada-admin")
    own = person_of_account(user=user)
    other = person_register(user=user, data={"display_name": "Charles"})
    observation = observation_create(
        user=user,
        data={
            "person": own,
            "observation_type": ObservationType.WORK_SESSION,
            "content": {"duration_minutes": 90, "focus_level": "deep", "tools_used": ["vscode"]},
            "metadata": {"note": "<b>bold</b>"},
        },
    )
    mindscape_set_trait(person=own, path="work.chronotype", value="morning")
    mindscape = mindscape_set_trait(person=own, path="notes.quirk", value=EVIL)
    narrative = narrative_create(
        user=user,
        data={"person": own, "narrative_type": NarrativeType.SELF_OBSERVATION,
              "raw_text": "Deep work at 9."},
    )  # fmt: skip
    curation = narrative_create(
        user=user,
        data={
            "person": own,
            "narrative_type": NarrativeType.CURATION,
            "raw_text": "Writes directly.",
            "trait_path": "communication.style",
            "curation_action": {"action": "set", "value": "direct"},
        },
    )
    narrative_embed(narrative_id=narrative.pk)
    narrative_embed(narrative_id=curation.pk)
    version = {"config_id": "focus", "configuration": CONFIG}
    mapper = mapper_activate(mapper=mapper_create_version(user=user, data=version))
    draft = mapper_create_version(user=user, data=version)
    persona = persona_generate(user=user, data={"person": own, "config_id": "focus"})
    feedback = feedback_create(
        user=user,
        data={"persona": persona, "rating": 4, "helpful": True, "rule_id": "morning-deep-work"},
    )
    usage = PersonaNarrativeUsage.objects.filter(persona=persona).first()
    assert usage is not None, "the persona should have used the embedded narratives"
    failed = OutboxTaskFactory(status=OutboxStatus.FAILED, attempts=8, last_error="Boom <err>")
    return {
        "user": user,
        Person: other,
        Observation: observation,
        Mindscape: mindscape,
        Narrative: narrative,
        TraitNarrativeLink: TraitNarrativeLink.objects.get(narrative=curation),
        MapperConfig: mapper,
        "draft": draft,
        Persona: persona,
        PersonaNarrativeUsage: usage,
        Feedback: feedback,
        OutboxTask: failed,
        ApiKey: api_key_issue(user=user, data={"name": "laptop"}),
    }


MODELS = [
    Person,
    Observation,
    Mindscape,
    Narrative,
    TraitNarrativeLink,
    MapperConfig,
    Persona,
    PersonaNarrativeUsage,
    Feedback,
    OutboxTask,
    ApiKey,
]
ADDABLE = [Person, MapperConfig, ApiKey]


# --- every page renders -----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelists_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_change_pages_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "change", rows[model].pk))

    assert response.status_code == 200


def test_draft_mapper_change_page_renders_an_editable_form(admin_client, rows):
    response = admin_client.get(admin_url(MapperConfig, "change", rows["draft"].pk))

    assert response.status_code == 200
    assert 'name="configuration"' in response.content.decode()
    assert "Save and activate" in response.content.decode()


@pytest.mark.parametrize("model", ADDABLE, ids=lambda model: model.__name__)
def test_add_pages_render(admin_client, db, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    "model", sorted(set(MODELS) - set(ADDABLE), key=str), ids=lambda model: model.__name__
)
def test_rows_the_services_write_cannot_be_added_here(admin_client, db, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (Observation, {"observation_type__exact": "work_session"}),
        (Narrative, {"narrative_type__exact": "curation", "embedded": "current"}),
        (Persona, {"expiry": "active"}),
        (Feedback, {"rule_id__exact": "morning-deep-work", "helpful__exact": "1"}),
        (OutboxTask, {"status__exact": "failed", "task_type__exact": "test.noop"}),
        (OutboxTask, {"task_type__exact": EMBED_TASK}),
        (MapperConfig, {"status__exact": "active"}),
        (TraitNarrativeLink, {"link_type__exact": "curates"}),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_filters_find_the_rows(admin_client, rows, model, query):
    response = admin_client.get(admin_url(model, "changelist"), query)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize(
    ("model", "term"),
    [(Person, "Charles"), (Person, "ada-admin"), (Observation, "not-a-uuid"),
     (Narrative, "Deep work"), (OutboxTask, "Boom"), (MapperConfig, "focus")],
    ids=lambda value: value.__name__ if isinstance(value, type) else value,
)  # fmt: skip
def test_search_renders_for_any_term(admin_client, rows, model, term):
    response = admin_client.get(admin_url(model, "changelist"), {"q": term})

    assert response.status_code == 200


def test_person_autocomplete_serves_the_try_out_form(admin_client, rows):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "personakit", "model_name": "mindscape", "field_name": "person",
         "term": "Charl"},
    )  # fmt: skip

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Charles"]


def test_person_list_counts_and_links_what_is_known(admin_client, rows):
    own = person_of_account(user=rows["user"])
    html = admin_client.get(admin_url(Person, "change", own.pk)).content.decode()

    assert "1 observation" in html
    assert f"{admin_url(Observation, 'changelist')}?person={own.pk}" in html
    assert "2 narratives" in html
    assert admin_url(Mindscape, "change", rows[Mindscape].pk) in html
    filtered = admin_client.get(admin_url(Observation, "changelist"), {"person": own.pk})
    assert filtered.context["cl"].result_count == 1


def test_person_added_in_the_admin_is_registered_to_its_owner(admin_client, rows):
    owner = rows["user"]

    response = admin_client.post(
        admin_url(Person, "add"), {"owner": owner.pk, "display_name": "Grace"}
    )

    assert response.status_code == 302
    assert Person.objects.get(display_name="Grace").owner == owner


# --- mindscapes, narratives, vectors ----------------------------------------------------------


def test_trait_tree_shows_dot_paths_and_escapes_html(admin_client, rows):
    html = admin_client.get(admin_url(Mindscape, "change", rows[Mindscape].pk)).content.decode()

    assert "lucid-trait-tree" in html
    assert "work.chronotype" in html
    assert "communication.style" in html
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_vectors_are_summarised_never_printed(admin_client, rows):
    model_name = get_provider().model_name
    for url in (
        admin_url(Narrative, "changelist"),
        admin_url(Narrative, "change", rows[Narrative].pk),
    ):
        html = admin_client.get(url).content.decode()
        assert f"{model_name} · 1536-d" in html
        assert not re.search(r"\[\s*-?\d+\.\d+(e-?\d+)?\s*,\s*-?\d+\.\d+", html), url
        assert "embedding_model" not in html or "lucid-vector" in html


def test_editing_curated_text_goes_through_the_service_and_requeues_the_embedding(
    admin_client, rows
):
    narrative = rows[Narrative]
    page = admin_client.get(admin_url(Narrative, "change", narrative.pk))
    management = {}
    for inline in page.context["inline_admin_formsets"]:
        for name, value in inline.formset.management_form.initial.items():
            management[f"{inline.formset.prefix}-{name}"] = value
    queued = OutboxTask.objects.filter(task_type=EMBED_TASK).count()

    response = admin_client.post(
        admin_url(Narrative, "change", narrative.pk),
        {**management, "curated_text": "Deep work at nine.", "tags": "work,focus", "context": ""},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    narrative.refresh_from_db()
    assert (narrative.curated_text, narrative.tags) == ("Deep work at nine.", ["work", "focus"])
    assert narrative.embedding_model is None  # out of search until re-embedded
    assert OutboxTask.objects.filter(task_type=EMBED_TASK).count() == queued + 1


def test_re_embed_recomputes_the_selected_narratives(admin_client, rows):
    narrative = rows[Narrative]
    Narrative.objects.filter(pk=narrative.pk).update(embedding=None, embedding_model=None)

    response = post_action(admin_client, Narrative, "re_embed", [narrative])

    narrative.refresh_from_db()
    assert narrative.embedding is not None
    assert narrative.embedding_model == get_provider().model_name
    assert any("Re-embedded 1 narrative" in text for text in messages_of(response))


def test_re_embed_of_many_goes_through_the_outbox(admin_client, rows, monkeypatch):
    monkeypatch.setattr("personakit.admin.narratives.EMBED_INLINE_LIMIT", 0)
    narrative = rows[Narrative]
    before = OutboxTask.objects.filter(task_type=EMBED_TASK).count()

    response = post_action(admin_client, Narrative, "re_embed", [narrative])

    assert OutboxTask.objects.filter(task_type=EMBED_TASK).count() == before + 1
    assert any("Queued 1 narrative" in text for text in messages_of(response))


# --- mappers ----------------------------------------------------------------------------------


def test_mapper_form_shows_validation_errors_by_path(admin_client, rows):
    bad = {**CONFIG, "rules": [{**CONFIG["rules"][0], "actions": [{"template": "x"}]}]}
    bad["rules"][0]["conditions"] = {"all": [{"type": "trait_check", "trait": "work.chronotype",
                                              "operator": "sounds_like", "value": 1}]}  # fmt: skip
    response = admin_client.post(
        admin_url(MapperConfig, "add"),
        {"config_id": "broken", "configuration": json.dumps(bad), "metadata": "null"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["configuration"]
    assert any(e.startswith("configuration.rules.0.conditions.all.0.operator:") for e in errors)
    assert any(e.startswith("configuration.rules.0.actions.0.priority:") for e in errors)
    assert "configuration.rules.0.actions.0.priority" in response.content.decode()
    assert not MapperConfig.objects.filter(config_id="broken").exists()


def test_mapper_add_creates_the_next_version_as_draft(admin_client, rows):
    response = admin_client.post(
        admin_url(MapperConfig, "add"),
        {"config_id": "focus", "configuration": json.dumps(CONFIG), "metadata": ""},
    )

    assert response.status_code == 302
    newest = MapperConfig.objects.filter(config_id="focus").order_by("-version").first()
    assert (newest.version, newest.status) == (3, MapperStatus.DRAFT)
    assert newest.created_by is not None


def test_new_version_starts_from_the_source_configuration(admin_client, rows):
    mapper = rows[MapperConfig]
    response = admin_client.get(admin_url(MapperConfig, "new_version", mapper.pk), follow=True)

    form = response.context["adminform"].form
    assert form.initial["config_id"] == "focus"
    assert form.initial["configuration"] == mapper.configuration


def test_active_versions_are_read_only(admin_client, rows):
    mapper = rows[MapperConfig]
    response = admin_client.get(admin_url(MapperConfig, "change", mapper.pk))

    assert not response.context["has_change_permission"]
    assert 'name="configuration"' not in response.content.decode()
    assert admin_client.post(admin_url(MapperConfig, "change", mapper.pk), {}).status_code == 403


def test_activate_action_deprecates_the_active_version(admin_client, rows):
    active, draft = rows[MapperConfig], rows["draft"]

    response = post_action(admin_client, MapperConfig, "activate", [draft])

    active.refresh_from_db()
    draft.refresh_from_db()
    assert (active.status, draft.status) == (MapperStatus.DEPRECATED, MapperStatus.ACTIVE)
    assert any("Activated focus v2" in text for text in messages_of(response))


def test_activate_refuses_two_versions_of_one_config(admin_client, rows):
    post_action(admin_client, MapperConfig, "activate", [rows[MapperConfig], rows["draft"]])

    rows["draft"].refresh_from_db()
    assert rows["draft"].status == MapperStatus.DRAFT


def test_try_against_a_person_shows_the_rules_that_fire_and_the_overlay(admin_client, rows):
    mapper, own = rows[MapperConfig], person_of_account(user=rows["user"])
    url = admin_url(MapperConfig, "try_against_person", mapper.pk)
    assert admin_client.get(url).status_code == 200  # the form alone

    response = admin_client.get(url, {"person": own.pk})

    assert response.status_code == 200
    result = response.context["result"]
    assert [rule["id"] for rule in result["rules"] if rule["fired"]] == ["morning-deep-work"]
    html = response.content.decode()
    assert "1 of 2 rules fire" in html
    assert "Deep work before noon" in html
    assert "&quot;suggestions&quot;" in html
    assert Persona.objects.count() == 1  # a try-out saves nothing


def test_try_from_the_changelist_needs_one_selected(admin_client, rows):
    response = post_action(admin_client, MapperConfig, "try_selected", [rows[MapperConfig]])

    assert response.redirect_chain[-1][0] == admin_url(
        MapperConfig, "try_against_person", rows[MapperConfig].pk
    )


# --- personas and feedback --------------------------------------------------------------------


def test_persona_shows_core_overlay_and_expiry(admin_client, rows):
    persona = rows[Persona]
    Persona.objects.filter(pk=persona.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    html = admin_client.get(admin_url(Persona, "change", persona.pk)).content.decode()
    expired = admin_client.get(admin_url(Persona, "changelist"), {"expiry": "expired"})

    assert "Deep work before noon" in html
    assert "&quot;chronotype&quot;: &quot;morning&quot;" in html
    assert expired.context["cl"].result_count == 1
    admin_client.post(admin_url(Persona, "mark_expired"))
    persona.refresh_from_db()
    assert persona.is_expired


def test_helpfulness_is_aggregated_per_rule(admin_client, rows):
    feedback_create(
        user=rows["user"],
        data={"persona": rows[Persona], "rating": 2, "helpful": False, "rule_id": RULE},
    )

    response = admin_client.get(admin_url(Feedback, "helpfulness"))

    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row["config_id"], row["rule_id"], row["mapper_version"]) == ("focus", RULE, 1)
    assert (row["count"], row["helpful_percent"], row["avg_rating_text"]) == (2, 50, "3.00")
    assert 'id="rule-helpfulness"' in response.content.decode()


# --- outbox -----------------------------------------------------------------------------------


def test_outbox_shows_payload_and_error_readably(admin_client, rows):
    task = OutboxTaskFactory(payload={"narrative_id": "<x>"}, last_error="Traceback <boom>")

    html = admin_client.get(admin_url(OutboxTask, "change", task.pk)).content.decode()

    assert "&quot;narrative_id&quot;: &quot;&lt;x&gt;&quot;" in html
    assert "Traceback &lt;boom&gt;" in html


def test_retry_makes_failed_tasks_due_again(admin_client, rows):
    failed = rows[OutboxTask]
    done = OutboxTaskFactory(status=OutboxStatus.DONE)

    response = post_action(admin_client, OutboxTask, "retry", [failed, done])

    failed.refresh_from_db()
    done.refresh_from_db()
    assert (failed.status, done.status) == (OutboxStatus.PENDING, OutboxStatus.DONE)
    assert failed.run_after <= timezone.now()
    assert any("Made 1 task due now" in text for text in messages_of(response))


def test_discard_gives_up_on_pending_tasks(admin_client, rows):
    pending = OutboxTaskFactory(run_after=timezone.now() + timedelta(hours=1))

    response = post_action(admin_client, OutboxTask, "discard", [pending])

    pending.refresh_from_db()
    assert pending.status == OutboxStatus.FAILED
    assert pending.last_error == "discarded by staff"
    assert any("Discarded 1 task" in text for text in messages_of(response))


# --- dashboard --------------------------------------------------------------------------------


@pytest.fixture
def personakit_cards():
    """The PersonaKit cards, registered as ``registrations.py`` does (unless it already has)."""
    added = []
    for order, name in enumerate(CARD_NAMES, start=1):
        if f"personakit.{name}" in {card.name for card in dashboard_cards}:
            continue
        dashboard_cards.register(
            DashboardCard(
                name=f"personakit.{name}",
                title=name.replace("_", " ").capitalize(),
                render=getattr(cards, name),
                template=f"admin/cards/{'chart' if name == 'feedback' else 'metrics'}.html",
                system="PersonaKit",
                order=order * 10,
            )
        )
        added.append(f"personakit.{name}")
    yield
    for name in added:
        dashboard_cards.unregister(name)


def test_dashboard_renders_the_personakit_cards(admin_client, rows, personakit_cards):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    (section,) = [s for s in response.context["dashboard_sections"] if s.system == "PersonaKit"]
    names = {card.name for card in section.cards}
    assert {f"personakit.{name}" for name in CARD_NAMES} <= names
    assert not any(card.failed for card in section.cards)
    html = response.content.decode()
    assert "Oldest due task waiting" in html
    assert "Embedded with the current model" in html


def test_outbox_card_counts_by_status(rows):
    OutboxTaskFactory(status=OutboxStatus.IN_PROGRESS)
    context = cards.outbox(None)
    metrics = {m["label"] if isinstance(m, dict) else m[0]: m for m in context["metrics"]}

    assert metrics["Failed"][1] == 1
    assert metrics["In progress"][1] == 1
    assert metrics["Pending"]["value"] == OutboxTask.objects.filter(status="pending").count()
    assert cards.duration_text(None) == "—"
    assert cards.duration_text(125) == "2 min"
