"""Reads of the analysed data: persona, learning profiles, clusters, suggestions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dreamscape.models import DreamscapeSuggestion, LearningProfile, TagCluster, UserPersona


def persona_of(*, user: Any) -> UserPersona:
    """The caller's persona; an unsaved, empty one before the first analysis."""
    return UserPersona.objects.filter(user=user).first() or UserPersona(user=user)


def learning_profile_list(*, user: Any) -> QuerySet[LearningProfile]:
    """The seed's "learning velocity": the caller's skill areas, fastest first."""
    return LearningProfile.objects.filter(user=user).order_by("-learning_velocity", "skill_area")


def tag_cluster_list(*, user: Any) -> QuerySet[TagCluster]:
    """The seed's "tag clusters evolution": the caller's clusters, most cohesive first."""
    return TagCluster.objects.filter(user=user).defer("cluster_center").order_by("-cohesion_score")


def suggestion_list(*, user: Any) -> QuerySet[DreamscapeSuggestion]:
    return DreamscapeSuggestion.objects.filter(user=user).order_by("-priority_score", "-created_at")
