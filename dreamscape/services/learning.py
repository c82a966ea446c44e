"""Learning profiles: one per skill area, derived from behaviour and editable by their owner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from dreamscape.models import LearningProfile
from dreamscape.services.analysers import Event, learning_velocity, skill_level, skill_of

MILESTONES = (1, 10, 40, 100)  # actions in an area that mark a level reached


def learning_profile_create(*, user: Any, data: dict[str, Any]) -> LearningProfile:
    profile = LearningProfile(user=user, **data)
    profile.full_clean()
    profile.save()
    return profile


def learning_profile_update(
    *, learning_profile: LearningProfile, user: Any, data: dict[str, Any]
) -> LearningProfile:
    for field, value in data.items():
        setattr(learning_profile, field, value)
    learning_profile.full_clean()
    learning_profile.save()
    return learning_profile


def learning_profile_delete(*, learning_profile: LearningProfile) -> None:
    learning_profile.delete()


def _progression(events: list[Event], known: dict[str, Any] | None) -> dict[str, Any]:
    ordered = sorted(events, key=lambda event: event.created_at)
    milestones = [
        {
            "date": ordered[count - 1].created_at.date().isoformat(),
            "level": skill_level(count),
            "achievement": f"{count} learning action{'s' if count > 1 else ''}",
        }
        for count in MILESTONES
        if len(ordered) >= count
    ]
    by_item_type: dict[str, int] = defaultdict(int)
    for event in ordered:
        by_item_type[event.item_type or "other"] += 1
    seconds = sum(event.duration_seconds or 0 for event in ordered)
    derived = {
        "milestones": milestones,
        "skills_acquired": [
            {"skill": kind, "mastery": round(min(1.0, count / 40), 2)}
            for kind, count in sorted(by_item_type.items(), key=lambda pair: -pair[1])
        ],
        "time_invested_hours": round(seconds / 3600, 1),
        "actions": len(ordered),
    }
    # What the owner wrote themselves (projects, assessment scores) is kept.
    return {**(known or {}), **derived}


def learning_profiles_derive(*, user: Any, events: Sequence[Event]) -> list[LearningProfile]:
    """Create or refresh one profile per skill area named by the events; levels the owner set
    by hand are kept unless the behaviour shows a higher one."""
    by_skill: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if (skill := skill_of(event)) is not None and isinstance(skill, str):
            by_skill[skill[:100]].append(event)
    order = list(LearningProfile._meta.get_field("current_level").choices or [])
    ranks = {value: index for index, (value, _) in enumerate(order)}
    profiles = []
    with transaction.atomic():
        existing = {
            p.skill_area: p
            for p in LearningProfile.objects.select_for_update().filter(
                user=user, skill_area__in=list(by_skill)
            )
        }
        for skill, skill_events in by_skill.items():
            profile = existing.get(skill) or LearningProfile(user=user, skill_area=skill)
            level = skill_level(len(skill_events))
            if ranks.get(profile.current_level or "", -1) < ranks[level]:
                profile.current_level = level
            profile.progression_data = _progression(skill_events, profile.progression_data)
            profile.learning_velocity = Decimal(str(learning_velocity(skill_events).score))
            profile.last_activity = max(event.created_at for event in skill_events)
            profile.save()
            profiles.append(profile)
    return profiles
