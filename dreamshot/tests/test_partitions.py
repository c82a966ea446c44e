"""ai_tests' monthly partitions on the real table: made ahead, a row outside every month
refused, and archiving that moves whole months without losing a row."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.database.partitions import (
    add_months,
    create_monthly_partitions,
    list_partitions,
    month_start,
    partition_name,
)
from config.embedded import PRELOAD_SETTING, preload_query_statistics
from dreamshot.models import AiTest, AiTestArchive
from dreamshot.services.ai_tests import PartitionMissing, ai_test_batch_create
from dreamshot.services.dreams import dreams_erase_user
from dreamshot.services.retention import TABLE, ai_test_partitions_create, ai_tests_archive
from dreamshot.tests.factories import AiTestFactory, DreamFactory, heuristic_model

pytestmark = pytest.mark.django_db


def names() -> list[str]:
    return [partition.name for partition in list_partitions(TABLE)]


def test_upkeep_makes_this_and_the_coming_months(settings):
    settings.DREAMSHOT_PARTITION_MONTHS_AHEAD = 6
    this_month = month_start(timezone.localdate())
    ai_test_partitions_create()
    for offset in range(7):
        assert partition_name(TABLE, add_months(this_month, offset)) in names()
    assert ai_test_partitions_create() == []  # idempotent


def test_a_row_outside_every_partition_is_an_error_never_lost():
    dream = DreamFactory()
    far = timezone.now() + timedelta(days=365 * 30)
    with pytest.raises(IntegrityError, match="no partition of relation"), transaction.atomic():
        AiTestFactory(dream=dream, created_at=far)
    assert not AiTest.objects.filter(dream=dream).exists()


def test_a_batch_without_this_months_partition_is_refused_clearly():
    dream = DreamFactory()
    current = partition_name(TABLE, month_start(timezone.localdate()))
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE dreamshot.ai_tests DETACH PARTITION {current}")
    with pytest.raises(PartitionMissing, match="dreamshot_partitions"):
        ai_test_batch_create(dream=dream, user=dream.user, models=[heuristic_model()])
    assert not AiTest.objects.filter(dream=dream).exists()


def test_archive_moves_old_months_and_keeps_every_row():
    old = add_months(month_start(timezone.localdate()), -15)
    create_monthly_partitions(TABLE, months_ahead=1, start=old)
    dream = DreamFactory()
    moment = timezone.make_aware(datetime.combine(old + timedelta(days=3), time.min))
    for n in range(3):
        AiTestFactory(dream=dream, created_at=moment + timedelta(hours=n), cost=Decimal("0.1"))
    AiTestFactory(dream=dream)  # this month's: stays
    before = AiTest.objects.count() + AiTestArchive.objects.count()

    result = ai_tests_archive(cutoff=add_months(old, 2))

    assert partition_name(TABLE, old) in result.partitions
    assert partition_name(TABLE, old) not in names()
    assert result.rows_before == result.rows_after == before
    assert AiTest.objects.count() + AiTestArchive.objects.count() == before
    archived = AiTestArchive.objects.filter(dream_id=dream.pk)
    assert archived.count() == 3
    assert {row.cost for row in archived} == {Decimal("0.1")}
    assert AiTest.objects.filter(dream=dream).count() == 1
    assert ai_tests_archive(cutoff=date(2000, 1, 1)).partitions == []


def test_erasing_a_user_removes_their_archived_tests_too():
    test = AiTestFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dreamshot.ai_tests_archive SELECT * FROM dreamshot.ai_tests WHERE id = %s",
            [test.pk],
        )
    dreams_erase_user(test.user)
    assert not AiTestArchive.objects.filter(user_id=test.user_id).exists()
    assert not AiTest.objects.filter(user=test.user).exists()


def test_query_statistics_preload_line_is_written_once(tmp_path):
    (tmp_path / "postgresql.conf").write_text("max_connections = 100\n")
    assert preload_query_statistics(tmp_path) is True
    assert preload_query_statistics(tmp_path) is False
    lines = (tmp_path / "postgresql.conf").read_text().splitlines()
    assert [line for line in lines if line.startswith(PRELOAD_SETTING)] == [lines[-1]]
    assert preload_query_statistics(tmp_path / "missing") is False
