"""Materialized-view refresh with recorded freshness, and the staff "database health" page
that lists what the apps and the platform register in ``config.registries.database_health``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.admin import theme
from config.database.matviews import (
    last_refresh,
    materialized_view_freshness,
    refresh_materialized_view,
)
from config.models import MaterializedViewRefresh
from config.registries import HealthSection, database_health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VIEW = "public.test_action_counts"
STATISTICS_VIEW = "dreamcatcher.dream_statistics"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def action_counts():
    """A materialized view over a table of its own, without a unique index (yet)."""
    sql("CREATE TABLE public.test_actions (id serial PRIMARY KEY, action text NOT NULL)")
    sql(
        f"CREATE MATERIALIZED VIEW {VIEW} AS "
        "SELECT action, count(*) AS n FROM public.test_actions GROUP BY action"
    )
    return VIEW


@pytest.fixture
def refreshing_elsewhere():
    """The view's refresh lock, held by another database session (another worker)."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [VIEW])
    yield
    other.close()


# --- refresh and freshness -------------------------------------------------------------------


def test_a_refresh_shows_new_rows_and_records_when_and_how_long(action_counts):
    sql("INSERT INTO public.test_actions (action) VALUES ('view'), ('view'), ('click')")
    before = timezone.now()

    refresh = refresh_materialized_view(action_counts)

    assert refresh.refreshed
    assert refresh.concurrently is False  # no unique index: a plain refresh
    assert sql(f"SELECT action, n FROM {VIEW} ORDER BY action") == [("click", 1), ("view", 2)]
    record = last_refresh(action_counts)
    assert before <= record.refreshed_at == refresh.refreshed_at <= timezone.now()
    assert record.duration_ms == refresh.duration_ms >= 0


def test_a_view_with_a_unique_index_refreshes_concurrently(action_counts):
    sql(f"CREATE UNIQUE INDEX test_action_counts_action ON {VIEW} (action)")
    sql("INSERT INTO public.test_actions (action) VALUES ('search')")

    refresh = refresh_materialized_view(action_counts)

    assert refresh.concurrently is True
    assert sql(f"SELECT action FROM {VIEW}") == [("search",)]


def test_a_refresh_skips_while_another_session_refreshes(action_counts, refreshing_elsewhere):
    sql("INSERT INTO public.test_actions (action) VALUES ('view')")

    refresh = refresh_materialized_view(action_counts)

    assert not refresh.refreshed
    assert sql(f"SELECT count(*) FROM {VIEW}") == [(0,)]
    assert last_refresh(action_counts) is None


def test_only_materialized_views_are_refreshed(db):
    with pytest.raises(ValueError, match="not a materialized view"):
        refresh_materialized_view("dreamcatcher.dream_summary")


def test_freshness_lists_views_with_size_and_last_refresh(action_counts):
    (never,) = materialized_view_freshness([action_counts])
    assert (never.view, never.populated, never.refreshed_at) == (VIEW, True, None)

    refresh_materialized_view(action_counts)

    (fresh,) = materialized_view_freshness([action_counts])
    assert fresh.refreshed_at == last_refresh(action_counts).refreshed_at
    assert fresh.size_bytes >= 0
    assert {view.view for view in materialized_view_freshness()} >= {VIEW, STATISTICS_VIEW}


# --- the page -------------------------------------------------------------------------------


def health_page(client):
    return client.get(reverse("database-health"))


def test_the_page_shows_the_matview_and_its_freshness_to_staff(admin_client):
    MaterializedViewRefresh.objects.update_or_create(
        view_name=STATISTICS_VIEW,
        defaults={"refreshed_at": timezone.now() - timedelta(minutes=3), "duration_ms": 42},
    )

    response = health_page(admin_client)

    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('id="health-dreamcatchermaterialized_views"')[1].split("</section>")[0]
    assert STATISTICS_VIEW in section
    assert "3 min ago" in section
    assert "42 ms" in section
    assert "health-problem" not in section
    for title in ("Foreign-key ON DELETE rules", "Row-level security", "Partitioned tables"):
        assert title in html
    assert "dreamcatcher.dreams" in html.split('id="health-platformrow_level_security"')[1]


def test_a_stale_view_is_flagged(admin_client):
    MaterializedViewRefresh.objects.update_or_create(
        view_name=STATISTICS_VIEW,
        defaults={"refreshed_at": timezone.now() - timedelta(hours=2), "duration_ms": 5},
    )

    html = health_page(admin_client).content.decode()

    section = html.split('id="health-dreamcatchermaterialized_views"')[1].split("</section>")[0]
    assert "2 h ago" in section
    assert "health-problem" in section
    assert "stale" in section


def test_a_failing_section_is_shown_as_failed_and_the_rest_still_render(admin_client):
    def broken():
        sql("SELECT * FROM no_such_table")

    database_health.register(HealthSection(name="test.broken", title="Broken", report=broken))
    try:
        html = health_page(admin_client).content.decode()
    finally:
        database_health.unregister("test.broken")

    assert "could not be read (ProgrammingError)" in html
    assert STATISTICS_VIEW in html


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_page_is_refused_to_anyone_but_staff(client, signed_in):
    if signed_in:
        client.force_login(UserFactory(is_staff=False))

    response = health_page(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_sidebar_links_the_page(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user

    groups = theme.sidebar_navigation(request)

    assert "Database health" in [item["title"] for item in groups[0]["items"]]
    assert reverse("database-health") in [str(item["link"]) for item in groups[0]["items"]]
