"""Every Aurum admin page renders for staff; the tree, the audit diff, the view refresh and
the maintenance actions work; the dashboard shows Aurum's cards."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from aurum.models import (
    Area,
    AuditLog,
    ConversationMemory,
    DailyReflection,
    HierarchyView,
    Insight,
    JournalEntry,
    Pillar,
    Project,
    Task,
    TaskDependency,
    TimeEntry,
    UserBehaviorPattern,
    UserProfile,
    UserStatisticsCache,
    UserStats,
)
from aurum.services.hierarchy import hierarchy_view_refresh
from aurum.services.people import profile_of, stats_of
from aurum.tests.factories import (
    DailyReflectionFactory,
    JournalEntryFactory,
    TaskDependencyFactory,
    TaskFactory,
    TimeEntryFactory,
)
from config.admin.links import admin_url
from config.database.matviews import last_refresh

pytestmark = pytest.mark.django_db

MODELS = [Pillar, Area, Project, Task, TaskDependency, HierarchyView, JournalEntry,
          DailyReflection, TimeEntry, UserBehaviorPattern, Insight, ConversationMemory,
          UserStatisticsCache, UserProfile, UserStats, AuditLog]  # fmt: skip


@pytest.fixture
def rows(user):
    link = TaskDependencyFactory(task=TaskFactory(user=user))
    task = link.task
    JournalEntryFactory(user=user, content="Grateful for a great, calm run.")
    DailyReflectionFactory(user=user, mood="happy")
    TimeEntryFactory(user=user, task=task, activity_type="focused")
    Insight.objects.create(
        user=user, entity_type="task", entity_id=task.pk, insight_type="priority_reasoning",
        title="Why now", summary="Due soon", detailed_reasoning={"factors": []},
        confidence_score=0.7, reasoning_path=[{"factor": "urgency", "contribution": 0.3}],
    )  # fmt: skip
    ConversationMemory.objects.create(user=user, message_role="user", message_content="Hello")
    UserBehaviorPattern.objects.create(
        user=user, pattern_type="focus_duration", pattern_data={"minutes": 40}, sample_size=3
    )
    UserStatisticsCache.objects.create(user=user, stat_date=timezone.localdate(), stat_type="daily")
    profile_of(user=user)
    stats_of(user=user)
    hierarchy_view_refresh()
    return {"task": task, "link": link}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def post_action(client, model, action, selected, query=""):
    return client.post(
        admin_url(model, "changelist", query=query),
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in selected]},
        follow=True,
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelists_and_change_pages_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200, model
    obj = model.objects.first()
    assert obj is not None, model
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200, model
    assert "0.1, 0.1" not in response.content.decode()  # vectors never print


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_search_and_filters_render(admin_client, rows, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "x"})
    assert response.status_code == 200


def test_archived_rows_are_filtered_and_restored(admin_client, rows):
    task = rows["task"]
    post_action(admin_client, Task, "archive", [task])
    assert Task.objects.get(pk=task.pk).archived
    response = admin_client.get(admin_url(Task, "changelist"))
    assert task not in response.context["cl"].result_list
    response = admin_client.get(admin_url(Task, "changelist"), {"archived": "archived"})
    assert task in response.context["cl"].result_list
    # From the list of archived rows, as staff would.
    response = post_action(admin_client, Task, "restore_archived", [task], "archived=archived")
    assert "Restored 1 row." in messages_of(response)
    assert not Task.objects.get(pk=task.pk).archived
    actions = set(AuditLog.objects.filter(entity_id=task.pk).values_list("action", flat=True))
    assert {"archive", "restore"} <= actions


def test_the_hierarchy_tree_shows_a_persons_pillars_down_to_tasks(admin_client, rows):
    task = rows["task"]
    url = admin_url(Pillar, "tree")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"user": "not-an-id"}).status_code == 200
    response = admin_client.get(url, {"user": str(task.user_id)})
    html = response.content.decode()
    for name in (task.project.area.pillar.name, task.project.area.name, task.project.name,
                 task.name):  # fmt: skip
        assert name in html


def test_audit_entries_show_a_side_by_side_diff(admin_client, rows):
    task = rows["task"]
    Task.objects.filter(pk=task.pk).update(name="Renamed <b>")
    entry = AuditLog.objects.get(entity_id=task.pk, action="update")
    html = admin_client.get(admin_url(AuditLog, "change", entry.pk)).content.decode()
    assert "aurum-audit-diff" in html
    assert task.name in html
    assert "Renamed &lt;b&gt;" in html  # escaped
    assert admin_client.post(admin_url(AuditLog, "delete", entry.pk)).status_code == 403


def test_refresh_button_refreshes_the_view(admin_client, rows, user):
    TaskFactory(user=user)
    response = admin_client.get(admin_url(HierarchyView, "refresh"), follow=True)
    assert response.status_code == 200
    assert HierarchyView.objects.filter(user=user).count() == 3
    assert last_refresh("aurum.hierarchy_view") is not None


def test_re_embed_rescore_and_rebuild_statistics(admin_client, rows):
    task = rows["task"]
    response = post_action(admin_client, Task, "re_embed", [task])
    assert any("Wrote 2 vectors." in text for text in messages_of(response))
    task = Task.objects.get(pk=task.pk)
    assert task.name_embedding is not None
    assert task.embedding_updated_at is not None

    response = post_action(admin_client, Task, "rescore", [task])
    assert any("Re-scored" in text for text in messages_of(response))
    assert Task.objects.get(pk=task.pk).hrm_last_analyzed is not None

    profile = UserProfile.objects.get(user=task.user)
    response = post_action(admin_client, UserProfile, "rebuild_statistics", [profile])
    assert any("Rebuilt" in text for text in messages_of(response))


def test_dashboard_shows_aurums_cards(admin_client, rows):
    Task.objects.filter(pk=rows["task"].pk).update(completed=True)
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    (section,) = [s for s in response.context["dashboard_sections"] if s.system == "Aurum Life"]
    names = {card.name for card in section.cards}
    assert {"aurum.overview", "aurum.time_per_pillar", "aurum.mood_over_time",
            "aurum.completion_trend", "aurum.embedding_coverage"} <= names  # fmt: skip
    assert not any(card.failed for card in section.cards)


def test_time_per_pillar_counts_hours_under_the_tasks_pillar(rows):
    from aurum.selectors.dashboard import time_per_pillar

    task = rows["task"]
    start = timezone.now() - timedelta(hours=3)
    TimeEntry.objects.create(user=task.user, entity_type="task", entity_id=task.pk,
                             start_time=start, end_time=start + timedelta(minutes=90))  # fmt: skip
    hours = dict(time_per_pillar())
    assert hours[task.project.area.pillar.name] == 2.0  # 30 min (factory) + 90 min


def test_refresh_command_and_task_bring_the_view_up(user, capsys):
    from django.core.management import call_command

    from aurum.tasks import refresh_hierarchy_view

    task = TaskFactory(user=user)
    call_command("refresh_aurum_hierarchy")
    assert "Refreshed aurum.hierarchy_view concurrently" in capsys.readouterr().out
    assert HierarchyView.objects.filter(task_id=task.pk).exists()
    Task.objects.filter(pk=task.pk).update(name="Renamed")
    assert refresh_hierarchy_view()["refreshed"] is True
    assert HierarchyView.objects.get(task_id=task.pk).task_name == "Renamed"
