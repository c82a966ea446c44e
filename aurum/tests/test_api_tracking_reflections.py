"""Timer and manual time entries with field-named errors; the reflection upsert with the day's
metrics and the streak; the profile."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aurum.models import DailyReflection, Task, TimeEntry, UserProfile
from aurum.services.tracking import timer_start
from aurum.tests.factories import TaskFactory
from config.testing import assert_error_shape

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:aurum:{name}", args=args)


def test_timer_start_stop_and_running(client_for, user):
    task = TaskFactory(user=user)
    client = client_for(user)
    assert client.get(url("time-entry-running")).json() == {"running": False, "entry": None}
    start = {"entity_type": "task", "entity_id": str(task.pk), "activity_type": "focused"}
    response = client.post(url("time-entry-start"), start, format="json")
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert response.json()["is_active"] is True
    assert client.get(url("time-entry-running")).json()["entry"]["id"] == entry_id

    body = assert_error_shape(client.post(url("time-entry-start"), start, format="json"), 400)
    assert (body["field"], body["code"]) == ("end_time", "timer_running")
    assert TimeEntry.objects.filter(user=user).count() == 1

    TimeEntry.objects.filter(pk=entry_id).update(start_time=timezone.now() - timedelta(minutes=25))
    response = client.post(url("time-entry-stop"), {"productivity_rating": 7}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["duration_minutes"] == 25
    assert Task.objects.get(pk=task.pk).actual_duration == 25
    body = assert_error_shape(client.post(url("time-entry-stop"), {}, format="json"), 400)
    assert (body["field"], body["code"]) == ("end_time", "no_timer")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_time": "start"}, "end_time"),  # end at the start
        ({"entity_id": "other"}, "entity_id"),  # another user's task
        ({"entity_type": "dream"}, "entity_type"),
        ({"productivity_rating": 11}, "productivity_rating"),
        ({"start_time": "yesterday"}, "start_time"),
    ],
)
def test_manual_entry_errors_name_the_field_and_write_nothing(client_for, user, change, field):
    task = TaskFactory(user=user)
    start = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    end = start + timedelta(hours=1)
    payload = {"entity_type": "task", "entity_id": str(task.pk),
               "start_time": start.isoformat(), "end_time": end.isoformat()}  # fmt: skip
    for key, value in change.items():
        payload[key] = {"start": payload["start_time"], "other": str(TaskFactory().pk)}.get(
            value, value
        )
    body = assert_error_shape(client_for(user).post(url("time-entry-list"), payload), 400)
    assert body["field"] == field, body
    assert not TimeEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_timers_started_at_once_leave_one_running(user):
    """The partial unique index decides the race; the loser gets the field-named error."""
    tasks = [TaskFactory(user=user), TaskFactory(user=user)]
    barrier = threading.Barrier(2)
    outcomes = []

    def start(task):
        try:
            barrier.wait()
            timer_start(user=user, entity_type="task", entity_id=task.pk)
            outcomes.append("started")
        except Exception as error:  # the outcome is what is tested
            outcomes.append(getattr(error, "message_dict", {}).get("end_time", [str(error)])[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "started"
    assert "already running" in sorted(outcomes)[0]
    assert TimeEntry.objects.filter(user=user, is_active=True).count() == 1


def _put(client, day, **fields):
    return client.put(url("reflection-detail", day.isoformat()), fields, format="json")


def test_reflection_put_creates_then_replaces_with_the_days_metrics(client_for, user):
    today = timezone.localdate()
    task = TaskFactory(user=user, project__area__importance=5)
    TaskFactory(user=user)  # open: not counted
    Task.objects.filter(pk=task.pk).update(completed=True)
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    start = max(timezone.now() - timedelta(minutes=50), midnight + timedelta(minutes=1))
    TimeEntry.objects.create(user=user, entity_type="task", entity_id=task.pk,
                             start_time=start, end_time=start + timedelta(minutes=40))  # fmt: skip
    client = client_for(user)
    response = _put(client, today, reflection_text="Good day", mood="happy", energy_level=7)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tasks_completed_count"], body["focus_time_minutes"]) == (1, 40)
    assert body["alignment_score"] == "1.00"  # the one task done serves an area that matters
    assert body["reflection_date"] == today.isoformat()

    response = _put(client, today, reflection_text="Actually, a great day")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == response.json()["id"]
    assert (body["reflection_text"], body["mood"], body["energy_level"]) == (
        "Actually, a great day",
        None,
        None,
    )
    assert DailyReflection.objects.filter(user=user).count() == 1
    assert client.get(url("reflection-detail", today.isoformat())).json()["id"] == body["id"]


def test_reflection_bad_input_is_400_on_the_field_and_writes_nothing(client_for, user):
    client = client_for(user)
    day = date(2026, 1, 5)
    body = assert_error_shape(_put(client, day, reflection_text="x", energy_level=11), 400)
    assert body["field"] == "energy_level"
    body = assert_error_shape(_put(client, day, mood="fine"), 400)
    assert body["field"] in {"reflection_text", "mood"}
    assert_error_shape(client.put(url("reflection-detail", "2026-02-30"), {}, format="json"), 404)
    assert not DailyReflection.objects.exists()
    assert not UserProfile.objects.filter(user=user, current_streak__gt=0).exists()


def test_the_streak_grows_on_consecutive_days_and_restarts_after_a_gap(client_for, user):
    client = client_for(user)
    first = date(2026, 3, 1)
    for offset in (0, 1, 2):
        _put(client, first + timedelta(days=offset), reflection_text="ok")
    profile = UserProfile.objects.get(user=user)
    assert (profile.current_streak, profile.longest_streak) == (3, 3)
    _put(client, first + timedelta(days=2), reflection_text="rewritten")  # same day: no change
    assert UserProfile.objects.get(user=user).current_streak == 3
    _put(client, first + timedelta(days=5), reflection_text="after a gap")
    profile = UserProfile.objects.get(user=user)
    assert (profile.current_streak, profile.longest_streak) == (1, 3)
    assert profile.last_reflection_date == first + timedelta(days=5)


def test_profile_read_and_change(client_for, user):
    client = client_for(user)
    body = client.get(url("profile")).json()
    assert (body["timezone"], body["user_tier"]) == ("UTC", "standard")
    response = client.patch(
        url("profile"), {"timezone": "Europe/Paris", "monthly_alignment_goal": 500}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["monthly_alignment_goal"] == 500
    body = assert_error_shape(client.patch(url("profile"), {"timezone": "Mars/Olympus"}), 400)
    assert body["field"] == "timezone"
    client.patch(url("profile"), {"user_tier": "enterprise"}, format="json")  # not the caller's
    profile = UserProfile.objects.get(user=user)
    assert (profile.timezone, profile.user_tier) == ("Europe/Paris", "standard")
    assert client.get(url("stats")).json()["total_tasks"] == 0
