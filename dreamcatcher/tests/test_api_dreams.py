"""Dreams through the API: filters, search, ordering, nested rows, tags, statistics, reports."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.testing import assert_error_shape
from dreamcatcher.choices import TodoStatus
from dreamcatcher.models import Brand, Dream, DreamTag, Tag
from dreamcatcher.tests.factories import (
    DocumentFactory,
    DreamFactory,
    FragmentFactory,
    ImplementationFactory,
    TodoFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/dreamcatcher"


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def tag(dream, *tag_ids):
    for tag_id in tag_ids:
        DreamTag.objects.create(dream=dream, tag_id=tag_id)


# --- list: filters, search, ordering --------------------------------------------------------


@pytest.fixture
def dreams(user, other_user):
    """Three dreams of the caller, and one of someone else that matches every filter."""
    kite = DreamFactory(user=user, title="Kite", status="idea", brand_id="bc-studio")
    boat = DreamFactory(user=user, title="Boat", status="planning", synced_with_pipelineos=True)
    lamp = DreamFactory(user=user, title="Lamp", description="a kite-shaped lamp")
    tag(kite, "coding", "design")
    tag(lamp, "design")
    Dream.objects.filter(pk=lamp.pk).update(created=timezone.now() - timedelta(days=10))
    stranger = DreamFactory(user=other_user, title="Kite too", brand_id="bc-studio")
    tag(stranger, "design")
    return {"kite": kite, "boat": boat, "lamp": lamp}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=idea", {"Kite", "Lamp"}),
        ("status=idea&status=planning", {"Kite", "Boat", "Lamp"}),
        ("brand=bc-studio", {"Kite"}),
        ("brand=personal", {"Boat", "Lamp"}),
        ("tag=design", {"Kite", "Lamp"}),
        ("tag=coding", {"Kite"}),
        ("tag=marketing", set()),
        ("synced=true", {"Boat"}),
        ("synced=false", {"Kite", "Lamp"}),
        ("search=kite", {"Kite", "Lamp"}),
        ("search=KITE-SHAPED", {"Lamp"}),
    ],
)
def test_filters_and_search(client_for, user, dreams, query, expected):
    assert set(titles(client_for(user).get(f"{URL}/dreams?{query}"))) == expected


def test_created_range(client_for, user, dreams):
    client = client_for(user)
    since = (timezone.now() - timedelta(days=5)).isoformat()
    assert set(titles(client.get(f"{URL}/dreams", {"created_after": since}))) == {"Kite", "Boat"}
    assert titles(client.get(f"{URL}/dreams", {"created_before": since})) == ["Lamp"]


def test_bad_filter_value_is_400(client_for, user):
    response = client_for(user).get(f"{URL}/dreams?status=dreaming")
    assert assert_error_shape(response, 400)["field"] == "status"


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["Boat", "Kite", "Lamp"]),
        ("-title", ["Lamp", "Kite", "Boat"]),
        ("created", ["Lamp", "Kite", "Boat"]),
        ("-created", ["Boat", "Kite", "Lamp"]),
    ],
)
def test_ordering(client_for, user, dreams, ordering, expected):
    assert titles(client_for(user).get(f"{URL}/dreams?ordering={ordering}")) == expected


def test_ordering_by_status(client_for, user, dreams):
    assert titles(client_for(user).get(f"{URL}/dreams?ordering=-status"))[0] == "Boat"


def test_ordering_by_an_unlisted_field_is_ignored(client_for, user, dreams):
    assert len(titles(client_for(user).get(f"{URL}/dreams?ordering=user__password"))) == 3


def test_cursor_pages_walk_every_dream_once(client_for, user):
    made = {DreamFactory(user=user).pk for _ in range(7)}
    client, seen, url = client_for(user), [], f"{URL}/dreams?page_size=3"
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(made)


# --- rows: counts on the list, children on retrieve -----------------------------------------


@pytest.fixture
def full_dream(user):
    dream = DreamFactory(user=user)
    FragmentFactory.create_batch(2, dream=dream)
    TodoFactory.create_batch(3, dream=dream)
    TodoFactory(dream=dream, status=TodoStatus.COMPLETED)
    DocumentFactory(dream=dream)
    ImplementationFactory(dream=dream)
    tag(dream, "coding")
    return dream


def test_list_shows_counts_not_rows(client_for, user, full_dream):
    (row,) = client_for(user).get(f"{URL}/dreams").json()["results"]
    assert {key: row[key] for key in row if key.endswith("_count")} == {
        "fragment_count": 2,
        "implementation_count": 1,
        "todo_count": 4,
        "document_count": 1,
    }
    assert [t["id"] for t in row["tags"]] == ["coding"]
    assert not {"fragments", "todos", "documents", "implementations"} & set(row)


def test_retrieve_nests_every_child(client_for, user, full_dream):
    body = client_for(user).get(f"{URL}/dreams/{full_dream.pk}").json()
    assert {len(body[key]) for key in ("fragments", "todos")} == {2, 4}
    assert len(body["documents"]) == len(body["implementations"]) == 1
    assert {todo["dream"] for todo in body["todos"]} == {full_dream.pk}
    assert body["tags"] == [
        {"id": "coding", "name": "Coding", "category": "Task", "color": "#3B82F6"}
    ]
    assert body["todo_count"] == 4


def test_retrieve_queries_do_not_grow_with_children(client_for, user, full_dream):
    client = client_for(user)
    url = f"{URL}/dreams/{full_dream.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    FragmentFactory.create_batch(5, dream=full_dream)
    TodoFactory.create_batch(5, dream=full_dream)
    tag(full_dream, "design", "admin")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["fragments"]) == 7
    assert len(many) == len(few)


# --- writes ---------------------------------------------------------------------------------


def test_create_defaults_and_read_only_fields(client_for, user):
    response = client_for(user).post(
        f"{URL}/dreams",
        {
            "title": "Glider",
            "synced_with_pipelineos": True,
            "pipelineos_project_id": "p-1",
            "created_by": "mallory",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["brand"], body["status"], body["tags"]) == ("personal", "idea", [])
    dream = Dream.objects.get(pk=body["id"])
    assert (dream.synced_with_pipelineos, dream.pipelineos_project_id) == (False, None)
    assert dream.created_by == dream.updated_by == str(user.pk)
    assert dream.user == user


@pytest.mark.parametrize("brand", ["no-such-brand", "retired"])
def test_brand_must_exist_and_be_active(client_for, user, brand):
    Brand.objects.create(id="retired", name="Retired", display_name="Retired", is_active=False)
    response = client_for(user).post(f"{URL}/dreams", {"title": "Glider", "brand": brand})
    body = assert_error_shape(response, 400, "does_not_exist")
    assert body["field"] == "brand"
    assert "active brand" in body["message"]
    assert not Dream.objects.filter(title="Glider").exists()


def test_update_stamps_updated(client_for, user):
    dream = DreamFactory(user=user)
    response = client_for(user).patch(f"{URL}/dreams/{dream.pk}", {"summary": "In short"})
    assert response.status_code == 200
    dream.refresh_from_db()
    assert dream.summary == response.json()["summary"] == "In short"
    assert response.json()["updated"] == dream.updated.isoformat().replace("+00:00", "Z")


def test_delete_takes_the_children(client_for, user, full_dream):
    assert client_for(user).delete(f"{URL}/dreams/{full_dream.pk}").status_code == 204
    assert not Dream.objects.filter(pk=full_dream.pk).exists()
    assert Tag.objects.get(pk="coding").usage_count == 0


# --- PUT /dreams/{id}/tags ------------------------------------------------------------------


def usage():
    return dict(Tag.objects.values_list("id", "usage_count"))


def test_put_tags_replaces_the_set_and_counts_follow(client_for, user, other_user):
    dream = DreamFactory(user=user)
    tag(dream, "admin", "coding")
    tag(DreamFactory(user=other_user), "coding")
    before = usage()
    response = client_for(user).put(
        f"{URL}/dreams/{dream.pk}/tags", {"tags": ["coding", "design", "design"]}
    )
    assert response.status_code == 200, response.content
    assert [t["id"] for t in response.json()["tags"]] == ["coding", "design"]
    dream.refresh_from_db()
    assert sorted(dream.tags) == ["coding", "design"]  # the JSONB array follows the rows
    after = usage()
    assert after["admin"] == before["admin"] - 1
    assert after["coding"] == before["coding"] == 2
    assert after["design"] == before["design"] + 1


def test_put_no_tags_clears_them(client_for, user):
    dream = DreamFactory(user=user)
    tag(dream, "admin")
    assert client_for(user).put(f"{URL}/dreams/{dream.pk}/tags", {"tags": []}).status_code == 200
    assert not DreamTag.objects.filter(dream=dream).exists()


def test_put_unknown_tag_is_400_and_changes_nothing(client_for, user):
    dream = DreamFactory(user=user)
    tag(dream, "admin")
    before = usage()
    response = client_for(user).put(f"{URL}/dreams/{dream.pk}/tags", {"tags": ["coding", "nope"]})
    body = assert_error_shape(response, 400, "does_not_exist")
    assert body["field"] == "tags"
    assert "nope" in body["message"]
    assert list(DreamTag.objects.filter(dream=dream).values_list("tag_id", flat=True)) == ["admin"]
    assert usage() == before


@pytest.mark.parametrize("body", [{}, {"tags": "coding"}, {"tags": [["coding"]]}])
def test_put_tags_needs_a_list_of_ids(client_for, user, body):
    dream = DreamFactory(user=user)
    response = client_for(user).put(f"{URL}/dreams/{dream.pk}/tags", body)
    assert assert_error_shape(response, 400)["field"].startswith("tags")


def test_put_tags_on_another_users_dream_is_404(client_for, user, other_user):
    dream = DreamFactory(user=other_user)
    response = client_for(user).put(f"{URL}/dreams/{dream.pk}/tags", {"tags": ["coding"]})
    assert_error_shape(response, 404, "not_found")
    assert not DreamTag.objects.filter(dream=dream).exists()
