"""``Idempotency-Key`` (``config.api.idempotency``) on a plain write endpoint: the first
answer replayed, another body refused, keys per caller and per TTL, concurrent copies write
once, expired keys purged."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from config.api.idempotency import idempotency_keys_purge
from config.models import IdempotencyKey
from config.testing import assert_error_shape

URL = "/api/v1/groups"
pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.idempotency_urls")]


def post(client, body, key=None):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(URL, body, format="json", **headers)


def test_a_retry_gets_the_first_answer_and_writes_nothing(client_for, user):
    client = client_for(user)
    first = post(client, {"name": "a"}, key="k1")
    again = post(client, {"name": "a"}, key="k1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Group.objects.count() == 1
    assert post(client, {"name": "a"}).status_code == 201  # no key: a new write
    assert Group.objects.count() == 2


def test_the_same_key_with_another_body_is_422(client_for, user):
    client = client_for(user)
    post(client, {"name": "a"}, key="k1")
    assert_error_shape(post(client, {"name": "b"}, key="k1"), 422, "idempotency_key_reused")
    assert Group.objects.count() == 1


def test_keys_are_per_caller(client_for, user, other_user):
    post(client_for(user), {"name": "a"}, key="shared")
    theirs = post(client_for(other_user), {"name": "a"}, key="shared")
    assert "Idempotent-Replayed" not in theirs.headers
    assert Group.objects.count() == 2


def test_a_refused_request_keeps_no_key(client_for, user):
    client = client_for(user)
    assert_error_shape(post(client, {}, key="k1"), 400)
    assert not IdempotencyKey.objects.exists()
    assert post(client, {"name": "a"}, key="k1").status_code == 201


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\there"])
def test_bad_keys_are_400(client_for, user, key):
    assert_error_shape(post(client_for(user), {"name": "a"}, key=key), 400)
    assert Group.objects.count() == 0


def test_reads_ignore_the_header(client_for, user):
    response = client_for(user).get(URL, HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 200
    assert not IdempotencyKey.objects.exists()


def test_an_expired_key_is_new_again_and_purged(client_for, user, settings):
    client = client_for(user)
    post(client, {"name": "a"}, key="k1")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    again = post(client, {"name": "b"}, key="k1")  # another body: fine once expired
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert Group.objects.count() == 2
    settings.IDEMPOTENCY_KEY_TTL = 60
    assert idempotency_keys_purge() == 0  # the live key stays
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert idempotency_keys_purge() == 1


def _waiting_on_locks() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_write_once(api_key_for, user):
    """The second copy waits on the first's claim, then replays its committed answer."""
    key = api_key_for(user)
    answers = []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        answers.append(post(client, {"name": "a"}, key="twice"))
        connection.close()

    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("LOCK TABLE auth_group IN SHARE MODE")  # holds the first at its write
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
    assert Group.objects.count() == 1
