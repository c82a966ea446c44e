"""dreams_sync against a real HTTP server on loopback standing in for PipelineOS."""

import json

import pytest
from django.core.files.storage import default_storage

from dreamcatcher.choices import SyncSessionStatus, SyncSessionType
from dreamcatcher.models import Dream, SyncSession
from dreamcatcher.services.sync import dreams_sync
from dreamcatcher.tests.factories import DreamFactory, TodoFactory
from dreamcatcher.tests.fake_pipelineos import TOKEN, FakePipelineOS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipelineos(settings):
    fake = FakePipelineOS()
    fake.start()
    settings.PIPELINEOS_BASE_URL = fake.url
    settings.PIPELINEOS_TOKEN = TOKEN
    settings.PIPELINEOS_MAX_RETRIES = 1
    yield fake
    fake.stop()


def run(user, session_type=SyncSessionType.PIPELINEOS):
    session = SyncSession.objects.create(user=user, session_type=session_type)
    return dreams_sync(session_id=session.pk)


def pushed_titles(fake):
    return [request["body"]["title"] for request in fake.requests]


def test_some_accepted_some_rejected_then_only_the_failed_are_retried(pipelineos):
    user = UserFactory()
    good = DreamFactory(user=user, title="Treehouse")
    TodoFactory(dream=good)
    bad = DreamFactory(user=user, title="Please reject me")
    also_good = DreamFactory(user=user, title="Garden")
    DreamFactory(title="Someone else's dream")

    session = run(user)
    assert (session.total_dreams, session.synced_dreams, session.failed_dreams) == (3, 2, 1)
    assert session.status == SyncSessionStatus.PARTIAL
    assert session.completed_at is not None
    assert bad.pk in session.error_message
    assert session.sync_data["results"][bad.pk]["status"] == "rejected"
    for dream in (good, also_good):
        dream.refresh_from_db()
        assert dream.synced_with_pipelineos
        assert dream.synced_at is not None
        assert dream.pipelineos_project_id == session.sync_data["results"][dream.pk]["project_id"]
    bad.refresh_from_db()
    assert not bad.synced_with_pipelineos
    assert bad.pipelineos_project_id is None
    assert "Someone else's dream" not in pushed_titles(pipelineos)
    assert pipelineos.requests[0]["body"]["todos"]

    Dream.objects.filter(pk=bad.pk).update(title="Now acceptable")
    before = len(pipelineos.requests)
    retry = run(user)
    assert (retry.total_dreams, retry.synced_dreams, retry.failed_dreams) == (1, 1, 0)
    assert retry.status == SyncSessionStatus.COMPLETED
    assert retry.error_message is None
    assert pushed_titles(pipelineos)[before:] == ["Now acceptable"]


def test_a_wrong_token_fails_the_session_after_one_request(pipelineos, settings):
    settings.PIPELINEOS_TOKEN = "expired"
    user = UserFactory()
    DreamFactory.create_batch(3, user=user)
    session = run(user)
    assert session.status == SyncSessionStatus.FAILED
    assert (session.synced_dreams, session.failed_dreams) == (0, 3)
    assert len(pipelineos.requests) == 1
    assert "401" in session.error_message


def test_pipelineos_down_fails_every_dream_and_keeps_them_unsynced(pipelineos):
    from dreamcatcher.tests.fake_pipelineos import Reply

    pipelineos.script = [Reply(503)] * 10
    user = UserFactory()
    DreamFactory.create_batch(2, user=user)
    session = run(user)
    assert session.status == SyncSessionStatus.FAILED
    assert not Dream.objects.filter(user=user, synced_with_pipelineos=True).exists()


def test_unconfigured_pipelineos_is_a_failed_session_with_a_clear_message(settings):
    settings.PIPELINEOS_BASE_URL = ""
    user = UserFactory()
    DreamFactory(user=user)
    session = run(user)
    assert session.status == SyncSessionStatus.FAILED
    assert "PIPELINEOS" in session.error_message


def test_standalone_writes_an_export_instead_of_calling_out(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PIPELINEOS_BASE_URL = ""
    user = UserFactory()
    dreams = DreamFactory.create_batch(2, user=user)
    session = run(user, SyncSessionType.STANDALONE)
    assert session.status == SyncSessionStatus.COMPLETED
    assert session.synced_dreams == 2
    with default_storage.open(session.sync_data["export_path"]) as handle:
        export = json.load(handle)
    assert {dream["dream_id"] for dream in export["dreams"]} == {dream.pk for dream in dreams}


def test_a_redelivered_task_does_not_run_a_session_twice(pipelineos):
    user = UserFactory()
    DreamFactory(user=user)
    session = run(user)
    requests = len(pipelineos.requests)
    again = dreams_sync(session_id=session.pk)
    assert len(pipelineos.requests) == requests
    assert again.synced_dreams == 1


def test_a_run_whose_worker_died_is_resumed_by_its_own_redelivery_only(pipelineos):
    """The same task delivered again (its worker died mid-run) resumes the session at once;
    another delivery leaves a live run alone until its lease has run out."""
    user = UserFactory()
    DreamFactory.create_batch(2, user=user)
    session = SyncSession.objects.create(
        user=user,
        session_type=SyncSessionType.PIPELINEOS,
        status=SyncSessionStatus.RUNNING,
        sync_data={"run": "task-1"},
    )

    assert dreams_sync(session_id=session.pk, run="task-2").status == SyncSessionStatus.RUNNING
    assert pipelineos.requests == []

    resumed = dreams_sync(session_id=session.pk, run="task-1")
    assert (resumed.status, resumed.synced_dreams) == (SyncSessionStatus.COMPLETED, 2)
    assert len(pipelineos.projects) == 2
