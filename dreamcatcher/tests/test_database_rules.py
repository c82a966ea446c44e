"""Rules the database keeps for every writer: stamps, counters, arrays, owners, transitions."""

import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from dreamcatcher.choices import TODO_TRANSITIONS, TodoStatus
from dreamcatcher.models import Brand, Dream, DreamTag, Tag, Todo
from dreamcatcher.tests.factories import DocumentFactory, DreamFactory, FragmentFactory, TodoFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def usage(tag_id):
    return Tag.objects.get(pk=tag_id).usage_count


# --- updated stamps -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "make"),
    [
        ("dreams", "updated", lambda: DreamFactory()),
        ("todos", "updated_at", lambda: TodoFactory()),
        ("brands", "updated_at", lambda: Brand.objects.get(pk="personal")),
        ("tags", "updated_at", lambda: Tag.objects.get(pk="coding")),
    ],
)
def test_updates_are_stamped_by_the_database(table, column, make):
    row = make()
    stamped, started, finished = sql(
        f'UPDATE "dreamcatcher"."{table}" SET {column} = %s WHERE id = %s '
        f"RETURNING {column}, now(), clock_timestamp()",
        [timezone.now() - timedelta(days=365), row.pk],
    )[0]
    assert started <= stamped <= finished


def test_a_dream_is_never_updated_before_it_was_created():
    dream = DreamFactory()
    TodoFactory(dream=dream)  # same transaction: the todo trigger touches the dream
    dream.refresh_from_db()
    assert dream.updated >= dream.created


def test_deleting_raw_cascades_like_the_seed_says():
    dream = DreamFactory()
    TodoFactory(dream=dream)
    FragmentFactory(dream=dream)
    DreamTag.objects.create(dream=dream, tag_id="coding")
    before = usage("coding")
    sql('DELETE FROM "dreamcatcher"."dreams" WHERE id = %s', [dream.pk])
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Todo.objects.filter(dream_id=dream.pk).exists()
    assert usage("coding") == before - 1
    owner = UserFactory()
    DreamFactory(user=owner)
    sql("DELETE FROM users WHERE id = %s", [owner.pk])
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Dream.objects.filter(user_id=owner.pk).exists()


# --- tags.usage_count -----------------------------------------------------------------------


def test_usage_count_follows_dream_tags_exactly():
    before = usage("coding")
    dreams = DreamFactory.create_batch(3)
    for dream in dreams:
        DreamTag.objects.create(dream=dream, tag_id="coding")
    assert usage("coding") == before + 3
    DreamTag.objects.filter(dream=dreams[0]).delete()
    assert usage("coding") == before + 2
    dreams[1].delete()  # cascades to its dream_tags row
    assert usage("coding") == before + 1
    sql('DELETE FROM "dreamcatcher"."dream_tags" WHERE dream_id = %s', [dreams[2].pk])
    assert usage("coding") == before


def test_a_dream_tag_link_cannot_be_repointed():
    dream = DreamFactory()
    DreamTag.objects.create(dream=dream, tag_id="coding")
    with pytest.raises(DatabaseError), transaction.atomic():
        sql(
            'UPDATE "dreamcatcher"."dream_tags" SET tag_id = \'design\' WHERE dream_id = %s',
            [dream.pk],
        )
    assert usage("design") >= 0


def test_usage_count_cannot_go_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.filter(pk="coding").update(usage_count=-1)


# --- todos: completed_at and status transitions ---------------------------------------------


def test_completed_at_is_set_on_completion_and_cleared_on_reopen():
    todo = TodoFactory()
    assert todo.completed_at is None
    Todo.objects.filter(pk=todo.pk).update(status=TodoStatus.COMPLETED)
    completed_at = Todo.objects.get(pk=todo.pk).completed_at
    assert completed_at is not None
    Todo.objects.filter(pk=todo.pk).update(title="renamed", completed_at=None)
    assert Todo.objects.get(pk=todo.pk).completed_at == completed_at  # kept while completed
    Todo.objects.filter(pk=todo.pk).update(status=TodoStatus.IN_PROGRESS)
    assert Todo.objects.get(pk=todo.pk).completed_at is None


def test_a_todo_inserted_as_completed_is_stamped():
    todo = TodoFactory(status=TodoStatus.COMPLETED)
    assert Todo.objects.get(pk=todo.pk).completed_at is not None
    other = TodoFactory(status=TodoStatus.PENDING, completed_at=timezone.now())
    assert Todo.objects.get(pk=other.pk).completed_at is None


ALL_MOVES = [(a, b) for a in TodoStatus.values for b in TodoStatus.values if a != b]


@pytest.mark.parametrize(("start", "target"), ALL_MOVES)
def test_only_allowed_status_transitions(start, target):
    todo = TodoFactory(status=start)
    allowed = (start, target) in TODO_TRANSITIONS
    if allowed:
        Todo.objects.filter(pk=todo.pk).update(status=target)
        assert Todo.objects.get(pk=todo.pk).status == target
    else:
        with pytest.raises(DatabaseError), transaction.atomic():
            Todo.objects.filter(pk=todo.pk).update(status=target)
        assert Todo.objects.get(pk=todo.pk).status == start


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "done"), ("priority", "critical"), ("source", "email")],
)
def test_enumerated_columns_are_checked(column, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoFactory(**{column: value})


def test_dream_status_is_checked():
    with pytest.raises(IntegrityError), transaction.atomic():
        DreamFactory(status="someday")


# --- children belong to their dream's owner -------------------------------------------------


def test_children_take_their_dreams_owner_whatever_the_writer_says():
    dream, stranger = DreamFactory(), UserFactory()
    fragment = FragmentFactory(dream=dream, user=stranger)
    todo = TodoFactory(dream=dream, user=stranger)
    assert sql('SELECT user_id FROM "dreamcatcher"."fragments" WHERE id = %s', [fragment.pk]) == [
        (dream.user_id,)
    ]
    assert Todo.objects.get(pk=todo.pk).user_id == dream.user_id
    other_dream = DreamFactory()
    Todo.objects.filter(pk=todo.pk).update(dream=other_dream)
    assert Todo.objects.get(pk=todo.pk).user_id == other_dream.user_id


# --- the dream's JSONB arrays mirror its rows -----------------------------------------------


def arrays(dream):
    row = sql(
        'SELECT tags, todos, documents FROM "dreamcatcher"."dreams" WHERE id = %s', [dream.pk]
    )[0]
    return [json.loads(value) if isinstance(value, str) else value for value in row]


def test_jsonb_arrays_follow_tags_todos_and_documents():
    dream = DreamFactory()
    assert arrays(dream) == [[], [], []]
    DreamTag.objects.create(dream=dream, tag_id="coding")
    DreamTag.objects.create(dream=dream, tag_id="design")
    todo = TodoFactory(dream=dream)
    document = DocumentFactory(dream=dream)
    tags, todos, documents = arrays(dream)
    assert set(tags) == {"coding", "design"}
    assert todos == [todo.pk]
    assert documents == [document.pk]
    DreamTag.objects.filter(dream=dream, tag_id="coding").delete()
    todo.delete()
    assert arrays(dream) == [["design"], [], [document.pk]]
    moved_to = DreamFactory()
    Todo.objects.filter(pk=TodoFactory(dream=dream).pk).update(dream=moved_to)
    assert arrays(dream)[1] == []
    assert len(arrays(moved_to)[1]) == 1


def test_seed_query_on_jsonb_tags_uses_the_mirror():
    dream = DreamFactory()
    DreamTag.objects.create(dream=dream, tag_id="devops")
    found = sql("""SELECT id FROM "dreamcatcher"."dreams" WHERE tags ? 'devops'""")
    assert (dream.pk,) in found


# --- string ids and defaults for raw writers ------------------------------------------------


def test_raw_inserts_get_generated_ids_and_seed_defaults():
    user = UserFactory()
    row = sql(
        'INSERT INTO "dreamcatcher"."dreams" (title, user_id) VALUES (%s, %s) '
        "RETURNING id, status, brand, synced_with_pipelineos, tags::text",
        ["raw", user.pk],
    )[0]
    assert len(row[0]) == 36
    assert row[1:] == ("idea", "personal", False, "[]")
    assert Dream.objects.get(pk=row[0]).user == user


# --- reference data survives a flush --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_default_brands_and_tags_survive_flush():
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    assert Brand.objects.filter(pk="personal").exists()
    assert Tag.objects.filter(pk="coding").exists()
