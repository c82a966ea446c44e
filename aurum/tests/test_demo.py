"""The Aurum demo: ada's month in Aurum, embedded, idempotent."""

import pytest
from django.core.management import call_command

from aurum.models import (
    DailyReflection,
    HierarchyView,
    JournalEntry,
    Pillar,
    Task,
    TimeEntry,
    UserProfile,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_ada_a_month_of_aurum_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "aurum life of ada:" in out
    pillars = Pillar.objects.filter(user__username="ada")
    assert pillars.count() == 3
    tasks = Task.objects.filter(user__username="ada")
    assert 90 <= tasks.count() <= 110
    assert tasks.filter(completed=True, completed_at__isnull=False).exists()
    assert tasks.exclude(name_embedding=None).count() == tasks.count()  # embedded
    assert JournalEntry.objects.filter(user__username="ada").count() == 30
    assert JournalEntry.objects.filter(content_embedding__isnull=True).count() == 0
    assert DailyReflection.objects.filter(user__username="ada").count() == 28
    assert TimeEntry.objects.filter(user__username="ada").count() > 50
    assert HierarchyView.objects.filter(user__username="ada").count() == tasks.count()
    profile = UserProfile.objects.get(user__username="ada")
    assert profile.longest_streak >= 12  # two days off in the month restart the streak

    counts = (Task.objects.count(), TimeEntry.objects.count(), JournalEntry.objects.count())
    call_command("seed_demo")
    assert "aurum life of ada: exists" in capsys.readouterr().out
    assert (Task.objects.count(), TimeEntry.objects.count(), JournalEntry.objects.count()) == counts
