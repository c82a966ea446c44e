"""Every Dreamscape route's generic contract, and what each adds: the seed's summaries for
the caller only, suggestion actions, persona analysis on demand, nearest cluster."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.testing import ApiContract, ApiViewContract, assert_error_shape
from dreamscape.models import DreamscapeSuggestion
from dreamscape.services.analysers import Event
from dreamscape.services.clusters import tag_clusters_build
from dreamscape.services.maintenance import engagement_summary_refresh
from dreamscape.tests.factories import (
    BehaviorFactory,
    LearningProfileFactory,
    SuggestionFactory,
    TagClusterFactory,
)

URL = "/api/v1/dreamscape"
pytestmark = pytest.mark.django_db


class TestLearningProfileApi(ApiContract):
    route = "api:dreamscape:learning-profile"
    valid_payload = {
        "skill_area": "Rust",
        "current_level": "beginner",
        "progression_data": {"time_invested_hours": 3.5, "projects_completed": 1},
        "learning_velocity": "0.250",
    }
    update_payload = {"current_level": "advanced", "learning_velocity": "0.900"}
    invalid_payload = {"skill_area": "Rust", "learning_velocity": "1.500"}

    def make(self, owner):
        return LearningProfileFactory(user=owner)


class TestTagClusterApi(ApiContract):
    route = "api:dreamscape:tag-cluster"
    valid_payload = update_payload = invalid_payload = {}

    def make(self, owner):
        return TagClusterFactory(user=owner)


class TestSuggestionApi(ApiContract):
    route = "api:dreamscape:suggestion"
    valid_payload = update_payload = invalid_payload = {}

    def make(self, owner):
        return SuggestionFactory(user=owner)


class TestPersonaApi(ApiViewContract):
    route = "api:dreamscape:persona"


class TestPersonaAnalyzeApi(ApiViewContract):
    route = "api:dreamscape:persona-analyze"


class TestBehaviorSummaryApi(ApiViewContract):
    route = "api:dreamscape:behavior-summary"


class TestEngagementApi(ApiViewContract):
    route = "api:dreamscape:engagement"


def test_duplicate_skill_area_is_400(client_for, user):
    LearningProfileFactory(user=user, skill_area="Rust")
    response = client_for(user).post(f"{URL}/learning-profiles", {"skill_area": "Rust"})
    assert_error_shape(response, 400)


def test_behavior_summary_is_the_callers(client_for, user, other_user):
    BehaviorFactory(user=user, duration_seconds=100)
    BehaviorFactory(user=user, duration_seconds=200)
    BehaviorFactory(user=user, action_type="search", duration_seconds=None)
    BehaviorFactory(user=user, created_at=timezone.now() - timedelta(days=31))
    BehaviorFactory.create_batch(3, user=other_user, action_type="edit")
    body = client_for(user).get(f"{URL}/behavior-summary").json()
    assert [(row["action_type"], row["action_count"]) for row in body] == [
        ("view", 2),
        ("search", 1),
    ]
    assert body[0]["avg_duration"] == 150.0


def test_engagement_from_the_view(client_for, user, other_user):
    client = client_for(user)
    assert client.get(f"{URL}/engagement").json()["total_actions"] == 0
    BehaviorFactory.create_batch(3, user=user)
    BehaviorFactory(user=other_user)
    engagement_summary_refresh()
    body = client.get(f"{URL}/engagement").json()
    assert (body["total_actions"], body["active_days"]) == (3, 1)


def test_active_suggestions_by_default_and_actions(client_for, user, other_user):
    client = client_for(user)
    shown = SuggestionFactory(user=user, priority_score="0.8")
    low = SuggestionFactory(user=user, priority_score="0.2")
    gone = SuggestionFactory(user=user, expires_at=timezone.now() - timedelta(days=1))
    assert [row["id"] for row in client.get(f"{URL}/suggestions").json()["results"]] == [
        str(shown.pk),
        str(low.pk),
    ]
    response = client.post(f"{URL}/suggestions/{low.pk}/dismiss")
    assert response.status_code == 200
    assert response.json()["is_dismissed"] is True
    assert client.post(f"{URL}/suggestions/{shown.pk}/act").json()["is_acted_upon"] is True
    ids = {row["id"] for row in client.get(f"{URL}/suggestions").json()["results"]}
    assert ids == {str(shown.pk)}
    everything = client.get(f"{URL}/suggestions?state=all").json()["results"]
    assert {row["id"] for row in everything} == {str(shown.pk), str(low.pk), str(gone.pk)}
    theirs = SuggestionFactory(user=other_user)
    assert_error_shape(client.post(f"{URL}/suggestions/{theirs.pk}/dismiss"), 404)
    assert not DreamscapeSuggestion.objects.get(pk=theirs.pk).is_dismissed


def test_analyze_is_queued_on_commit(client_for, user, django_capture_on_commit_callbacks):
    """The task reaches the real (embedded) Redis broker once the request commits."""
    import json

    import redis
    from django.conf import settings

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(f"{URL}/persona/analyze")
    assert response.status_code == 202
    queued = [json.loads(raw) for raw in broker.lrange("celery", 0, -1)]
    mine = [
        message
        for message in queued
        if message["headers"]["task"] == "dreamscape.analyze_persona"
        and str(user.pk) in message["headers"]["kwargsrepr"]
    ]
    assert len(mine) == 1
    for message in mine:
        broker.lrem("celery", 0, json.dumps(message))


def test_persona_before_and_after_analysis(client_for, user):
    from dreamscape.services.personas import persona_analyze

    client = client_for(user)
    assert client.get(f"{URL}/persona").json()["last_analyzed_at"] is None
    BehaviorFactory.create_batch(5, user=user)
    persona_analyze(user=user)
    body = client.get(f"{URL}/persona").json()
    assert body["learning_style"]["attention_span"] == "short"
    # 5 items on 1 day (consumption 1), 120 s (0.4), 1 type (0.2), 1 each (0.33): 0.53
    assert body["technical_profile"]["velocity"]["score"] == 0.53
    assert body["life_phase"] == "mid_career"


def test_nearest_cluster(client_for, user, other_user):
    events = [
        Event(timezone.now(), "view", None, "article", 1, None, {"tags": [tag]})
        for tag in ["guitar", "piano", "violin", "javascript", "typescript", "compiler"]
    ]
    tag_clusters_build(user=user, events=events)
    client = client_for(user)
    body = client.get(f"{URL}/tag-clusters/nearest?tag=cello").json()
    assert "piano" in {entry["tag"] for entry in body["cluster"]["tags"]}
    assert client_for(other_user).get(f"{URL}/tag-clusters/nearest?tag=cello").json() == {
        "cluster": None,
        "similarity": None,
    }
    assert_error_shape(client.get(f"{URL}/tag-clusters/nearest"), 400)


def test_ingest_is_documented_as_json_or_ndjson_with_an_idempotency_key():
    from config.testing import openapi_paths

    operation = openapi_paths()[f"{URL}/behaviors"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/json",
        "application/x-ndjson",
    }
    assert "Idempotency-Key" in {parameter["name"] for parameter in operation["parameters"]}
    assert {"201", "400", "413", "422"} <= set(operation["responses"])
