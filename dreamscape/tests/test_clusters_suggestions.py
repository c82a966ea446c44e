"""Tag clustering on tags with known groups, evolution across runs and nearest-cluster lookup;
the suggestion lifecycle; GDPR erasure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.models import DeletedUser
from config.privacy import erase_user
from dreamscape.models import (
    DreamscapeSuggestion,
    LearningProfile,
    TagCluster,
    UserBehavior,
    UserPersona,
)
from dreamscape.services.analysers import Event
from dreamscape.services.clusters import tag_cluster_nearest, tag_clusters_build
from dreamscape.services.suggestions import (
    active_suggestions,
    suggestion_act,
    suggestion_dismiss,
    suggestions_expire,
)
from dreamscape.tests.factories import BehaviorFactory, LearningProfileFactory, SuggestionFactory

pytestmark = pytest.mark.django_db
CODE = ["javascript", "typescript", "programming", "compiler", "software"]
MUSIC = ["guitar", "piano", "violin", "drums", "cello"]


def tagged(*tags):
    return Event(timezone.now(), "view", None, "article", 60, None, {"tags": list(tags)})


def test_clusters_find_the_known_groups(user):
    events = [tagged(tag) for tag in CODE + MUSIC] + [tagged("javascript")] * 3
    clusters = tag_clusters_build(user=user, events=events)
    groups = sorted(sorted(entry["tag"] for entry in c.tags) for c in clusters)
    assert sorted(groups) == sorted([sorted(CODE), sorted(MUSIC)])
    code = next(c for c in clusters if "javascript" in {t["tag"] for t in c.tags})
    assert code.tags[0] == {"tag": "javascript", "weight": 1.0, "frequency": 4}
    assert code.cluster_size == 5
    assert 0 < code.cohesion_score <= 1
    assert code.evolution_data["cohesion_trend"] == "new"

    nearest, similarity = tag_cluster_nearest(user=user, tag="saxophone")
    assert "piano" in {t["tag"] for t in nearest.tags}
    assert 0 < similarity <= 1

    # A second run continues the same rows and says what changed.
    events = [tagged(tag) for tag in [*CODE[:4], *MUSIC]]
    again = tag_clusters_build(user=user, events=events)
    assert {c.pk for c in again} == {c.pk for c in clusters}
    code = TagCluster.objects.get(pk=code.pk)
    assert code.evolution_data["new_tags_added"] == []
    assert code.evolution_data["tags_removed"] == ["software"]
    assert len(code.evolution_data["size_history"]) == 2


def test_no_tags_no_clusters(user):
    assert tag_clusters_build(user=user, events=[tagged()]) == []
    assert tag_cluster_nearest(user=user, tag="python") is None


def test_suggestion_lifecycle(user, other_user):
    now = timezone.now()
    live = SuggestionFactory(user=user, priority_score="0.9", expires_at=now + timedelta(days=1))
    dismissed = suggestion_dismiss(suggestion=SuggestionFactory(user=user))
    SuggestionFactory(user=user, expires_at=now - timedelta(hours=1))
    acted = suggestion_act(suggestion=SuggestionFactory(user=user, priority_score="0.1"))
    SuggestionFactory(user=other_user)
    assert list(active_suggestions(user=user).order_by("-priority_score")) == [live, acted]
    assert dismissed.is_dismissed

    stale = SuggestionFactory(user=user, expires_at=now - timedelta(days=40))
    DreamscapeSuggestion.objects.filter(pk__in=[dismissed.pk, acted.pk]).update(
        created_at=now - timedelta(days=400)
    )
    assert suggestions_expire() == {"expired": 1, "answered_past_retention": 2}
    assert not DreamscapeSuggestion.objects.filter(pk__in=[stale.pk, acted.pk]).exists()
    assert DreamscapeSuggestion.objects.filter(pk=live.pk).exists()


def test_erasure_anonymises_and_keeps_aggregates(user, other_user):
    profile = {"primary_languages": ["Python"]}
    UserPersona.objects.create(user=user, technical_profile=profile, life_phase="mid_career")
    UserPersona.objects.create(user=other_user, technical_profile=profile)
    event = BehaviorFactory(user=user, duration_seconds=90)
    theirs = BehaviorFactory(user=other_user)
    LearningProfileFactory(user=user)
    SuggestionFactory(user=user)

    erase_user(user)

    assert DeletedUser.objects.filter(id=user).exists()
    persona = UserPersona.objects.get(user=user)
    assert persona.technical_profile == {}
    assert persona.life_phase == "mid_career"
    event = UserBehavior.objects.get(pk=event.pk)
    assert (event.item_id, event.context, event.metadata) == (None, None, None)
    assert (event.action_type, event.duration_seconds) == ("view", 90)
    assert not LearningProfile.objects.filter(user=user).exists()
    assert not DreamscapeSuggestion.objects.filter(user=user).exists()
    assert UserPersona.objects.get(user=other_user).technical_profile == profile
    assert UserBehavior.objects.get(pk=theirs.pk).context is not None
    erase_user(user)  # repeating changes nothing
    assert DeletedUser.objects.filter(id=user).count() == 1
