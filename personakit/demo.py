"""PersonaKit's demo data.

``seed_demo``: an API key for the first demo account, shown once.

``seed_personas`` (after the accounts and the key): for each demo account, its own person and
one it registered, each with a week of work sessions (through the observation service, so
derivation tasks are queued as for the API) and a mindscape derived at once; narratives of
both types (a curation sets a trait), embedded at once so search works immediately; the
active demo mapper; a persona of the account's own person, and feedback on it.

Rows are found again by stable keys (the observations' ``metadata.demo``, the narratives'
text, the registered person's name, the mapper's ``config_id``), so seeding again adds
nothing; a persona is generated again only once the previous one has expired.
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from config.embeddings import get_provider
from personakit.choices import MapperStatus, NarrativeType, ObservationType
from personakit.models import ApiKey, MapperConfig, Narrative, Observation, Person, Persona
from personakit.services.api_keys import api_key_issue
from personakit.services.feedback import feedback_create
from personakit.services.mappers import mapper_activate, mapper_create_version
from personakit.services.mindscapes import mindscape_derive
from personakit.services.narratives import narrative_create, narrative_embed
from personakit.services.observations import observation_bulk_create
from personakit.services.personas import persona_generate
from personakit.services.persons import person_of_account, person_register

DEMO_KEY_OWNER = "ada"
DEMO_MAPPER_ID = "demo-focus-coach"
DEMO_DAYS = 7

Log = Callable[[str], None]


def seed_demo(log: Log) -> None:
    owner = get_user_model().objects.filter(username=DEMO_KEY_OWNER).first()
    if owner is None:
        log(f"no account {DEMO_KEY_OWNER!r}; skipping the demo API key")
        return
    existing = ApiKey.objects.filter(user=owner, name="demo", is_active=True).first()
    if existing:
        log(
            f"demo API key of {DEMO_KEY_OWNER} exists ({existing.prefix}…); issue another with "
            f"`manage.py create_api_key {DEMO_KEY_OWNER}`"
        )
        return
    api_key = api_key_issue(user=owner, data={"name": "demo"})
    log(f"demo API key of {DEMO_KEY_OWNER} (shown once): {api_key.raw_key}")


# --- persons, observations, mindscapes, narratives, a mapper, personas ------------------------

# A work rhythm: (start hour, minutes, focus level, task type, tools) per session of a day.
MORNING = [(8, 120, "deep", "coding", ["vscode", "git"]), (14, 45, "shallow", "email", ["mail"])]
EVENING = [(13, 60, "shallow", "review", ["github"]), (19, 90, "deep", "writing", ["obsidian"])]

# username -> (their own rhythm, the registered person's name and rhythm, narratives).
DEMO_PEOPLE: dict[str, tuple[list, str, list, list[dict[str, Any]]]] = {
    "ada": (
        MORNING,
        "Charles Babbage",
        EVENING,
        [
            {
                "narrative_type": NarrativeType.SELF_OBSERVATION,
                "raw_text": "I think best before lunch; analysis in the afternoon drags.",
                "tags": ["work", "focus"],
                "source": "demo",
            },
            {
                "narrative_type": NarrativeType.CURATION,
                "raw_text": "Prefers short written notes that lead with the conclusion.",
                "tags": ["communication"],
                "trait_path": "communication.style",
                "curation_action": {"action": "set", "value": "direct"},
                "source": "demo",
            },
        ],
    ),
    "grace": (
        EVENING,
        "Kathleen Booth",
        MORNING,
        [
            {
                "narrative_type": NarrativeType.SELF_OBSERVATION,
                "raw_text": "Evenings are when the code finally compiles in my head.",
                "tags": ["work", "focus"],
                "source": "demo",
            },
            {
                "narrative_type": NarrativeType.CURATION,
                "raw_text": "Likes to talk problems through on a call before writing anything.",
                "tags": ["communication"],
                "trait_path": "communication.preferred_medium",
                "curation_action": {"action": "set", "value": "spoken"},
                "source": "demo",
            },
        ],
    ),
}


def _condition(trait: str, operator: str, value: Any = True) -> dict[str, Any]:
    return {"type": "trait_check", "trait": trait, "operator": operator, "value": value}


def _rule(rule_id: str, conditions: dict, template: str, priority: str) -> dict[str, Any]:
    action = {"type": "suggestion", "template": template, "priority": priority}
    return {"id": rule_id, "conditions": conditions, "actions": [action]}


DEMO_MAPPER = {
    "metadata": {
        "id": DEMO_MAPPER_ID,
        "name": "Focus coach (demo)",
        "description": "Suggests when and how to work from a person's rhythm.",
        "author": "demo@example.com",
        "ttl_hours": 24,
    },
    "rules": [
        _rule(
            "morning-deep-work",
            {"all": [_condition("work.chronotype", "equals", "morning")]},
            "Schedule deep work before noon",
            "high",
        ),
        _rule(
            "evening-focus",
            {"all": [_condition("work.chronotype", "in", ["afternoon", "evening"])]},
            "Protect a late focus block and keep mornings for meetings",
            "high",
        ),
        _rule(
            "long-sessions",
            {"all": [_condition("work.focus_patterns.deep_work_duration", "gte", 90)]},
            "Plan 90-minute blocks with a real break between them",
            "medium",
        ),
        _rule(
            "direct-communication",
            {
                "any": [
                    _condition("communication.style", "equals", "direct"),
                    _condition("communication.preferred_medium", "equals", "written"),
                ]
            },
            "Lead with the conclusion; details after",
            "medium",
        ),
        _rule(
            "talk-it-through",
            {"all": [_condition("communication.preferred_medium", "equals", "spoken")]},
            "Offer a short call before a long document",
            "low",
        ),
    ],
}


def seed_personas(log: Log) -> None:
    users = get_user_model().objects.filter(username__in=DEMO_PEOPLE)
    accounts = {user.username: user for user in users}
    if not accounts:
        log("no demo accounts; skipping PersonaKit's persons and personas")
        return
    for username, (own_rhythm, other_name, other_rhythm, narratives) in DEMO_PEOPLE.items():
        user = accounts.get(username)
        if user is None:
            log(f"no account {username!r}; skipping its persons")
            continue
        own = person_of_account(user=user)
        other = Person.objects.filter(owner=user, display_name=other_name).first()
        if other is None:
            other = person_register(user=user, data={"display_name": other_name})
            log(f"person {other_name} registered by {username}")
        _seed_observations(user, own, own_rhythm, log)
        _seed_observations(user, other, other_rhythm, log)
        mindscape_derive(person=other)
        mindscape_derive(person=own)
        _seed_narratives(user, own, narratives, log)
    mapper = _seed_mapper(accounts.get(DEMO_KEY_OWNER) or next(iter(accounts.values())), log)
    for user in accounts.values():
        _seed_persona(user, person_of_account(user=user), mapper, log)


def _seed_observations(user: Any, person: Person, rhythm: list, log: Log) -> None:
    seeded = set(
        Observation.objects.filter(person=person, metadata__has_key="demo").values_list(
            "metadata__demo", flat=True
        )
    )
    today = timezone.localdate()
    items = []
    for day_offset in range(DEMO_DAYS, 0, -1):
        day = today - timedelta(days=day_offset)
        for hour, minutes, focus, task, tools in rhythm:
            key = f"{person.pk}:{day.isoformat()}:{hour:02d}"
            if key in seeded:
                continue
            started = timezone.make_aware(datetime.combine(day, time(hour)))
            content = {"duration_minutes": minutes, "focus_level": focus, "task_type": task,
                       "tools_used": tools, "started_at": started.isoformat()}  # fmt: skip
            items.append(
                {
                    "person": person,
                    "observation_type": ObservationType.WORK_SESSION,
                    "content": content,
                    "metadata": {"demo": key},
                }
            )
    if items:
        observation_bulk_create(user=user, items=items)
    log(f"{person}: {len(items)} work sessions added ({len(seeded)} there already)")


def _seed_narratives(user: Any, person: Person, narratives: list[dict], log: Log) -> None:
    for data in narratives:
        if not Narrative.objects.filter(person=person, raw_text=data["raw_text"]).exists():
            narrative_create(user=user, data={**data, "person": person})
            log(f"{person}: {data['narrative_type']} narrative added")
    # Embedded now rather than by the outbox, so search works as soon as seeding ends.
    stale = Narrative.objects.filter(person=person).filter(
        Q(embedding__isnull=True) | ~Q(embedding_model=get_provider().model_name)
    )
    for narrative_id in stale.values_list("pk", flat=True):
        narrative_embed(narrative_id=narrative_id)


def _seed_mapper(author: Any, log: Log) -> MapperConfig:
    mapper = MapperConfig.objects.filter(config_id=DEMO_MAPPER_ID).order_by("-version").first()
    if mapper is None:
        mapper = mapper_create_version(
            user=author, data={"config_id": DEMO_MAPPER_ID, "configuration": DEMO_MAPPER}
        )
        log(f"mapper {DEMO_MAPPER_ID} v{mapper.version} created")
    if not MapperConfig.objects.filter(
        config_id=DEMO_MAPPER_ID, status=MapperStatus.ACTIVE
    ).exists():
        mapper = mapper_activate(mapper=mapper)
        log(f"mapper {mapper} activated")
    return mapper


def _seed_persona(user: Any, person: Person, mapper: MapperConfig, log: Log) -> None:
    now = timezone.now()
    persona = (
        Persona.objects.filter(person=person, mapper_config_id=mapper.config_id, is_expired=False)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if persona is None:
        persona = persona_generate(
            user=user, data={"person": person, "config_id": mapper.config_id}
        )
        fired = (persona.metadata or {}).get("rules_fired", [])
        log(f"{person}: persona generated ({len(fired)} rules fired)")
    if persona.feedback.exists():
        return
    fired = (persona.metadata or {}).get("rules_fired", [])
    feedback_create(user=user, data={"persona": persona, "rating": 4, "context": {"demo": True}})
    for rating, helpful, rule_id in zip((5, 2), (True, False), fired, strict=False):
        feedback_create(
            user=user,
            data={"persona": persona, "rating": rating, "helpful": helpful, "rule_id": rule_id},
        )
    log(f"{person}: feedback on the persona added")
