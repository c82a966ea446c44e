"""Dream statistics and sync status come from Redis, and a read right after a write is fresh."""

import pytest
from django.core.cache import cache as django_cache
from django.db import connection

from dreamcatcher.selectors import cache, reports, sync
from dreamcatcher.services import dreams
from dreamcatcher.tests.factories import DocumentFactory, DreamFactory, FragmentFactory, TodoFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/dreamcatcher"


@pytest.fixture
def dream(user):
    return DreamFactory(user=user)


def statistics(client, dream):
    body = client.get(f"{URL}/dreams/{dream.pk}/statistics").json()
    return [body[key] for key in ("fragment_count", "todo_count", "completed_todos")] + [
        body["document_count"]
    ]


def sync_status(client):
    body = client.get(f"{URL}/sync-status").json()
    return (body["total_dreams"], body["synced_dreams"])


def test_statistics_are_served_from_the_cache(client_for, user, dream):
    client = client_for(user)
    assert statistics(client, dream) == [0, 0, 0, 0]
    assert django_cache.get(cache.dream_statistics_key(dream.pk))["todo_count"] == 0
    with connection.cursor() as cursor:  # behind every service's back
        cursor.execute(
            "INSERT INTO dreamcatcher.todos (dream_id, title) VALUES (%s, 'raw')", [dream.pk]
        )
    assert statistics(client, dream) == [0, 0, 0, 0]  # cached
    cache.forget(dream_ids=[dream.pk])
    assert statistics(client, dream) == [0, 1, 0, 0]


def test_statistics_are_fresh_after_each_api_write(client_for, user, dream):
    client = client_for(user)
    assert statistics(client, dream) == [0, 0, 0, 0]

    todo = client.post(f"{URL}/todos", {"dream": dream.pk, "title": "t"}).json()
    assert statistics(client, dream) == [0, 1, 0, 0]

    client.patch(f"{URL}/todos/{todo['id']}", {"status": "completed"})
    assert statistics(client, dream) == [0, 1, 1, 0]

    items = [{"dream": dream.pk, "title": f"f{n}", "content": "c", "source": "web"} for n in "ab"]
    fragment = client.post(f"{URL}/fragments", items).json()[0]
    assert statistics(client, dream) == [2, 1, 1, 0]

    client.delete(f"{URL}/fragments/{fragment['id']}")
    assert statistics(client, dream) == [1, 1, 1, 0]

    document = DocumentFactory(dream=dream)
    cache.forget_rows([document])  # what the upload service does after saving
    assert statistics(client, dream) == [1, 1, 1, 1]
    client.delete(f"{URL}/documents/{document.pk}")
    assert statistics(client, dream) == [1, 1, 1, 0]


def test_moving_a_child_refreshes_both_dreams(client_for, user, dream):
    client = client_for(user)
    other = DreamFactory(user=user)
    todo = TodoFactory(dream=dream)
    assert (statistics(client, dream)[1], statistics(client, other)[1]) == (1, 0)
    client.patch(f"{URL}/todos/{todo.pk}", {"dream": other.pk})
    assert (statistics(client, dream)[1], statistics(client, other)[1]) == (0, 1)


def test_sync_status_is_fresh_after_dream_writes(client_for, user, other_user):
    client = client_for(user)
    assert sync_status(client) == (0, 0)
    created = client.post(f"{URL}/dreams", {"title": "new"}).json()
    assert sync_status(client) == (1, 0)
    DreamFactory(user=other_user)  # someone else's writes neither show nor matter
    client.delete(f"{URL}/dreams/{created['id']}")
    assert sync_status(client) == (0, 0)


def test_forgetting_happens_again_at_commit(django_capture_on_commit_callbacks, user, dream):
    """A reader who cached the old numbers between the write and its commit is overruled."""
    key = cache.dream_statistics_key(dream.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        dreams.todo_create(user=user, data={"dream": dream, "title": "t"})
        django_cache.set(key, {"todo_count": 0})  # a concurrent, now stale, read
    assert callbacks
    for callback in callbacks:
        callback()
    assert django_cache.get(key) is None


def test_signals_cover_writers_outside_the_services(client_for, user, dream):
    client = client_for(user)
    cache.connect_signals()
    try:
        assert statistics(client, dream) == [0, 0, 0, 0]
        FragmentFactory(dream=dream)
        assert statistics(client, dream)[0] == 1
        assert sync_status(client) == (1, 0)
        DreamFactory(user=user)
        assert sync_status(client) == (2, 0)
    finally:
        cache.disconnect_signals()


def test_reads_work_without_redis(user, dream, settings):
    """The project's cache misses instead of failing while Redis is unreachable."""
    TodoFactory(dream=dream)
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    cache.forget(dream_ids=[dream.pk])  # logged, not raised
    assert reports.dream_statistics(dream_id=dream.pk)["todo_count"] == 1
    assert sync.sync_status(user=user)["total_dreams"] == 1
