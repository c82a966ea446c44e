"""Scheduled work: which users are due for analysis, the management command (with progress)
and tasks, the beat schedules, demo data, optional chat phrasing of suggestions; the ingest
body limit."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from config.testing import assert_error_shape
from dreamscape import demo, tasks
from dreamscape.models import DreamscapeSuggestion, TagCluster, UserBehavior, UserPersona
from dreamscape.services.maintenance import personas_analyze_due
from dreamscape.services.personas import persona_analyze, users_with_new_behaviour
from dreamscape.tests.factories import BehaviorFactory, LearningProfileFactory
from tests.factories import UserFactory
from tests.loopback import OpenAIChatService, Reply

pytestmark = pytest.mark.django_db


def test_only_users_with_new_events_are_due(user, other_user):
    quiet = UserFactory()
    BehaviorFactory(user=user)
    BehaviorFactory(user=other_user)
    BehaviorFactory(user=quiet, created_at=timezone.now() - timedelta(days=40))
    assert set(users_with_new_behaviour()) == {user.pk, other_user.pk}
    persona_analyze(user=user)
    assert users_with_new_behaviour() == [other_user.pk]
    BehaviorFactory(user=user)  # something new since the analysis
    assert set(users_with_new_behaviour()) == {user.pk, other_user.pk}
    assert personas_analyze_due() == 2
    assert users_with_new_behaviour() == []


def test_the_command_runs_every_job_with_progress(user):
    BehaviorFactory.create_batch(3, user=user, metadata={"tags": ["piano", "violin", "cello"]})
    out = StringIO()
    call_command("dreamscape_maintenance", stdout=out)
    text = out.getvalue()
    for job in ("partitions", "retention", "refresh", "personas", "clusters", "suggestions"):
        assert f"{job}…" in text
    assert "analysed 1/1 users" in text
    assert "clustered 1/1 users" in text
    assert UserPersona.objects.filter(user=user).exists()
    assert TagCluster.objects.filter(user=user).exists()


def test_tasks_return_json(user):
    BehaviorFactory(user=user)
    assert tasks.partition_upkeep()["created"] == []
    assert tasks.behavior_retention()["dropped"] == []
    assert tasks.refresh_engagement_summary()["refreshed"] is True
    assert tasks.analyze_personas() == 1
    assert tasks.analyze_persona(str(user.pk)) is not None
    assert tasks.analyze_persona("00000000-0000-0000-0000-000000000000") is None
    assert tasks.cluster_tags() == 0  # no tags
    assert tasks.expire_suggestions() == {"expired": 0, "answered_past_retention": 0}


def test_every_beat_schedule_names_a_registered_task():
    """The schedules (a data migration; transactional tests flush their rows) run real tasks."""
    import re
    from pathlib import Path

    from config.celery_app import app

    source = (Path(tasks.__file__).parent / "migrations" / "0004_periodic_tasks.py").read_text()
    scheduled = set(re.findall(r'task="([^"]+)"', source))
    assert len(scheduled) == 6
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_the_command_refuses_an_unknown_job():
    with pytest.raises(CommandError, match="unknown job"):
        call_command("dreamscape_maintenance", "vacuum")


def test_demo_data_is_analysed_and_idempotent():
    for username in demo.HABITS:
        UserFactory(username=username)
    lines = []
    demo.seed_behaviour(lines.append)
    events = UserBehavior.objects.count()
    assert events > 300
    oldest = UserBehavior.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest > timedelta(days=80)
    assert UserPersona.objects.count() == 3
    assert TagCluster.objects.exists()
    assert DreamscapeSuggestion.objects.exists()
    demo.seed_behaviour(lines.append)
    assert UserBehavior.objects.count() == events
    assert "behaviour exists" in lines[-1]


@pytest.fixture
def phrasing(settings):
    server = OpenAIChatService("Phrased warmly.")
    server.start()
    settings.CHAT_PROVIDERS = {"openai": {"api": "openai", "base_url": server.url, "api_key": "k"}}
    settings.CHAT_PHRASING_PROVIDER, settings.CHAT_PHRASING_MODEL = "openai", "gpt-test"
    settings.CHAT_MAX_RETRIES = 0
    yield server
    server.stop()


def test_a_chat_provider_phrases_suggestions(phrasing, user):
    LearningProfileFactory(user=user, skill_area="Python", learning_velocity="0.900")
    BehaviorFactory(user=user, metadata={"skill": "Python"})
    persona_analyze(user=user)
    contents = set(DreamscapeSuggestion.objects.values_list("content", flat=True))
    assert contents == {"Phrased warmly."}
    prompts = [m["content"] for m in phrasing.requests[0]["body"]["messages"]]
    assert any("Python" in prompt for prompt in prompts)


def test_a_failing_chat_provider_leaves_the_template_text(phrasing, user):
    phrasing.script = [Reply(status=503)] * 10
    BehaviorFactory(user=user, metadata={"skill": "Python"})
    persona_analyze(user=user)
    contents = list(DreamscapeSuggestion.objects.values_list("content", flat=True))
    assert contents
    assert any("Python" in content for content in contents)
    assert "Phrased warmly." not in contents


def test_an_oversized_body_is_413(client_for, user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = "\n".join('{"action_type": "view"}' for _ in range(100))
    response = client_for(user).generic(
        "POST", "/api/v1/dreamscape/behaviors", body, content_type="application/x-ndjson"
    )
    assert_error_shape(response, 413)
    assert not UserBehavior.objects.exists()
