"""Behaviour patterns (pure detectors and the stored replacement), the statistics cache
(computed on a miss, read on a hit, upserted by beat) and the user counters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aurum.models import (
    ConversationMemory,
    Task,
    UserBehaviorPattern,
    UserProfile,
    UserStatisticsCache,
    UserStats,
)
from aurum.selectors.patterns import EntrySample, TaskSample
from aurum.selectors.statistics import statistics_read
from aurum.services.patterns import (
    break_frequency,
    detect_all,
    energy_patterns,
    focus_duration,
    patterns_detect,
    peak_productivity_hours,
    procrastination_triggers,
    task_completion_time,
)
from aurum.services.statistics import counters_refresh, statistics_rebuild
from aurum.tests.factories import (
    DailyReflectionFactory,
    JournalEntryFactory,
    ProjectFactory,
    TaskFactory,
    TimeEntryFactory,
)
from config.testing import ApiContract, ApiViewContract, assert_error_shape

TODAY = date(2026, 3, 10)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


ENTRIES = [
    EntrySample(at(2, 9), 90, "focused", 8, 9),
    EntrySample(at(2, 10), 15, "break", 5, None),
    EntrySample(at(3, 9), 60, "focused", 7, 8),
    EntrySample(at(3, 15), 45, "meeting", 4, 5),
    EntrySample(at(4, 9), 120, "focused", 8, 9),
    EntrySample(at(4, 20), 30, "planning", 3, 4),
]
TASKS = [
    TaskSample(at(1, 9), at(1, 13), date(2026, 3, 2), "high"),
    TaskSample(at(1, 9), at(5, 9), date(2026, 3, 3), "low"),
    TaskSample(at(2, 9), None, date(2026, 3, 4), "low"),
    TaskSample(at(3, 9), at(3, 11), None, "medium"),
]


class TestDetectors:
    def test_peak_hours(self):
        found = peak_productivity_hours(ENTRIES)
        assert found.pattern_data["peak_hours"][0] == 9
        assert found.sample_size == 5  # breaks do not count as work
        assert 0 < found.confidence <= Decimal("0.95")

    def test_completion_time(self):
        found = task_completion_time(TASKS)
        assert found.sample_size == 3
        assert found.pattern_data["median_hours"] == 4.0
        assert found.pattern_data["median_hours_by_priority"]["low"] == 96.0

    def test_procrastination(self):
        found = procrastination_triggers(TASKS, today=TODAY)
        assert found.pattern_data["late_rate_by_priority"] == {"high": 0.0, "low": 1.0}
        assert found.pattern_data["triggers"] == ["low priority tasks"]

    def test_energy(self):
        found = energy_patterns(ENTRIES)
        assert found.pattern_data["highest_energy"] == "morning"

    def test_focus(self):
        assert focus_duration(ENTRIES).pattern_data["median_minutes"] == 90

    def test_breaks(self):
        found = break_frequency(ENTRIES)
        assert found.pattern_data["breaks_per_day"] == pytest.approx(1 / 3, abs=0.01)
        assert found.pattern_data["days_without_breaks"] == 2

    def test_too_few_samples_find_nothing(self):
        assert detect_all(ENTRIES[:2], TASKS[:2], today=TODAY) == []

    def test_all_six(self):
        types = [found.pattern_type for found in detect_all(ENTRIES, TASKS, today=TODAY)]
        assert types == ["peak_productivity_hours", "task_completion_time",
                         "procrastination_triggers", "energy_patterns", "focus_duration",
                         "break_frequency"]  # fmt: skip


@pytest.mark.django_db
def test_detection_replaces_the_active_pattern(user):
    task = TaskFactory(user=user)
    start = timezone.now() - timedelta(days=3)
    for day in range(4):
        TimeEntryFactory(task=task, start_time=start + timedelta(days=day), activity_type="focused",
                         energy_level=7, productivity_rating=8)  # fmt: skip
    assert patterns_detect(user=user) >= 4
    first = UserBehaviorPattern.objects.get(user=user, pattern_type="focus_duration")
    assert first.is_active
    assert first.sample_size == 4
    assert first.valid_until == first.detected_at + timedelta(days=7)
    patterns_detect(user=user)
    patterns = UserBehaviorPattern.objects.filter(user=user, pattern_type="focus_duration")
    assert patterns.count() == 2
    assert patterns.filter(is_active=True).count() == 1
    first.refresh_from_db()
    assert first.is_active is False


@pytest.mark.django_db
class TestStatistics:
    @pytest.fixture
    def activity(self, user):
        project = ProjectFactory(user=user, area__user=user, area__pillar__user=user)
        done = TaskFactory(user=user, project=project, status="completed")
        TaskFactory(user=user, project=project, due_date=timezone.now() - timedelta(hours=1))
        TimeEntryFactory(task=done, activity_type="focused", energy_level=6)
        JournalEntryFactory(user=user, entry_date=timezone.localdate())
        DailyReflectionFactory(user=user, reflection_date=timezone.localdate(),
                               productivity_score=7)  # fmt: skip
        project.refresh_from_db()  # its pillar_id is the database's copy
        return project, done

    def test_a_miss_is_computed_and_stored_then_read(self, user, activity):
        project, _ = activity
        row, cached = statistics_read(user=user, stat_type="monthly")
        assert cached is False
        assert row.stat_date == timezone.localdate().replace(day=1)
        assert row.task_stats["completed"] == 1
        assert row.task_stats["created"] == 2
        pillar = str(project.pillar_id)
        assert row.pillar_stats[pillar]["tasks_completed"] == 1
        assert row.pillar_stats[pillar]["minutes"] == 30
        assert row.time_allocation["by_activity_type"] == {"focused": 30}
        assert row.productivity_metrics["journal_entries"] == 1
        assert row.productivity_metrics["reflections"] == 1
        again, cached = statistics_read(user=user, stat_type="monthly")
        assert cached is True
        assert again.pk == row.pk

    def test_rebuild_upserts_and_counts(self, user, activity):
        written = statistics_rebuild(user=user)
        assert 3 <= written <= 6  # today's and yesterday's periods, shared ones once
        assert statistics_rebuild(user=user) == written
        assert UserStatisticsCache.objects.filter(user=user).count() == written
        stats = UserStats.objects.get(user=user)
        assert stats.total_tasks == 2
        assert stats.completed_tasks == 1
        assert stats.completion_rate == Decimal("0.50")
        assert stats.total_focus_time_minutes == 30
        assert stats.weekly_active_days >= 1
        profile = UserProfile.objects.get(user=user)
        assert profile.total_focus_hours == Decimal("0.50")

    def test_counters_of_ai_use(self, user):
        ConversationMemory.objects.create(user=user, message_role="user", message_content="q")
        ConversationMemory.objects.create(user=user, message_role="assistant",
                                          message_content="a", was_helpful=True)  # fmt: skip
        ConversationMemory.objects.create(user=user, message_role="assistant",
                                          message_content="b", was_helpful=False)  # fmt: skip
        stats = counters_refresh(user=user)
        assert stats.total_ai_interactions == 1
        assert stats.ai_satisfaction_score == Decimal("2.50")

    def test_archived_tasks_do_not_count(self, user, activity):
        Task.objects.filter(user=user).update(archived=True)
        row, _ = statistics_read(user=user, stat_type="daily")
        assert row.task_stats["completed"] == 0


class TestStatisticsApi(ApiViewContract):
    route = "api:aurum:statistics"

    def test_weekly_of_a_past_day(self, client_for, user):
        day = timezone.localdate() - timedelta(days=30)
        response = client_for(user).get(reverse(self.route),
                                        {"type": "weekly", "date": day.isoformat()})  # fmt: skip
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["stat_date"] == (day - timedelta(days=day.weekday())).isoformat()
        assert body["cached"] is False
        again = client_for(user).get(reverse(self.route), {"type": "weekly", "date": day})
        assert again.json()["cached"] is True

    @pytest.mark.parametrize(
        "params",
        [{"type": "yearly"}, {"date": "yesterday"}, {"date": "2026-02-30"},
         {"date": (timezone.localdate() + timedelta(days=400)).isoformat()}],
    )  # fmt: skip
    def test_bad_parameters_are_400_and_store_nothing(self, client_for, user, params):
        assert_error_shape(client_for(user).get(reverse(self.route), params), 400)
        assert not UserStatisticsCache.objects.exists()


class TestPatternApi(ApiContract):
    route = "api:aurum:pattern"

    def make(self, owner):
        return UserBehaviorPattern.objects.create(
            user=owner, pattern_type="focus_duration", pattern_data={"median_minutes": 50},
            sample_size=12, confidence_score=Decimal("0.55"),
        )  # fmt: skip
