"""Scheduled work, monitoring, demo data and the erase hook, on the real database."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.registries import database_health, user_erasers
from dreamshot.choices import DreamStatus, TestStatus
from dreamshot.models import AiTest, BudgetAlert, Dream, ProgressLog
from dreamshot.selectors.analytics import decay_status
from dreamshot.services.retention import ai_test_partitions_create
from dreamshot.services.retest import dreams_retest, due_dreams, retest_priority
from dreamshot.tests.factories import AiTestFactory, DreamFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_is_a_registered_task():
    from config.celery_app import app
    from dreamshot import tasks  # noqa: F401  (what the worker's autodiscovery imports)

    schedules = importlib.import_module("dreamshot.migrations.0005_periodic_tasks")
    (operation,) = schedules.Migration.operations
    operation.code(django_apps, None)  # idempotent: by name
    scheduled = set(
        PeriodicTask.objects.filter(name__startswith="dreamshot:").values_list("task", flat=True)
    )
    assert scheduled == {"dreamshot.retest_dreams", "dreamshot.maintain_partitions",
                     "dreamshot.archive_tests", "dreamshot.check_budgets"}  # fmt: skip
    assert {*scheduled, "dreamshot.run_ai_test"} <= set(app.tasks)


def test_retest_picks_due_dreams_most_impossible_first(settings):
    settings.DREAMSHOT_TESTS_PER_USER_PER_DAY = 10
    old = timezone.now() - timedelta(days=40)
    ai_test_partitions_create(start=old.date())
    low = DreamFactory(title="low")
    AiTestFactory(dream=low, impossibility_score=20, created_at=old)
    high = DreamFactory(title="high")
    AiTestFactory(dream=high, impossibility_score=90, created_at=old)
    never = DreamFactory(title="never")
    recent = DreamFactory(title="recent")
    AiTestFactory(dream=recent, impossibility_score=95)
    DreamFactory(title="archived", status=DreamStatus.ARCHIVED)
    assert [(dream.title, priority) for dream, priority in due_dreams()] == [
        ("high", "high"), ("never", "medium"), ("low", "low")
    ]  # fmt: skip
    assert [retest_priority(s) for s in (None, Decimal(75), Decimal(50), Decimal(49))] == [
        "medium", "high", "medium", "low"
    ]  # fmt: skip
    result = dreams_retest()  # only the heuristic is runnable here: zero cost
    assert (result.batches, result.tests) == (3, 3)
    queued = AiTest.objects.filter(status=TestStatus.PENDING, metadata__origin="retest")
    assert set(queued.values_list("dream__title", flat=True)) == {"high", "never", "low"}
    assert never.pk in set(queued.values_list("dream_id", flat=True))


def test_retest_keeps_to_the_per_user_daily_count(settings):
    settings.DREAMSHOT_TESTS_PER_USER_PER_DAY = 1
    user = UserFactory()
    DreamFactory(user=user)
    DreamFactory(user=user)
    result = dreams_retest()
    assert result.tests == 1
    assert result.skipped == {"user_daily_limit": 1}


def test_commands_print_their_progress(capsys):
    call_command("dreamshot_partitions")
    call_command("dreamshot_archive", "--before", "2000-01-01")
    call_command("dreamshot_budgets")
    call_command("dreamshot_retest")
    out = capsys.readouterr().out
    assert "ai_tests_y" in out
    assert "archived 0 months" in out
    assert "users over their alert threshold" in out
    assert "queued" in out


def test_health_sections_answer_with_and_without_query_statistics():
    sections = {section.name: section for section in database_health}
    for name in ("dreamshot.slow_queries", "dreamshot.index_usage", "dreamshot.cache_hit_ratio"):
        assert sections[name].report().columns
    with connection.cursor() as cursor:  # as on a server we do not control
        cursor.execute("DROP EXTENSION IF EXISTS pg_stat_statements")
        cursor.execute("SELECT count(*) FROM dreamshot.pg_stat_statements")
        assert cursor.fetchone() == (0,)
    report = sections["dreamshot.slow_queries"].report()
    assert "not loaded" in report.summary
    assert report.rows == ()


def test_demo_data_shows_decay_and_one_user_over_budget(capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    mars = Dream.objects.get(title="A house on Mars")
    assert AiTest.objects.filter(dream=mars).count() == 13 * 3
    assert decay_status(dream=mars).status == "improving"
    logs = ProgressLog.objects.filter(dream=mars).order_by("created_at")
    assert logs.first().average_impossibility > logs.last().average_impossibility
    assert list(BudgetAlert.objects.values_list("user__username", flat=True)) == ["grace"]


def test_the_erase_hook_removes_every_row_of_the_user():
    test = AiTestFactory()
    keep = AiTestFactory()
    user_erasers["dreamshot.dreams"].erase(test.user)
    assert not Dream.objects.filter(user=test.user).exists()
    assert Dream.objects.filter(pk=keep.dream_id).exists()
