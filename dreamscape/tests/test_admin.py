"""Dreamscape's admin: every page renders for staff with real rows, the behaviour list never
counts or scans every partition, partitions are listed and drained from there; dashboard
cards and database-health sections render."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.admin.links import admin_url
from config.database.partitions import add_months, list_partitions, month_start, partition_name
from dreamscape.models import (
    DreamscapeSuggestion,
    LearningProfile,
    TagCluster,
    UserBehavior,
    UserEngagementSummary,
    UserPersona,
)
from dreamscape.services.maintenance import engagement_summary_refresh
from dreamscape.services.personas import persona_analyze
from dreamscape.tests.factories import (
    BehaviorFactory,
    LearningProfileFactory,
    SuggestionFactory,
    TagClusterFactory,
)

pytestmark = pytest.mark.django_db
MODELS = [UserBehavior, UserEngagementSummary, UserPersona, LearningProfile, TagCluster,
          DreamscapeSuggestion]  # fmt: skip


@pytest.fixture
def rows(user):
    behaviour = BehaviorFactory(user=user, metadata={"skill": "Python", "tags": ["<b>x</b>"]})
    persona = persona_analyze(user=user)
    engagement_summary_refresh()
    return {
        UserBehavior: behaviour,
        UserPersona: persona,
        LearningProfile: LearningProfileFactory(user=user, skill_area="Go"),
        TagCluster: TagClusterFactory(user=user),
        DreamscapeSuggestion: SuggestionFactory(user=user, is_dismissed=True),
        UserEngagementSummary: UserEngagementSummary.objects.get(user=user),
    }


@pytest.mark.parametrize("model", MODELS)
def test_changelists_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200, model


@pytest.mark.parametrize("model", MODELS)
def test_change_pages_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "change", rows[model].pk))
    assert response.status_code == 200, model
    assert b"<b>x</b>" not in response.content  # JSON is escaped


def test_add_page_of_learning_profiles(admin_client):
    assert admin_client.get(admin_url(LearningProfile, "add")).status_code == 200


def test_suggestions_show_their_state(admin_client, rows):
    response = admin_client.get(admin_url(DreamscapeSuggestion, "changelist"))
    assert b"dismissed" in response.content


def test_behaviour_list_counts_nothing_and_filters_by_recent_days(admin_client, user):
    BehaviorFactory.create_batch(3, user=user)
    BehaviorFactory(user=user, created_at=timezone.now() - timedelta(days=60))
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(UserBehavior, "changelist"))
    assert response.status_code == 200
    behaviour_queries = [q["sql"] for q in queries if '"user_behaviors"' in q["sql"]]
    counts = [sql for sql in behaviour_queries if "COUNT(" in sql.upper()]
    assert all("LIMIT 10001" in sql for sql in counts), counts  # never a full count
    assert b"partitions" in response.content
    recent = admin_client.get(admin_url(UserBehavior, "changelist") + "?recent=7d")
    assert recent.context["cl"].result_count == 3
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dreamscape.user_behaviors")  # as autovacuum would
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(admin_url(UserBehavior, "changelist"))
    assert page.context["cl"].paginator.count_is_estimate
    unbounded = [
        q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"]
    ]
    assert not [sql for sql in unbounded if "user_behaviors" in sql]


def test_partitions_are_drained_from_the_list(admin_client, user):
    month = add_months(month_start(timezone.now().date()), -5)
    name = partition_name("dreamscape.user_behaviors", month)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {name}")
    BehaviorFactory(user=user, created_at=datetime(month.year, month.month, 15, tzinfo=UTC))
    page = admin_client.get(admin_url(UserBehavior, "changelist"))
    assert b"drain it" in page.content
    response = admin_client.post(admin_url(UserBehavior, "changelist"), {"partition_upkeep": "1"})
    assert response.status_code == 302
    assert name in {p.name for p in list_partitions("dreamscape.user_behaviors")}


def test_dashboard_and_health_sections_render(admin_client, rows):
    dashboard = admin_client.get("/admin/")
    assert b"Events per day" in dashboard.content
    health = admin_client.get("/admin/database-health/")
    assert health.status_code == 200
    assert b"Behaviour tracking coverage" in health.content
    assert b"user_behaviors_default" in health.content  # the seed's table sizes
    assert b"user_engagement_summary" in health.content


def test_events_per_day_chart(rf, user):
    from dreamscape import cards

    BehaviorFactory.create_batch(2, user=user)
    BehaviorFactory(user=user, created_at=timezone.now() - timedelta(days=3))
    BehaviorFactory(user=user, created_at=timezone.now() - timedelta(days=45))  # off the chart
    chart = cards.events_per_day(rf.get("/admin/"))["chart"]
    data = chart["datasets"][0]["data"]
    assert len(chart["labels"]) == len(data) == 30
    assert (data[-1], data[-4], sum(data)) == (2, 1, 3)
