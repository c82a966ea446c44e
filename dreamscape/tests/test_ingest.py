"""Batch ingest: one event, a JSON list, NDJSON; per-item errors with nothing written;
Idempotency-Key retries (also concurrent ones); limits; partitions and retention."""

import json
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from config.database.partitions import add_months, list_partitions, month_start, partition_name
from config.testing import ApiContract, assert_error_shape
from dreamscape.models import UserBehavior
from dreamscape.services.behaviors import (
    behavior_partitions_upkeep,
    behavior_retention_apply,
)
from dreamscape.tests.factories import BehaviorFactory

URL = "/api/v1/dreamscape/behaviors"
TABLE = "dreamscape.user_behaviors"
pytestmark = pytest.mark.django_db


def event(**overrides):
    return {
        "action_type": "view",
        "item_id": str(uuid.uuid4()),
        "item_type": "article",
        "duration_seconds": 180,
        "context": {"source": "timeline", "scroll_depth": 0.8},
        "metadata": {"device": "desktop"},
        **overrides,
    }


class TestBehaviorApi(ApiContract):
    route = "api:dreamscape:behavior"
    valid_payload = event(created_at="2026-01-01T10:30:00Z")
    update_payload = {}
    invalid_payload = {"action_type": "view", "duration_seconds": -1}

    def make(self, owner):
        return BehaviorFactory(user=owner)


def test_json_list_is_written_for_the_caller_only(client_for, user, other_user):
    body = [event(), event(action_type="edit", item_type="code", context=None)]
    response = client_for(user).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    ids = [row["id"] for row in response.json()]
    stored = UserBehavior.objects.filter(pk__in=ids)
    assert {row.user_id for row in stored} == {user.pk}
    assert sorted(row.action_type for row in stored) == ["edit", "view"]
    assert not UserBehavior.objects.filter(user=other_user).exists()


def test_ndjson(client_for, user):
    lines = "\n".join(json.dumps(event(duration_seconds=n)) for n in range(3)) + "\n\n"
    response = client_for(user).generic("POST", URL, lines, content_type="application/x-ndjson")
    assert response.status_code == 201, response.content
    assert len(response.json()) == 3
    assert UserBehavior.objects.filter(user=user).count() == 3


def test_bad_ndjson_line_is_400(client_for, user):
    lines = json.dumps(event()) + "\n{not json\n"
    response = client_for(user).generic("POST", URL, lines, content_type="application/x-ndjson")
    assert_error_shape(response, 400, "parse_error")
    assert not UserBehavior.objects.exists()


def test_per_item_errors_write_nothing(client_for, user):
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    body = [
        event(),
        event(duration_seconds=-5, context=["not", "an", "object"]),
        event(created_at=future, action_type="x" * 51),
        event(created_at="2026-01-01T10:00:00", user_id=str(uuid.uuid4())),
    ]
    response = client_for(user).post(URL, body, format="json")
    errors = assert_error_shape(response, 400)["errors"]
    found = {(error["field"], error["code"]) for error in errors}
    assert {
        ("1.duration_seconds", "invalid"),
        ("1.context", "not_an_object"),
        ("2.created_at", "in_the_future"),
        ("2.action_type", "max_length"),
        ("3.created_at", "naive_timestamp"),
        ("3.user_id", "unknown_field"),
    } == found
    assert not UserBehavior.objects.exists()


def test_single_event_errors_name_the_field(client_for, user):
    response = client_for(user).post(URL, event(action_type="  "), format="json")
    assert assert_error_shape(response, 400)["field"] == "action_type"


def test_limits(client_for, user, settings):
    settings.DREAMSCAPE_INGEST_MAX_EVENTS = 3
    settings.DREAMSCAPE_EVENT_MAX_BYTES = 200
    client = client_for(user)
    assert_error_shape(client.post(URL, [event()] * 4, format="json"), 400, "batch_size")
    assert_error_shape(client.post(URL, [], format="json"), 400, "batch_size")
    big = event(metadata={"note": "x" * 300})
    assert assert_error_shape(client.post(URL, [big], format="json"), 400)["field"] == (
        "0.metadata"
    )
    assert not UserBehavior.objects.exists()
    assert client.post(URL, [event()] * 3, format="json").status_code == 201


def test_idempotent_retry_returns_the_first_answer(client_for, user):
    client = client_for(user)
    body = [event(), event()]
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert UserBehavior.objects.count() == 2
    other = client.post(URL, [event()], format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert_error_shape(other, 422, "idempotency_key_reused")
    assert UserBehavior.objects.count() == 2


def test_idempotency_keys_are_per_caller(client_for, user, other_user):
    body = [event()]
    client_for(user).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    theirs = client_for(other_user).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert UserBehavior.objects.filter(user=other_user).count() == 1


def test_a_failed_request_frees_its_key(client_for, user):
    client = client_for(user)
    bad = client.post(URL, [event(duration_seconds=-1)], format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert_error_shape(bad, 400)
    good = client.post(URL, [event()], format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 201


def _waiting_on_locks() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_write_once(api_key_for, user):
    """Two copies at once: the second waits on the first's claim, then replays its answer."""
    key = api_key_for(user)
    body = [event(), event(), event()]
    answers = []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        answers.append(client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="twice"))
        connection.close()

    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE MODE")  # holds the first at its COPY
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while _waiting_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        cursor.execute("COMMIT")
    for thread in threads:
        thread.join(30)
    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert [a.headers.get("Idempotent-Replayed") for a in answers].count("true") == 1
    assert UserBehavior.objects.count() == 3


def test_missing_month_lands_in_default_partition_and_is_drained(client_for, user):
    month = add_months(month_start(timezone.now().date()), -13)
    name = partition_name(TABLE, month)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {name}")
    moment = f"{month.isoformat()}T12:00:00+00:00"
    response = client_for(user).post(URL, [event(created_at=moment)], format="json")
    assert response.status_code == 201, response.content
    in_default = UserBehavior.objects.extra(
        where=["tableoid = 'dreamscape.user_behaviors_default'::regclass"]
    )
    assert in_default.count() == 1

    report = behavior_partitions_upkeep()
    assert report.drained == {name: 1}
    assert name in {partition.name for partition in list_partitions(TABLE)}
    assert not in_default.exists()
    assert UserBehavior.objects.get(pk=response.json()[0]["id"]).user == user


def test_events_beyond_retention_are_refused(client_for, user):
    moment = (timezone.now() - timedelta(days=800)).isoformat()
    response = client_for(user).post(URL, [event(created_at=moment)], format="json")
    assert assert_error_shape(response, 400, "beyond_retention")["field"] == "0.created_at"


def test_upkeep_makes_months_ahead():
    later = add_months(month_start(timezone.now().date()), 6)
    report = behavior_partitions_upkeep(today=later)
    names = {partition.name for partition in list_partitions(TABLE)}
    assert partition_name(TABLE, add_months(later, 3)) in names
    assert partition_name(TABLE, add_months(later, 3)) in report.created
    assert behavior_partitions_upkeep(today=later).created == []


def test_retention_drops_whole_months(user):
    this_month = month_start(timezone.now().date())
    oldest = add_months(this_month, -24)
    old = BehaviorFactory(user=user, created_at=timezone.now() - timedelta(days=24 * 31))
    kept = BehaviorFactory(user=user)
    report = behavior_retention_apply(today=add_months(this_month, 1))
    assert report.dropped[0] == partition_name(TABLE, oldest)
    assert not UserBehavior.objects.filter(pk=old.pk).exists()
    assert UserBehavior.objects.filter(pk=kept.pk).exists()
