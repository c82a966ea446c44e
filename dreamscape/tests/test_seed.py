"""The database carries the Dreamscape seed, read from the seed document itself, and every
query the seed lists runs unchanged on ``search_path = dreamscape, public`` with a real $1."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from config.models import DeletedUser
from dreamscape.models import UserPersona
from dreamscape.tests.factories import (
    BehaviorFactory,
    LearningProfileFactory,
    SuggestionFactory,
    TagClusterFactory,
)
from tests.seed_checks import columns_of, index_names, query, seed_index_names, seed_tables
from tests.seed_checks import seed_text as read_seed

SEED = read_seed("000_54cba06631422baa.txt")
pytestmark = pytest.mark.django_db


def seed_statements(heading: str) -> list[str]:
    """The SQL statements of the seed's section ``heading`` (up to the next ``## ``)."""
    section = SEED.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    statements = []
    for block in blocks:
        for statement in block.split(";"):
            lines = [line for line in statement.splitlines() if not line.strip().startswith("--")]
            if "\n".join(lines).strip():
                statements.append("\n".join(lines).strip())
    return statements


def run_seed(statement: str, *params: object) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path TO dreamscape, public")
        cursor.execute(statement.replace("%", "%%").replace("$1", "%s"), params)
        rows = cursor.fetchall() if cursor.description else []
        cursor.execute("SET LOCAL search_path TO DEFAULT")
    return rows


def test_every_seed_table_and_column_exists():
    tables = seed_tables(SEED)
    assert set(tables) == {
        "user_behaviors",
        "user_personas",
        "learning_profiles",
        "tag_clusters",
        "dreamscape_suggestions",
    }
    for table, columns in tables.items():
        assert columns <= columns_of("dreamscape", table), (table, columns)


def test_column_types_follow_the_seed():
    types = dict(
        query(
            "SELECT table_name || '.' || column_name, "
            "format_type(a.atttypid, a.atttypmod) FROM information_schema.columns c "
            "JOIN pg_attribute a ON a.attrelid = format('%%I.%%I', c.table_schema, "
            "c.table_name)::regclass AND a.attname = c.column_name "
            "WHERE c.table_schema = 'dreamscape'"
        )
    )
    assert types["user_behaviors.id"] == "uuid"
    assert types["user_behaviors.action_type"] == "character varying(50)"
    assert types["user_behaviors.context"] == "jsonb"
    assert types["user_behaviors.created_at"] == "timestamp with time zone"
    assert types["user_personas.phase_confidence"] == "numeric(3,2)"
    assert types["learning_profiles.learning_velocity"] == "numeric(4,3)"
    assert types["tag_clusters.cluster_center"] == "vector(1536)"
    assert types["dreamscape_suggestions.title"] == "character varying(200)"
    assert types["dreamscape_suggestions.is_dismissed"] == "boolean"


def test_every_seed_index_exists_under_its_name():
    names = seed_index_names(SEED)
    names |= set(re.findall(r"CREATE INDEX CONCURRENTLY (\w+)", SEED))
    assert {"idx_user_behaviors_composite", "idx_user_personas_compound"} <= names
    assert len(names) == 18
    assert names - index_names() == set()


def test_foreign_keys_cascade_under_the_seeds_names():
    rules = dict(
        query(
            "SELECT conname, confdeltype FROM pg_constraint "
            "WHERE contype = 'f' AND conparentid = 0 AND connamespace = 'dreamscape'::regnamespace"
        )
    )
    assert set(re.findall(r"ADD CONSTRAINT (\w+)", SEED)) == set(rules)
    assert set(rules.values()) == {"c"}


def test_user_behaviors_is_range_partitioned_by_month():
    (strategy, key) = query(
        "SELECT p.partstrat, pg_get_partkeydef(p.partrelid) FROM pg_partitioned_table p "
        "WHERE p.partrelid = 'dreamscape.user_behaviors'::regclass"
    )[0]
    assert (strategy, key) == ("r", "RANGE (created_at)")
    month = timezone.now()
    name = f"user_behaviors_y{month.year:04d}m{month.month:02d}"
    assert query("SELECT to_regclass(%s)", [f"dreamscape.{name}"])[0][0] is not None
    row = BehaviorFactory()
    (where,) = query(
        "SELECT tableoid::regclass::text FROM dreamscape.user_behaviors WHERE id = %s", [row.pk]
    )[0]
    assert where == f"dreamscape.{name}"


def test_materialized_view_has_a_unique_user_index():
    (definition,) = query(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'dreamscape' "
        "AND tablename = 'user_engagement_summary'"
    )[0]
    assert definition.startswith("CREATE UNIQUE INDEX")
    assert "(user_id)" in definition


@pytest.fixture
def busy_user(user, other_user):
    now = timezone.now()
    BehaviorFactory(user=user, action_type="view", duration_seconds=100)
    BehaviorFactory(user=user, action_type="view", duration_seconds=200)
    BehaviorFactory(user=user, action_type="edit", duration_seconds=60)
    BehaviorFactory(user=user, action_type="view", created_at=now - timedelta(days=40))
    BehaviorFactory(user=other_user, action_type="search")
    LearningProfileFactory(user=user, skill_area="Python", learning_velocity="0.800")
    LearningProfileFactory(user=user, skill_area="SQL", learning_velocity="0.300")
    SuggestionFactory(user=user, priority_score="0.900")
    SuggestionFactory(user=user, is_dismissed=True)
    SuggestionFactory(user=user, expires_at=now - timedelta(days=1))
    TagClusterFactory(user=user)
    return user


def test_common_queries(busy_user):
    summary, velocity, active, clusters = seed_statements("Common Queries")
    rows = run_seed(summary, busy_user.pk)
    assert [(action, count) for action, count, _, _ in rows] == [("view", 2), ("edit", 1)]
    assert float(rows[0][2]) == 150.0
    assert [row[0] for row in run_seed(velocity, busy_user.pk)] == ["Python", "SQL"]
    assert run_seed(velocity, busy_user.pk)[0][3] == "4.5"
    assert len(run_seed(active, busy_user.pk)) == 1
    ((_name, size, _cohesion, tag_count, _history),) = run_seed(clusters, busy_user.pk)
    assert (size, tag_count) == (1, 1)


def test_materialized_view_and_retention_statements(busy_user):
    statements = seed_statements("Performance Optimization")
    partitions = [s for s in statements if "PARTITION OF" in s]
    assert len(partitions) == 2  # made by migration/beat; the seed's DDL names them so
    retention = seed_statements("Data Privacy and Retention")
    old = BehaviorFactory(user=busy_user, created_at=timezone.now() - timedelta(days=800))
    old_suggestion = SuggestionFactory(user=busy_user, is_acted_upon=True)
    old_suggestion.created_at = timezone.now() - timedelta(days=400)
    old_suggestion.save()
    for statement in retention:
        run_seed(statement)
    assert not type(old).objects.filter(pk=old.pk).exists()
    assert not type(old_suggestion).objects.filter(pk=old_suggestion.pk).exists()


def test_anonymisation_against_deleted_users(busy_user, other_user):
    profile = {"primary_languages": ["Python"]}
    for owner in (busy_user, other_user):
        UserPersona.objects.create(user=owner, technical_profile=profile, life_phase="mid_career")
    DeletedUser.objects.create(id=busy_user)
    (anonymise,) = [s for s in seed_statements("Data Privacy and Retention") if "UPDATE" in s]
    run_seed(anonymise)
    erased = UserPersona.objects.get(user=busy_user)
    assert erased.technical_profile == {}
    assert erased.life_phase == "mid_career"
    assert UserPersona.objects.get(user=other_user).technical_profile == profile


def test_monitoring_queries(busy_user):
    sizes, coverage = seed_statements("Monitoring and Analytics")
    tables = {row[1] for row in run_seed(sizes)}
    assert {"user_behaviors_default", "dreamscape_suggestions"} <= tables
    rows = run_seed(coverage)
    assert sum(row[2] for row in rows) == 4  # today's events of both users; not the old one
