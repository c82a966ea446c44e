"""Uploading documents and starting syncs through the API, with the background work run."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from config.testing import assert_error_shape
from dreamcatcher import tasks
from dreamcatcher.choices import SyncSessionStatus, TodoSource
from dreamcatcher.models import Document, SyncSession, Todo
from dreamcatcher.services.sync import dreams_sync
from dreamcatcher.tests.factories import DreamFactory, SyncSessionFactory

FILES = Path(__file__).parent / "files"
API = "/api/v1/dreamcatcher"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_file(client, dream, name, content_type, data=None):
    data = (FILES / name).read_bytes() if data is None else data
    upload = SimpleUploadedFile(name, data, content_type)
    return client.post(f"{API}/documents", {"dream": dream.pk, "file": upload}, format="multipart")


def test_upload_then_parse_makes_todos_visible_through_the_api(client_for, user):
    client, dream = client_for(user), DreamFactory(user=user)
    response = post_file(client, dream, "plan.md", "text/markdown")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["file_type"], body["parsed"], body["title"]) == ("text/markdown", False, "plan.md")

    tasks.parse_document(body["id"])  # what the worker runs after commit

    document = client.get(f"{API}/documents/{body['id']}").json()
    assert document["parsed"] is True
    todos = client.get(f"{API}/todos?dream={dream.pk}&source=document_parsed").json()["results"]
    assert len(todos) == document["parsed_data"]["todos_created"] > 0


def test_uploading_to_another_users_dream_is_400_and_stores_nothing(client_for, user, tmp_path):
    response = post_file(client_for(user), DreamFactory(), "plan.md", "text/markdown")
    assert_error_shape(response, 400)
    assert response.json()["field"] == "dream"
    assert not Document.objects.exists()
    assert not any(tmp_path.rglob("*.md"))


@pytest.mark.parametrize(
    ("name", "content_type", "data"),
    [
        ("garbage.txt", "text/plain", None),
        ("empty.txt", "text/plain", None),
        ("big.txt", "text/plain", b"x" * 2048),
    ],
)
def test_unacceptable_uploads_are_400_on_file(client_for, user, settings, name, content_type, data):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024
    response = post_file(client_for(user), DreamFactory(user=user), name, content_type, data)
    body = assert_error_shape(response, 400)
    assert body["field"] == "file"
    assert not Document.objects.exists()


def test_a_corrupt_pdf_uploads_then_reports_why_it_was_not_parsed(client_for, user):
    client = client_for(user)
    body = post_file(client, DreamFactory(user=user), "truncated.pdf", "application/pdf").json()
    tasks.parse_document(body["id"])
    document = client.get(f"{API}/documents/{body['id']}").json()
    assert document["parsed"] is False
    assert document["parsed_data"]["error"]["code"] == "corrupt_pdf"
    assert not Todo.objects.filter(source=TodoSource.DOCUMENT_PARSED).exists()


def test_sync_starts_one_run_at_a_time(client_for, user, settings):
    settings.PIPELINEOS_BASE_URL = ""
    client = client_for(user)
    DreamFactory.create_batch(2, user=user)
    started = client.post(f"{API}/sync", {"session_type": "standalone"}, format="json")
    assert started.status_code == 202, started.content
    session = started.json()
    assert session["status"] == "pending"
    assert_error_shape(client.post(f"{API}/sync", {}, format="json"), 409, "sync_in_progress")

    tasks.sync_dreams(session["id"])

    done = client.get(f"{API}/sync-sessions/{session['id']}").json()
    assert (done["status"], done["synced_dreams"]) == ("completed", 2)
    assert client.post(f"{API}/sync", {"session_type": "standalone"}).status_code == 202


def test_sync_rejects_an_unknown_type(client_for, user):
    response = client_for(user).post(f"{API}/sync", {"session_type": "carrier-pigeon"})
    assert assert_error_shape(response, 400)["field"] == "session_type"
    assert not SyncSession.objects.exists()


def test_sync_requires_a_key(api_client):
    assert_error_shape(api_client.post(f"{API}/sync", {}), 401)


def test_a_run_whose_worker_died_is_resumed_by_the_redelivered_task(user, settings, tmp_path):
    settings.PIPELINEOS_BASE_URL = ""
    DreamFactory(user=user)
    stale = SyncSessionFactory(
        user=user,
        session_type="standalone",
        status=SyncSessionStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    assert dreams_sync(session_id=stale.pk).status == SyncSessionStatus.COMPLETED


def test_a_redelivered_task_leaves_a_live_run_alone(user):
    live = SyncSessionFactory(user=user, status=SyncSessionStatus.RUNNING)
    assert dreams_sync(session_id=live.pk).status == SyncSessionStatus.RUNNING


def test_an_abandoned_run_does_not_block_a_new_one(client_for, user, settings):
    SyncSessionFactory(
        user=user,
        status=SyncSessionStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    assert client_for(user).post(f"{API}/sync", {}, format="json").status_code == 202
    assert SyncSession.objects.filter(user=user, status=SyncSessionStatus.FAILED).count() == 1
