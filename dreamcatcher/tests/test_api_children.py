"""Fragments, implementations, todos and documents: ownership, bulk create, status moves."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.testing import assert_error_shape
from dreamcatcher.choices import TodoStatus
from dreamcatcher.models import Document, Fragment, Implementation, Todo
from dreamcatcher.services import dreams
from dreamcatcher.tests.factories import DocumentFactory, DreamFactory, FragmentFactory, TodoFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/dreamcatcher"


@pytest.fixture
def dream(user):
    return DreamFactory(user=user)


@pytest.fixture
def strangers_dream(other_user):
    return DreamFactory(user=other_user)


# --- a child belongs to one of the caller's dreams ------------------------------------------


@pytest.mark.parametrize(
    ("resource", "model", "payload"),
    [
        ("fragments", Fragment, {"title": "t", "content": "c", "source": "web"}),
        ("implementations", Implementation, {}),
        ("todos", Todo, {"title": "t"}),
    ],
)
def test_child_of_another_users_dream_is_400_on_dream(
    client_for, user, strangers_dream, resource, model, payload
):
    before = model.objects.count()
    response = client_for(user).post(f"{URL}/{resource}", {"dream": strangers_dream.pk, **payload})
    body = assert_error_shape(response, 400, "does_not_exist")
    assert body["field"] == "dream"
    assert model.objects.count() == before


def test_child_cannot_move_to_another_users_dream(client_for, user, dream, strangers_dream):
    todo = TodoFactory(dream=dream)
    response = client_for(user).patch(f"{URL}/todos/{todo.pk}", {"dream": strangers_dream.pk})
    assert assert_error_shape(response, 400)["field"] == "dream"
    todo.refresh_from_db()
    assert (todo.dream_id, todo.user_id) == (dream.pk, user.pk)


def test_child_moves_between_the_callers_dreams(client_for, user, dream):
    other_dream = DreamFactory(user=user)
    todo = TodoFactory(dream=dream)
    response = client_for(user).patch(f"{URL}/todos/{todo.pk}", {"dream": other_dream.pk})
    assert response.json()["dream"] == other_dream.pk
    dream.refresh_from_db()
    other_dream.refresh_from_db()
    assert (dream.todos, other_dream.todos) == ([], [todo.pk])


# --- bulk create ----------------------------------------------------------------------------


def test_bulk_create_fragments(client_for, user, dream):
    other_dream = DreamFactory(user=user)
    items = [
        {"dream": dream.pk, "title": f"F{index}", "content": "c", "source": "web"}
        for index in range(3)
    ] + [{"dream": other_dream.pk, "title": "F3", "content": "c", "source": "notes"}]
    response = client_for(user).post(f"{URL}/fragments", items)
    assert response.status_code == 201, response.content
    assert [row["title"] for row in response.json()] == ["F0", "F1", "F2", "F3"]
    created = Fragment.objects.filter(pk__in=[row["id"] for row in response.json()])
    assert {row.user_id for row in created} == {user.pk}
    assert created.filter(dream=other_dream).count() == 1


def test_bulk_create_todos_sets_owner_and_completion(client_for, user, dream):
    items = [
        {"dream": dream.pk, "title": "a"},
        {"dream": dream.pk, "title": "b", "status": "completed"},
    ]
    body = client_for(user).post(f"{URL}/todos", items).json()
    assert body[0]["completed_at"] is None
    assert body[1]["completed_at"] is not None
    dream.refresh_from_db()
    assert sorted(dream.todos) == sorted(row["id"] for row in body)


def test_bulk_create_with_a_bad_item_writes_nothing(client_for, user, dream):
    items = [
        {"dream": dream.pk, "title": "good"},
        {"dream": dream.pk, "title": ""},
        {"dream": dream.pk, "title": "bad priority", "priority": "whenever"},
    ]
    body = assert_error_shape(client_for(user).post(f"{URL}/todos", items), 400)
    assert body["field"] == "1.title"
    assert {error["field"] for error in body["errors"]} == {"1.title", "2.priority"}
    assert not Todo.objects.filter(dream=dream).exists()


def test_bulk_create_naming_another_users_dream_writes_nothing(
    client_for, user, dream, strangers_dream
):
    items = [{"dream": dream.pk, "title": "mine"}, {"dream": strangers_dream.pk, "title": "theirs"}]
    body = assert_error_shape(client_for(user).post(f"{URL}/todos", items), 400, "does_not_exist")
    assert body["field"] == "1.dream"
    assert not Todo.objects.exists()


def test_bulk_create_looks_each_dream_up_once(client_for, user, dream):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    client.post(f"{URL}/todos", [{"dream": dream.pk, "title": "warm-up"}])
    with CaptureQueriesContext(connection) as two:
        client.post(f"{URL}/todos", [{"dream": dream.pk, "title": str(n)} for n in range(2)])
    with CaptureQueriesContext(connection) as fifty:
        client.post(f"{URL}/todos", [{"dream": dream.pk, "title": str(n)} for n in range(50)])
    assert len(fifty) == len(two)
    assert Todo.objects.count() == 53


@pytest.mark.parametrize("count", [0, dreams.MAX_BULK_ITEMS + 1])
def test_bulk_size_is_capped(client_for, user, dream, count):
    items = [{"dream": dream.pk, "title": "t"}] * count
    body = assert_error_shape(client_for(user).post(f"{URL}/todos", items), 400)
    assert body["code"] in ("min_length", "max_length")
    assert str(dreams.MAX_BULK_ITEMS) in body["message"] or count == 0
    assert not Todo.objects.exists()


def test_bulk_service_reports_errors_by_index(user, dream):
    items = [{"dream": dream, "title": "fine"}, {"dream": dream, "title": "x" * 501}]
    with pytest.raises(ValidationError) as error:
        dreams.todo_bulk_create(user=user, items=items)
    assert set(error.value.message_dict) == {"1.title"}
    assert not Todo.objects.exists()


def test_dreams_take_no_bulk_create(client_for, user):
    response = client_for(user).post(f"{URL}/dreams", [{"title": "a"}])
    assert_error_shape(response, 400)


# --- todos: status moves, filters -----------------------------------------------------------


def test_allowed_status_move_stamps_completion(client_for, user, dream):
    todo = TodoFactory(dream=dream, status=TodoStatus.IN_PROGRESS)
    body = client_for(user).patch(f"{URL}/todos/{todo.pk}", {"status": "completed"}).json()
    assert body["status"] == "completed"
    assert body["completed_at"] is not None


@pytest.mark.parametrize(
    ("start", "target"),
    [("completed", "pending"), ("completed", "cancelled"), ("cancelled", "completed")],
)
def test_illegal_status_move_is_409_and_changes_nothing(client_for, user, dream, start, target):
    """A conflict with the todo's current status (the same move is fine from another): 409,
    as the schema documents; it was an undocumented 400."""
    todo = TodoFactory(dream=dream, status=start, title="before")
    response = client_for(user).patch(
        f"{URL}/todos/{todo.pk}", {"status": target, "title": "after"}
    )
    body = assert_error_shape(response, 409, "invalid_transition")
    assert body["field"] == "status"
    todo.refresh_from_db()
    assert (todo.status, todo.title) == (start, "before")


def test_database_refusal_of_a_stale_move_is_a_validation_error(user, dream):
    """The trigger is the backstop when the status changed after the caller read it."""
    stale = TodoFactory(dream=dream, status=TodoStatus.IN_PROGRESS)
    Todo.objects.filter(pk=stale.pk).update(status=TodoStatus.COMPLETED)
    with pytest.raises(ValidationError) as error:
        dreams.todo_update(todo=stale, user=user, data={"status": TodoStatus.PENDING})
    assert error.value.message_dict["status"]
    assert error.value.error_dict["status"][0].code == "invalid_transition"
    assert Todo.objects.get(pk=stale.pk).status == TodoStatus.COMPLETED  # and still usable


def test_same_status_is_not_a_move(client_for, user, dream):
    todo = TodoFactory(dream=dream, status=TodoStatus.COMPLETED)
    response = client_for(user).put(
        f"{URL}/todos/{todo.pk}", {"dream": dream.pk, "title": "again", "status": "completed"}
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", {"soon", "later"}),
        ("status=completed&status=cancelled", {"done"}),
        ("priority=urgent", {"soon"}),
        ("category=design", {"later"}),
        ("source=document_parsed", {"done"}),
        ("deadline_before={in_2_days}", {"soon"}),
        ("deadline_after={in_2_days}", {"later"}),
        ("search=kite", {"soon"}),
        ("ordering=title", ["done", "later", "soon"]),
    ],
)
def test_todo_filters(client_for, user, dream, strangers_dream, query, expected):
    now = timezone.now()
    tomorrow = now + timedelta(days=1)
    TodoFactory(dream=dream, title="soon", priority="urgent", deadline=tomorrow, notes="kite")
    TodoFactory(dream=dream, title="later", category="design", deadline=now + timedelta(days=3))
    TodoFactory(dream=dream, title="done", status="completed", source="document_parsed")
    TodoFactory(dream=strangers_dream, title="soon", priority="urgent")
    query = query.format(in_2_days=(now + timedelta(days=2)).isoformat().replace("+", "%2B"))
    rows = client_for(user).get(f"{URL}/todos?{query}").json()["results"]
    got = [row["title"] for row in rows]
    assert (got if isinstance(expected, list) else set(got)) == expected


def test_todos_filter_by_dream(client_for, user, dream):
    TodoFactory(dream=dream, title="here")
    TodoFactory(dream=DreamFactory(user=user), title="elsewhere")
    rows = client_for(user).get(f"{URL}/todos", {"dream": dream.pk}).json()["results"]
    assert [row["title"] for row in rows] == ["here"]


def test_fragments_filter_by_dream_and_source(client_for, user, dream):
    FragmentFactory(dream=dream, title="a", source="web")
    FragmentFactory(dream=dream, title="b", source="notes")
    FragmentFactory(dream=DreamFactory(user=user), title="c", source="web")
    rows = client_for(user).get(f"{URL}/fragments", {"dream": dream.pk, "source": "web"}).json()
    assert [row["title"] for row in rows["results"]] == ["a"]


# --- documents: read, rename, delete; created by upload -------------------------------------


def test_document_only_renames(client_for, user, dream):
    document = DocumentFactory(dream=dream, title="old", file_size=10)
    response = client_for(user).patch(
        f"{URL}/documents/{document.pk}",
        {"title": "new", "file_size": 999, "parsed": True, "dream": DreamFactory(user=user).pk},
    )
    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert (document.title, document.file_size, document.parsed) == ("new", 10, False)
    assert document.dream_id == dream.pk


def test_documents_are_not_created_from_json_metadata(client_for, user, dream):
    """A document is a stored file: it comes by upload, never as a bare row."""
    response = client_for(user).post(
        f"{URL}/documents",
        {"dream": dream.pk, "title": "x", "file_name": "x.md", "file_size": 1, "file_path": "/x"},
    )
    assert response.status_code in (400, 405, 415), response.content
    assert not Document.objects.exists()
