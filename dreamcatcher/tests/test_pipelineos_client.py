"""The PipelineOS client against a real HTTP server on loopback standing in for PipelineOS.

The fake service creates a project per new ``Idempotency-Key`` and replays its answer for a
key it has seen, refuses titles containing "reject" with a 422 and a wrong token with a 401,
and can be scripted to fail, throttle, hang or lose a response. Backoff is recorded, not slept.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from dreamcatcher.services.pipelineos import (
    PipelineOSAuthFailed,
    PipelineOSClient,
    PipelineOSError,
    PipelineOSRejected,
    PipelineOSUnavailable,
    PushResult,
    idempotency_key,
    payload_digest,
)
from dreamcatcher.tests.fake_pipelineos import TOKEN, FakePipelineOS, Reply


@pytest.fixture
def service() -> Iterator[FakePipelineOS]:
    fake = FakePipelineOS()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff delays the client asked for; recorded instead of slept, so tests stay fast."""
    return []


@pytest.fixture
def make_client(service, sleeps):
    clients = []

    def build(**overrides: Any) -> PipelineOSClient:
        options = {
            "base_url": service.url,
            "token": TOKEN,
            "timeout": 5.0,
            "max_retries": 3,
            "sleep": sleeps.append,
        } | overrides
        clients.append(PipelineOSClient(**options))
        return clients[-1]

    yield build
    for client in clients:
        client.close()


def dream_payload(title: str = "Build a treehouse", **extra: Any) -> dict[str, Any]:
    """A body as the sync service builds it."""
    return {
        "dream_id": "dream-42",
        "title": title,
        "description": "A treehouse in the old oak, with a rope ladder.",
        "status": "planning",
        "brand": "personal",
        "tags": ["diy", "outdoors"],
        "todos": {"total": 3, "completed": 1},
    } | extra


# --- Success ----------------------------------------------------------------------------------


def test_a_dream_becomes_a_project(service, make_client, sleeps):
    payload = dream_payload()
    result = make_client().push_dream(payload, dream_id="dream-42")

    assert result == PushResult(project_id="prj_1")
    assert service.projects == {"prj_1": payload}
    [request] = service.requests
    assert request["path"] == "/api/v1/projects"
    assert request["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["content-type"] == "application/json"
    assert request["headers"]["idempotency-key"] == idempotency_key(
        "dream-42", payload_digest(payload)
    )
    assert sleeps == []


def test_an_answer_with_a_numeric_id_instead_of_project_id(service, make_client):
    service.script = [Reply(201, body={"id": 9001, "name": "Build a treehouse"})]
    assert make_client().push_dream(dream_payload(), dream_id="dream-42").project_id == "9001"


def test_pushing_the_same_content_again_does_not_make_a_second_project(service, make_client):
    client = make_client()
    first = client.push_dream(dream_payload(), dream_id="dream-42")
    # Key order does not matter: the body is canonical JSON.
    again = client.push_dream(dict(reversed(dream_payload().items())), dream_id="dream-42")
    changed = client.push_dream(dream_payload(status="building"), dream_id="dream-42")

    assert first == again == PushResult(project_id="prj_1")
    assert changed == PushResult(project_id="prj_2")
    assert service.keys[0] == service.keys[1] != service.keys[2]
    assert service.requests[0]["raw_body"] == service.requests[1]["raw_body"]


def test_the_caller_can_name_the_content_hash(service, make_client):
    make_client().push_dream(dream_payload(), dream_id="dream-42", content_hash="v7")
    assert service.keys == ["dream:dream-42:v7"]


def test_idempotency_keys_are_valid_header_values_of_bounded_length():
    assert idempotency_key("dream-42", "abc123") == "dream:dream-42:abc123"
    odd = idempotency_key("träum 1/2:\r\nX-Evil: 1", "abc")
    assert odd == "dream:tr%C3%A4um%201%2F2%3A%0D%0AX-Evil%3A%201:abc"
    assert odd.isascii()
    long_key = idempotency_key("d" * 255, "f" * 64)
    assert long_key.startswith("dream-sha256:")
    assert len(long_key) <= 255
    assert long_key == idempotency_key("d" * 255, "f" * 64)
    assert long_key != idempotency_key("d" * 255, "e" * 64)


# --- Rejections: not retried ------------------------------------------------------------------


def test_a_dream_pipelineos_refuses_is_rejected_for_good(service, make_client, sleeps):
    with pytest.raises(PipelineOSRejected, match="HTTP 422: title is not a valid project") as err:
        make_client().push_dream(dream_payload("Please reject me"), dream_id="dream-43")
    assert err.value.status == 422
    assert err.value.message == "title is not a valid project name"
    assert not isinstance(err.value, PipelineOSAuthFailed)
    assert len(service.requests) == 1
    assert sleeps == []
    assert service.projects == {}


def test_a_wrong_token_is_an_auth_failure_not_a_bad_dream(service, make_client, sleeps):
    with pytest.raises(PipelineOSAuthFailed, match="HTTP 401: invalid API token") as err:
        make_client(token="expired").push_dream(dream_payload(), dream_id="dream-42")
    assert isinstance(err.value, PipelineOSRejected)
    assert len(service.requests) == 1
    assert sleeps == []


def test_a_plain_text_error_body_is_the_message(service, make_client):
    service.script = [Reply(400, raw=b"  missing field:\n  brand  ")]
    with pytest.raises(PipelineOSRejected, match=r"HTTP 400: missing field: brand$"):
        make_client().push_dream(dream_payload(), dream_id="dream-42")


# --- Retries ----------------------------------------------------------------------------------


def test_a_server_error_is_retried_with_the_same_key_then_succeeds(service, make_client, sleeps):
    service.script = [Reply(500, body={"error": {"message": "database hiccup"}})]
    result = make_client().push_dream(dream_payload(), dream_id="dream-42")

    assert result == PushResult(project_id="prj_1")
    assert len(service.requests) == 2
    assert service.keys[0] == service.keys[1]
    assert service.requests[0]["raw_body"] == service.requests[1]["raw_body"]
    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5  # first backoff: 0.5 s less up to 25 % jitter


def test_backoff_grows_and_the_client_gives_up_after_max_retries(service, make_client, sleeps):
    service.script = [Reply(503, body={"message": "maintenance"})] * 5
    with pytest.raises(
        PipelineOSUnavailable, match=r"after 3 attempt\(s\): HTTP 503: maintenance"
    ) as err:
        make_client(max_retries=2).push_dream(dream_payload(), dream_id="dream-42")
    assert err.value.retry_after is None
    assert len(service.requests) == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 < 0.75 <= sleeps[1] <= 1.0
    assert service.projects == {}


def test_a_conflict_on_the_key_means_still_in_flight_and_is_retried(service, make_client, sleeps):
    service.script = [Reply(409, body={"detail": "request with this key is in progress"})]
    assert make_client().push_dream(dream_payload(), dream_id="dream-42").project_id == "prj_1"
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("retry_after", "waited"), [("7", 7.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)]
)
def test_429_waits_as_long_as_the_server_asks(service, make_client, sleeps, retry_after, waited):
    service.script = [Reply(429, headers={"Retry-After": retry_after}, body={"error": "slow"})]
    assert make_client().push_dream(dream_payload(), dream_id="dream-42").project_id == "prj_1"
    assert sleeps == [waited]
    assert len(service.requests) == 2


def test_429_asking_for_a_long_wait_fails_now_and_says_when(service, make_client, sleeps):
    service.script = [Reply(429, headers={"Retry-After": "3600"}, body={"error": "quota"})]
    with pytest.raises(PipelineOSUnavailable, match="retry after 3600 s") as err:
        make_client().push_dream(dream_payload(), dream_id="dream-42")
    assert err.value.retry_after == 3600.0
    assert sleeps == []
    assert len(service.requests) == 1


def test_a_hanging_server_times_out_and_is_retried(service, make_client, sleeps):
    service.script = [Reply(hang=30), Reply(hang=30)]
    with pytest.raises(PipelineOSUnavailable, match=r"after 2 attempt\(s\): timed out after 0.2"):
        make_client(timeout=0.2, max_retries=1).push_dream(dream_payload(), dream_id="dream-42")
    assert len(service.requests) == 2
    assert len(sleeps) == 1


def test_a_lost_response_is_retried_without_creating_a_second_project(service, make_client, sleeps):
    service.script = [Reply(lose_response=True)]
    result = make_client(timeout=0.2).push_dream(dream_payload(), dream_id="dream-42")

    assert result == PushResult(project_id="prj_1")
    assert len(service.requests) == 2
    assert service.keys[0] == service.keys[1]
    assert list(service.projects) == ["prj_1"]
    assert len(sleeps) == 1


def test_a_refused_connection_is_retried_then_reported(make_client, sleeps):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}", max_retries=2)
    with pytest.raises(PipelineOSUnavailable, match=r"after 3 attempt.*ConnectError"):
        client.push_dream(dream_payload(), dream_id="dream-42")
    assert len(sleeps) == 2


# --- Malformed answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(raw=b"<html>502 Bad Gateway</html>"), "invalid JSON"),
        (Reply(body=["prj_1"]), "not an object"),
        (Reply(201, body={"status": "created"}), "without a project id"),
        (Reply(201, body={"project_id": None, "id": True}), "without a project id"),
    ],
)
def test_a_malformed_success_is_an_error_and_not_retried(service, make_client, reply, message):
    service.script = [reply]
    with pytest.raises(PipelineOSError, match=message) as err:
        make_client().push_dream(dream_payload(), dream_id="dream-42")
    assert type(err.value) is PipelineOSError
    assert len(service.requests) == 1


# --- Configuration ----------------------------------------------------------------------------


def test_from_settings_builds_a_working_client(service, settings, sleeps):
    settings.PIPELINEOS_BASE_URL = service.url + "/"
    settings.PIPELINEOS_TOKEN = TOKEN
    settings.PIPELINEOS_TIMEOUT = 5
    settings.PIPELINEOS_MAX_RETRIES = 1
    service.script = [Reply(502, body={})] * 2
    with (
        PipelineOSClient.from_settings(sleep=sleeps.append) as client,
        pytest.raises(PipelineOSUnavailable, match=r"after 2 attempt\(s\)"),
    ):
        client.push_dream(dream_payload(), dream_id="dream-42")
    assert service.requests[0]["path"] == "/api/v1/projects"
    assert client.http.is_closed  # the context manager closed the connections


def test_from_settings_uses_defaults_for_timeout_and_retries(settings):
    settings.PIPELINEOS_BASE_URL = "https://pipelineos.example"
    settings.PIPELINEOS_TOKEN = TOKEN
    del settings.PIPELINEOS_TIMEOUT
    del settings.PIPELINEOS_MAX_RETRIES
    with PipelineOSClient.from_settings() as client:
        assert client.max_retries == 3
        assert client.http.timeout.read == 10.0


@pytest.mark.parametrize(
    ("base_url", "token", "missing"),
    [
        ("", "", "PIPELINEOS_BASE_URL and PIPELINEOS_TOKEN"),
        ("https://pipelineos.example", None, "PIPELINEOS_TOKEN"),
        (None, TOKEN, "PIPELINEOS_BASE_URL"),
    ],
)
def test_from_settings_names_what_is_missing(settings, base_url, token, missing):
    for name, value in [("PIPELINEOS_BASE_URL", base_url), ("PIPELINEOS_TOKEN", token)]:
        if value is None:
            delattr(settings, name)
        else:
            setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=f"set {missing} "):
        PipelineOSClient.from_settings()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": "pipelineos.example"}, "must be an http"),
        ({"timeout": 0}, "PIPELINEOS_TIMEOUT must be positive"),
        ({"max_retries": -1}, "PIPELINEOS_MAX_RETRIES not negative"),
    ],
)
def test_bad_options_are_improperly_configured(options, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        PipelineOSClient(**({"base_url": "https://p.example", "token": TOKEN} | options))
