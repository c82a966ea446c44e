"""The retrying HTTP client against a real HTTP server on loopback standing in for a remote API.

Backoff is recorded instead of slept, except where a test checks that a wait really happens.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from config.http import BACKOFF_MAX, RemoteServiceError, RetryingClient, backoff
from tests.loopback import LoopbackService, Reply

OVERLOADED = {"error": {"message": "overloaded"}}


@pytest.fixture
def service() -> Iterator[LoopbackService]:
    fake = LoopbackService(path="/v1")
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(service, sleeps):
    clients = []

    def build(**overrides: Any) -> RetryingClient:
        options = {
            "service": "Fake API",
            "base_url": service.url + "/",
            "headers": {"Authorization": "Bearer secret"},
            "timeout": 5.0,
            "attempts": 4,
            "sleep": sleeps.append,
        } | overrides
        clients.append(RetryingClient(**options))
        return clients[-1]

    yield build
    for client in clients:
        client.close()


def nominal_backoff(retry: int) -> float:
    return min(0.5 * 2**retry, BACKOFF_MAX)


def test_a_success_returns_the_response(service, make_client, sleeps):
    response = make_client().request("POST", "/chat", json={"prompt": "hi"}, idempotent=True)

    assert response.status_code == 200
    assert response.json() == {}
    [request] = service.requests
    assert (request["method"], request["path"]) == ("POST", "/v1/chat")
    assert request["headers"]["authorization"] == "Bearer secret"
    assert request["body"] == {"prompt": "hi"}
    assert sleeps == []


def test_a_503_is_retried_then_succeeds(service, make_client, sleeps):
    service.script = [Reply(503, body=OVERLOADED)]
    assert make_client().request("GET", "models").status_code == 200
    assert len(service.requests) == 2
    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5  # first backoff: 0.5 s less up to 25 % jitter


def test_gives_up_after_the_attempts_with_a_described_error(service, make_client, sleeps):
    service.script = [Reply(503, body=OVERLOADED)] * 6
    client = make_client(attempts=5)
    with pytest.raises(RemoteServiceError) as err:
        client.request("GET", "/models")

    assert str(err.value) == (
        f"Fake API ({service.url}/models) failed after 5 attempt(s): HTTP 503: overloaded"
    )
    assert (err.value.status, err.value.description) == (503, "overloaded")
    assert (err.value.transient, err.value.attempts, err.value.retry_after) == (True, 5, None)
    assert len(service.requests) == 5
    assert len(sleeps) == 4
    for retry, slept in enumerate(sleeps):
        assert 0.75 * nominal_backoff(retry) <= slept <= nominal_backoff(retry)


def test_jitter_stays_within_bounds_and_varies():
    for retry in range(10):
        delays = [backoff(retry) for _ in range(200)]
        nominal = nominal_backoff(retry)
        assert all(0.75 * nominal <= delay <= nominal for delay in delays)
        assert len(set(delays)) > 100  # jittered, so clients that failed together spread out
    assert nominal_backoff(9) == BACKOFF_MAX


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after-ms": "1500", "Retry-After": "2"}, 1.5),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date gone by
    ],
)
def test_retry_after_is_honoured(service, make_client, sleeps, headers, waited):
    service.script = [Reply(429, headers=headers, body={"error": "slow down"})]
    assert make_client().request("GET", "/models").status_code == 200
    assert sleeps == [waited]
    assert len(service.requests) == 2


def test_retry_after_as_an_http_date_waits_until_then(service, make_client, sleeps):
    then = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    service.script = [Reply(503, headers={"Retry-After": then}, body=OVERLOADED)]
    make_client().request("GET", "/models")
    [waited] = sleeps
    assert 28.0 <= waited <= 30.0  # the date has whole seconds


def test_an_unreadable_retry_after_falls_back_to_backoff(service, make_client, sleeps):
    service.script = [Reply(503, headers={"Retry-After": "soon"}, body=OVERLOADED)]
    make_client().request("GET", "/models")
    [waited] = sleeps
    assert 0.375 <= waited <= 0.5


def test_retry_after_is_really_waited(service, make_client):
    service.script = [Reply(503, headers={"retry-after-ms": "300"}, body=OVERLOADED)]
    started = time.monotonic()
    assert make_client(sleep=time.sleep).request("GET", "/models").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert len(service.requests) == 2


def test_a_long_retry_after_fails_now_and_says_when(service, make_client, sleeps):
    service.script = [Reply(429, headers={"Retry-After": "3600"}, body={"error": "quota"})]
    with pytest.raises(RemoteServiceError, match=r"asks to retry after 3600 s \(HTTP 429: quota"):
        make_client().request("GET", "/models")
    assert len(service.requests) == 1
    assert sleeps == []


def test_the_long_wait_is_on_the_error_for_the_caller_to_schedule(service, make_client):
    service.script = [Reply(503, headers={"Retry-After": "600"}, body=OVERLOADED)]
    with pytest.raises(RemoteServiceError) as err:
        make_client().request("GET", "/models")
    assert (err.value.status, err.value.retry_after, err.value.transient) == (503, 600.0, True)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_client_error_is_not_retried(service, make_client, sleeps, status):
    service.script = [Reply(status, body={"error": {"message": "computer says no"}})]
    with pytest.raises(RemoteServiceError, match=rf"refused the request \(HTTP {status}: comp"):
        make_client().request("GET", "/models")
    assert len(service.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("reply", "description"),
    [
        (
            Reply(400, body={"type": "error", "error": {"message": "max_tokens: too big"}}),
            "max_tokens: too big",
        ),
        (Reply(400, body={"error": "bad model"}), "bad model"),
        (Reply(400, body={"message": "bad field"}), "bad field"),
        (Reply(400, body={"detail": "bad  \n field"}), "bad field"),
        (Reply(400, body={"errors": ["x"]}), '{"errors": ["x"]}'),
        (Reply(400, raw=b"  missing field:\n  brand  "), "missing field: brand"),
        (Reply(400, raw=b""), "Bad Request"),
        (Reply(400, raw=b"x" * 1000), "x" * 300 + "…"),
    ],
)
def test_the_error_carries_the_services_own_explanation(service, make_client, reply, description):
    service.script = [reply]
    with pytest.raises(RemoteServiceError) as err:
        make_client().request("GET", "/models")
    assert (err.value.status, err.value.description) == (400, description)
    assert (err.value.transient, err.value.attempts) == (False, 1)


def test_a_server_that_never_answers_times_out(service, make_client, sleeps):
    service.script = [Reply(hang=30), Reply(hang=30)]
    started = time.monotonic()
    with pytest.raises(RemoteServiceError) as err:
        make_client(timeout=0.2, attempts=2).request("GET", "/models")

    assert str(err.value).endswith("failed after 2 attempt(s): timed out after 0.2 s (ReadTimeout)")
    assert (err.value.status, err.value.transient) == (None, True)
    assert len(service.requests) == 2
    assert len(sleeps) == 1
    assert time.monotonic() - started < 5  # each attempt gave up after its timeout


def test_a_refused_connection_is_retried_even_for_a_plain_post(make_client, sleeps):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}", attempts=3)
    with pytest.raises(RemoteServiceError, match=r"after 3 attempt\(s\): ConnectError"):
        client.request("POST", "/chat", json={})  # never reached the service: safe to resend
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("method", "options", "retried"),
    [
        ("POST", {}, False),
        ("POST", {"headers": {"Idempotency-Key": "chat-1"}}, True),
        ("POST", {"idempotent": True}, True),
        ("PUT", {}, True),
        ("PATCH", {}, False),
        ("GET", {"idempotent": False}, False),
    ],
)
def test_a_request_that_may_have_been_processed_is_resent_only_if_safe(
    service, make_client, sleeps, method, options, retried
):
    service.script = [Reply(502, body=OVERLOADED)]
    client = make_client()
    if retried:
        assert client.request(method, "/chat", json={}, **options).status_code == 200
    else:
        with pytest.raises(RemoteServiceError, match=r"HTTP 502: overloaded \(not retried") as err:
            client.request(method, "/chat", json={}, **options)
        assert (err.value.transient, err.value.attempts) == (True, 1)
    assert len(service.requests) == (2 if retried else 1)
    assert len(sleeps) == (1 if retried else 0)
    assert len({request["headers"].get("idempotency-key") for request in service.requests}) == 1


def test_a_rate_limited_plain_post_is_resent(service, make_client, sleeps):
    # A 429 is answered before the service does the work, so resending cannot do it twice.
    service.script = [Reply(429, headers={"Retry-After": "1"}, body={"error": "slow down"})]
    assert make_client().request("POST", "/chat", json={}).status_code == 200
    assert sleeps == [1.0]


@pytest.mark.parametrize(
    ("options", "message"),
    [({"base_url": "api.example.com"}, "http\\(s\\) URL"), ({"attempts": 0}, "at least one")],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        RetryingClient(**({"service": "Fake API", "base_url": "https://a.example"} | options))


def test_the_context_manager_closes_the_connections(service):
    with RetryingClient(service="Fake API", base_url=service.url) as client:
        client.request("GET", "/models")
    assert client.is_closed
