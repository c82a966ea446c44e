"""Mindscapes: a person's traits as a tree, read and written by dot path, optimistically locked.

Writes carry the version they read (``expected_version``); a stale one raises
``config.concurrency.VersionConflict`` (the API's 409). The row is locked (``SELECT … FOR
UPDATE``) before the version is compared and the UPDATE is conditional on it as well, so of
concurrent writers holding the same version exactly one succeeds and the others conflict: no
update is ever lost. The database trigger bumps ``version`` on every change of ``traits``
(and only then).

Derivation (``mindscape_derive``) recomputes, from all of a person's observations, exactly
the paths in ``DERIVED_PATHS`` (see ``traits_derive`` for the rules) and touches nothing
else, so curated traits elsewhere in the tree are never overwritten. A derived path that a
curation narrative has set or removed (a ``curates`` trait link) is left alone too: the
person's word beats the inference. A derived path without data is removed. Same observations,
same traits: re-running it writes nothing and the version stays.
"""

from __future__ import annotations

import copy
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from config.concurrency import VersionConflict
from personakit.choices import LinkType, ObservationType
from personakit.models import Mindscape, Observation, Person, TraitNarrativeLink
from personakit.selectors.mindscapes import trait_get

DERIVE_TRAITS_TASK = "personakit.derive_traits"  # stored in outbox rows: never rename
MAX_DEPTH = 10
_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,100}$")

DERIVED_PATHS = (
    "work.focus_patterns.deep_work_duration",
    "work.focus_patterns.peak_hours",
    "work.chronotype",
    "work.tools",
    "schedule.meeting_hours_per_day",
    "schedule.meeting_load",
    "expression.average_mood",
    "expression.frequent_categories",
)


# --- the trait tree -------------------------------------------------------------------------


def trait_path_parts(path: str) -> list[str]:
    """The segments of a writable dot path, or ``ValidationError`` on ``path``."""
    parts = path.split(".") if isinstance(path, str) else []
    if not parts or len(parts) > MAX_DEPTH or not all(_SEGMENT.match(part) for part in parts):
        raise ValidationError(
            {
                "path": ValidationError(
                    f"A trait path is 1 to {MAX_DEPTH} dot-separated names of letters, digits, "
                    "'_' or '-', e.g. work.chronotype.",
                    "invalid_trait_path",
                )
            }
        )
    return parts


def _with_trait(traits: dict[str, Any], parts: list[str], value: Any) -> dict[str, Any]:
    tree = copy.deepcopy(traits)
    node = tree
    for depth, part in enumerate(parts[:-1]):
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            group = ".".join(parts[: depth + 1])
            raise ValidationError(
                {"path": ValidationError(f"{group} holds a value, not traits.", "not_a_group")}
            )
        node = child
    node[parts[-1]] = copy.deepcopy(value)
    return tree


def _without_trait(traits: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """``traits`` without the path (``KeyError`` if absent), emptied groups pruned."""
    trait_get(traits, ".".join(parts))
    tree = copy.deepcopy(traits)
    trail = [tree]
    for part in parts[:-1]:
        trail.append(trail[-1][part])
    del trail[-1][parts[-1]]
    for depth in range(len(parts) - 2, -1, -1):
        if trail[depth + 1]:
            break
        del trail[depth][parts[depth]]
    return tree


# --- writes ---------------------------------------------------------------------------------


def mindscape_for(*, person: Person) -> Mindscape:
    """The person's mindscape, made empty (version 1) on first use."""
    mindscape, _ = Mindscape.objects.get_or_create(person=person)
    return mindscape


def _mindscape_change(
    *,
    person: Person,
    expected_version: int | None,
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> Mindscape:
    """Apply ``change`` to the traits under the row lock, if the version is still expected."""
    with transaction.atomic():
        mindscape_for(person=person)
        mindscape = Mindscape.objects.select_for_update().get(person=person)
        if expected_version is not None and mindscape.version != expected_version:
            raise VersionConflict(mindscape.version, noun="mindscape")
        traits = change(mindscape.traits)
        if traits == mindscape.traits:
            return mindscape
        written = Mindscape.objects.filter(pk=mindscape.pk, version=mindscape.version).update(
            traits=traits
        )
        if not written:  # unreachable under the lock; kept so a lost update can never pass
            current = Mindscape.objects.get(pk=mindscape.pk).version
            raise VersionConflict(current, noun="mindscape")
        mindscape.refresh_from_db(fields=["traits", "version", "updated_at"])
        return mindscape


def mindscape_set_trait(
    *, person: Person, path: str, value: Any, expected_version: int | None = None
) -> Mindscape:
    """Set the trait at dot ``path`` (groups made as needed); ``VersionConflict`` if stale."""
    parts = trait_path_parts(path)
    return _mindscape_change(
        person=person,
        expected_version=expected_version,
        change=lambda traits: _with_trait(traits, parts, value),
    )


def mindscape_remove_trait(
    *, person: Person, path: str, expected_version: int | None = None
) -> Mindscape:
    """Remove the trait at ``path`` (``KeyError`` if absent); ``VersionConflict`` if stale."""
    parts = trait_path_parts(path)
    return _mindscape_change(
        person=person,
        expected_version=expected_version,
        change=lambda traits: _without_trait(traits, parts),
    )


# --- derivation -----------------------------------------------------------------------------


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


def _start_hour(content: dict[str, Any], created_at: datetime) -> int:
    """The session's hour on its own clock (``started_at``'s offset), else the UTC hour recorded."""
    if "started_at" in content:
        return datetime.fromisoformat(content["started_at"]).hour
    return created_at.astimezone(UTC).hour


def _most_common(counts: Counter, limit: int) -> list[Any]:
    """The ``limit`` most frequent keys; ties go to the smaller key, so the result is stable."""
    return [key for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _work_traits(sessions: list[tuple[dict[str, Any], datetime]]) -> dict[str, Any]:
    if not sessions:
        return {}
    derived: dict[str, Any] = {}
    deep = [c["duration_minutes"] for c, _ in sessions if c.get("focus_level") == "deep"]
    if deep:
        derived["work.focus_patterns.deep_work_duration"] = _number(statistics.median(deep))
    hours = [_start_hour(content, created_at) for content, created_at in sessions]
    peak_hours = _most_common(Counter(hours), 2)
    derived["work.focus_patterns.peak_hours"] = [f"{hour:02d}:00" for hour in peak_hours]
    mean_hour = statistics.mean(hours)
    derived["work.chronotype"] = (
        "morning" if mean_hour < 12 else "afternoon" if mean_hour < 17 else "evening"
    )
    # A tool counts once per session; names are lower-cased with '.' as '_' so that each
    # stays addressable by a dot path (work.tools.node_js).
    usage = Counter(
        tool
        for content, _ in sessions
        for tool in {t.strip().lower().replace(".", "_") for t in content.get("tools_used", [])}
        if tool
    )
    derived["work.tools"] = {
        tool: round(usage[tool] / len(sessions), 2) for tool in _most_common(usage, len(usage))
    }
    return derived


def _schedule_traits(events: list[dict[str, Any]]) -> dict[str, Any]:
    if not events:
        return {}
    days = {datetime.fromisoformat(event["start"]).date() for event in events}
    meeting_minutes = sum(
        (datetime.fromisoformat(e["end"]) - datetime.fromisoformat(e["start"])).total_seconds() / 60
        for e in events
        if e.get("attendees", 1) >= 2
    )
    per_day = round(meeting_minutes / 60 / len(days), 1)
    load = "light" if per_day < 2 else "moderate" if per_day < 4 else "heavy"
    return {"schedule.meeting_hours_per_day": per_day, "schedule.meeting_load": load}


def _expression_traits(inputs: list[dict[str, Any]]) -> dict[str, Any]:
    derived: dict[str, Any] = {}
    moods = [content["mood"] for content in inputs if "mood" in content]
    if moods:
        derived["expression.average_mood"] = round(statistics.mean(moods), 2)
    categories = Counter(content["category"] for content in inputs if "category" in content)
    if categories:
        derived["expression.frequent_categories"] = _most_common(categories, 2)
    return derived


def traits_derive(observations: Iterable[tuple[str, dict[str, Any], datetime]]) -> dict[str, Any]:
    """Derived traits by path from ``(observation_type, content, created_at)``; order-free.

    Work sessions: ``work.focus_patterns.deep_work_duration`` = median minutes of the deep
    sessions; ``work.focus_patterns.peak_hours`` = the two most frequent start hours
    ("HH:00", ties to the earlier hour); ``work.chronotype`` = morning (mean start hour
    < 12), afternoon (< 17) or evening; ``work.tools`` = tool → share of sessions using it
    (0..1, two decimals). Calendar events: ``schedule.meeting_hours_per_day`` = hours in
    events with ≥ 2 attendees over the days having any event; ``schedule.meeting_load`` =
    light (< 2), moderate (< 4) or heavy. User input: ``expression.average_mood`` (mean
    mood, two decimals); ``expression.frequent_categories`` (the two most frequent).
    """
    by_type: dict[str, list[tuple[dict[str, Any], datetime]]] = {t: [] for t in ObservationType}
    for observation_type, content, created_at in observations:
        by_type.setdefault(observation_type, []).append((content, created_at))
    return {
        **_work_traits(by_type[ObservationType.WORK_SESSION]),
        **_schedule_traits([content for content, _ in by_type[ObservationType.CALENDAR_EVENT]]),
        **_expression_traits([content for content, _ in by_type[ObservationType.USER_INPUT]]),
    }


def _curated(path: str, curated_paths: set[str]) -> bool:
    return any(
        path == other or path.startswith(f"{other}.") or other.startswith(f"{path}.")
        for other in curated_paths
    )


def mindscape_derive(*, person: Person) -> Mindscape:
    """Recompute the person's ``DERIVED_PATHS`` from their observations (idempotent)."""
    rows = Observation.objects.filter(person=person).values_list(
        "observation_type", "content", "created_at"
    )
    derived = traits_derive(rows)
    curated_paths = set(
        TraitNarrativeLink.objects.filter(
            narrative__person=person, link_type=LinkType.CURATES
        ).values_list("trait_path", flat=True)
    )

    def change(traits: dict[str, Any]) -> dict[str, Any]:
        for path in DERIVED_PATHS:
            if _curated(path, curated_paths):
                continue
            parts = path.split(".")
            try:
                if path in derived:
                    traits = _with_trait(traits, parts, derived[path])
                elif _has(traits, path):
                    traits = _without_trait(traits, parts)
            except ValidationError:
                continue  # a curated value sits where a derived group would go: leave it
        return traits

    return _mindscape_change(person=person, expected_version=None, change=change)


def _has(traits: dict[str, Any], path: str) -> bool:
    try:
        trait_get(traits, path)
    except KeyError:
        return False
    return True
