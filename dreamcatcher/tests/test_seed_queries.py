"""The seed's views and functions answer, with ids as plain string literals, and count right."""

import pytest
from django.db import connection

from dreamcatcher.choices import TodoStatus
from dreamcatcher.models import DreamTag
from dreamcatcher.tests.factories import (
    DocumentFactory,
    DreamFactory,
    FragmentFactory,
    TodoFactory,
)

pytestmark = pytest.mark.django_db


def seed_sql(statement: str) -> list[tuple]:
    """Run ``statement`` as the seed document would: unqualified names on its search_path."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path TO dreamcatcher, public")
        cursor.execute(statement)
        rows = cursor.fetchall() if cursor.description else []
        cursor.execute("SET LOCAL search_path TO DEFAULT")
    return rows


@pytest.fixture
def busy_dream():
    """3 fragments, 2 todos (1 completed), 2 documents, 2 tags: joins would multiply these."""
    dream = DreamFactory()
    FragmentFactory.create_batch(3, dream=dream)
    TodoFactory(dream=dream, status=TodoStatus.COMPLETED)
    TodoFactory(dream=dream)
    DocumentFactory.create_batch(2, dream=dream)
    for tag in ("coding", "design"):
        DreamTag.objects.create(dream=dream, tag_id=tag)
    DreamFactory(user=dream.user)  # a second, empty dream of the same owner
    DreamFactory()  # someone else's
    return dream


def test_get_dream_statistics(busy_dream):
    rows = seed_sql(f"SELECT * FROM get_dream_statistics('{busy_dream.pk}')")
    assert [tuple(map(float, row)) for row in rows] == [(3, 2, 1, 2, 50.0)]


def test_get_sync_status(busy_dream):
    busy_dream.synced_with_pipelineos = True
    busy_dream.save()
    total, synced, unsynced, _ = seed_sql(f"SELECT * FROM get_sync_status('{busy_dream.user_id}')")[
        0
    ]
    assert (total, synced, unsynced) == (2, 1, 1)


def test_get_user_dreams_orders_by_update(busy_dream):
    rows = seed_sql(f"SELECT id, title FROM get_user_dreams('{busy_dream.user_id}')")
    assert len(rows) == 2
    assert busy_dream.pk in {row[0] for row in rows}


def test_dream_summary_view_counts_each_child_once(busy_dream):
    row = seed_sql(
        "SELECT fragment_count, todo_count, completed_todos, document_count, tag_names "
        f"FROM dream_summary WHERE id = '{busy_dream.pk}'"
    )[0]
    assert row[:4] == (3, 2, 1, 2)
    assert sorted(row[4]) == ["Coding", "Design"]


def test_user_activity_view(busy_dream):
    row = seed_sql(
        "SELECT total_dreams, total_fragments, total_todos, completed_todos "
        f"FROM user_activity WHERE user_id = '{busy_dream.user_id}'"
    )[0]
    assert row == (2, 3, 2, 1)


def test_materialized_view_refreshes_concurrently_and_records_when(busy_dream):
    from config.models import MaterializedViewRefresh

    seed_sql("SELECT refresh_dream_statistics()")
    row = seed_sql(
        "SELECT fragment_count, todo_count, completed_todos, document_count "
        f"FROM dream_statistics WHERE id = '{busy_dream.pk}'"
    )
    assert row == [(3, 2, 1, 2)]
    assert MaterializedViewRefresh.objects.filter(
        view_name="dreamcatcher.dream_statistics"
    ).exists()


def test_set_current_user_and_cleanup_run(busy_dream):
    seed_sql(f"SELECT set_current_user('{busy_dream.user_id}')")
    assert seed_sql("SELECT current_setting('app.current_user_id')") == [(str(busy_dream.user_id),)]
    seed_sql("SELECT cleanup_old_data()")
