"""Statistics, sync status, activity and dream summary: the caller's numbers, no one else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.testing import assert_error_shape
from dreamcatcher.choices import TodoStatus
from dreamcatcher.models import DreamTag
from dreamcatcher.tests.factories import DocumentFactory, DreamFactory, FragmentFactory, TodoFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/dreamcatcher"
LAST_SYNC = timezone.now() - timedelta(hours=2)


@pytest.fixture
def callers_dream(user):
    """3 fragments, 4 todos (1 completed), 2 documents: the seed's joins would multiply these."""
    dream = DreamFactory(user=user, synced_with_pipelineos=True, synced_at=LAST_SYNC)
    FragmentFactory.create_batch(3, dream=dream)
    TodoFactory.create_batch(3, dream=dream)
    TodoFactory(dream=dream, status=TodoStatus.COMPLETED)
    DocumentFactory.create_batch(2, dream=dream)
    DreamTag.objects.create(dream=dream, tag_id="design")
    DreamFactory(user=user)  # unsynced, empty
    return dream


@pytest.fixture(autouse=True)
def strangers_data(other_user):
    """Plenty belonging to someone else, synced more recently: none of it may show."""
    for _ in range(2):
        dream = DreamFactory(user=other_user, synced_with_pipelineos=True, synced_at=timezone.now())
        FragmentFactory.create_batch(2, dream=dream)
        TodoFactory.create_batch(2, dream=dream, status=TodoStatus.COMPLETED)
        DocumentFactory(dream=dream)
    return dream


def test_statistics(client_for, user, callers_dream):
    response = client_for(user).get(f"{URL}/dreams/{callers_dream.pk}/statistics")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "dream": callers_dream.pk,
        "fragment_count": 3,
        "todo_count": 4,
        "completed_todos": 1,
        "document_count": 2,
        "completion_percentage": 25.0,
    }


def test_statistics_of_an_empty_dream(client_for, user):
    dream = DreamFactory(user=user)
    body = client_for(user).get(f"{URL}/dreams/{dream.pk}/statistics").json()
    assert (body["todo_count"], body["completion_percentage"]) == (0, 0)


def test_statistics_of_another_users_dream_is_404(client_for, user, strangers_data):
    response = client_for(user).get(f"{URL}/dreams/{strangers_data.pk}/statistics")
    assert_error_shape(response, 404, "not_found")


def test_sync_status(client_for, user, callers_dream):
    body = client_for(user).get(f"{URL}/sync-status").json()
    assert body == {
        "total_dreams": 2,
        "synced_dreams": 1,
        "unsynced_dreams": 1,
        "last_sync": LAST_SYNC.isoformat().replace("+00:00", "Z"),
    }


def test_sync_status_without_dreams(client_for, user):
    body = client_for(user).get(f"{URL}/sync-status").json()
    assert body == {"total_dreams": 0, "synced_dreams": 0, "unsynced_dreams": 0, "last_sync": None}


def test_activity(client_for, user, callers_dream):
    body = client_for(user).get(f"{URL}/activity").json()
    assert body["username"] == user.username
    assert (body["total_dreams"], body["total_fragments"]) == (2, 3)
    assert (body["total_todos"], body["completed_todos"]) == (4, 1)
    assert body["last_fragment_created"] is not None


def test_dream_summary_lists_only_the_callers_dreams(client_for, user, callers_dream):
    body = client_for(user).get(f"{URL}/dream-summary").json()
    assert body["count"] == 2
    row = next(row for row in body["results"] if row["id"] == callers_dream.pk)
    assert (row["fragment_count"], row["todo_count"], row["completed_todos"]) == (3, 4, 1)
    assert (row["document_count"], row["tag_names"]) == (2, ["Design"])


@pytest.mark.parametrize("path", ["sync-status", "activity", "dream-summary"])
def test_reports_need_a_key(api_client, path):
    assert_error_shape(api_client.get(f"{URL}/{path}"), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/dreams/{id}/statistics", "get"),
        ("/dreams/{id}/tags", "put"),
        ("/sync-status", "get"),
        ("/activity", "get"),
    ],
)
def test_actions_are_in_the_openapi_schema(path, method):
    from config.testing import openapi_paths

    operation = openapi_paths()[f"{URL}{path}"][method]
    assert "200" in operation["responses"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]
