"""Faults never lose acknowledged work: the database killed and restarted under load, Redis down.

Each test drives a real ``runstack`` (gunicorn, a Celery worker, beat) over HTTP on this test's
own embedded PostgreSQL and Redis, breaks one of them the way an operator would see it break
(``pg_ctl -m immediate``, SIGKILL), brings it back, and checks every answer the clients got
against what the database holds afterwards.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config import embedded
from config.celery_app import app as celery_app
from dreamcatcher.choices import SyncSessionStatus
from dreamcatcher.models import Document, Dream, SyncSession, Todo
from dreamcatcher.tests.factories import DreamFactory
from dreamcatcher.tests.fake_pipelineos import TOKEN, FakePipelineOS, Reply
from dreamscape.models import UserBehavior
from personakit.models import Narrative
from personakit.tests.factories import NarrativeFactory
from tests.loopback import FakeEmbeddingService
from tests.stack import WAIT, run_stack

# Bounds for a slow 2-core machine, not duration checks: a request that takes longer hangs.
REQUEST_TIMEOUT = 20.0
# How often the database is killed under load: once here, more in `make soak`.
CRASHES = int(os.environ.get("LUCID_SOAK_CRASHES", "1"))


@dataclass
class Load:
    """Clients writing dreams, bulk todos under them and batches of behaviour events (one
    COPY each), until told to stop."""

    base: str
    key: str
    acknowledged_dreams: set[str] = field(default_factory=set)
    acknowledged_todos: set[str] = field(default_factory=set)
    acknowledged_events: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    refusals: list[httpx.Response] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, client_id: int) -> None:
        headers = {"Authorization": f"Api-Key {self.key}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=REQUEST_TIMEOUT) as http:
            sent = 0
            while not self.stop.is_set():
                sent += 1
                title = f"client {client_id} dream {sent}"
                response = http.post("/api/v1/dreamcatcher/dreams", json={"title": title})
                self.record(response)
                if response.status_code != 201:
                    time.sleep(0.1)
                    continue
                dream = response.json()["id"]
                with self.lock:
                    self.acknowledged_dreams.add(dream)
                todos = [{"dream": dream, "title": f"step {step}"} for step in range(3)]
                response = http.post("/api/v1/dreamcatcher/todos", json=todos)
                self.record(response)
                if response.status_code == 201:
                    with self.lock:
                        self.acknowledged_todos.update(todo["id"] for todo in response.json())
                events = [{"action_type": "view", "item_type": "dream", "item_id": dream}] * 5
                response = http.post("/api/v1/dreamscape/behaviors", json=events)
                self.record(response)
                if response.status_code == 201:
                    with self.lock:
                        self.acknowledged_events.update(event["id"] for event in response.json())

    def record(self, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code >= 300:
                self.refusals.append(response)

    def successes(self) -> int:
        with self.lock:
            return self.statuses[201]


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def assert_outage_answers(refusals: list[httpx.Response]) -> None:
    """Every refusal is a 503 in the error shape that says when to come back."""
    for response in refusals:
        assert response.status_code == 503, (response.status_code, response.text[:500])
        assert response.headers["Retry-After"].isdigit()
        assert response.json()["errors"][0]["code"] == "service_unavailable"


@pytest.mark.django_db(transaction=True)
def test_postgres_killed_mid_load_loses_no_acknowledged_write(stack, user, api_key_for):
    load = Load(stack.base, api_key_for(user))
    clients = [threading.Thread(target=load.run, args=(n,), daemon=True) for n in range(4)]
    for client in clients:
        client.start()
    wait_until(lambda: load.successes() >= 10, "writes before the crash")

    for _ in range(CRASHES):
        embedded.postgres_stop(settings.DATA_DIR, mode="immediate")
        connection.close()  # this process's own connection died with the server
        seen = load.statuses[503]
        wait_until(lambda seen=seen: load.statuses[503] >= seen + 4, "outage answers")
        with httpx.Client(base_url=stack.base, timeout=REQUEST_TIMEOUT) as http:
            assert http.get("/readyz").status_code == 503
        embedded.postgres_url(settings.DATA_DIR)  # started again, as `make run` would
        before = load.successes()
        wait_until(lambda before=before: load.successes() >= before + 10, "writes after restart")
    load.stop.set()
    for client in clients:
        client.join(timeout=REQUEST_TIMEOUT * 2)

    assert not any(client.is_alive() for client in clients), "a client hangs"
    stack.assert_alive()
    assert_outage_answers(load.refusals)
    assert set(load.statuses) <= {201, 503}, load.statuses
    stored_dreams = {str(pk) for pk in Dream.objects.filter(user=user).values_list("pk", flat=True)}
    stored_todos = {
        str(pk) for pk in Todo.objects.filter(dream__user=user).values_list("pk", flat=True)
    }
    stored_events = {
        str(pk) for pk in UserBehavior.objects.filter(user=user).values_list("pk", flat=True)
    }
    lost = (
        (load.acknowledged_dreams - stored_dreams)
        | (load.acknowledged_todos - stored_todos)
        | (load.acknowledged_events - stored_events)
    )
    print(  # the soak's figures (make soak)
        f"\npostgres killed {CRASHES}x: {sum(load.statuses.values())} requests, "
        f"{load.statuses[201]} acknowledged, {load.statuses[503]} answered 503, "
        f"{len(load.acknowledged_dreams) + len(load.acknowledged_todos)} rows and "
        f"{len(load.acknowledged_events)} behaviour events acknowledged, "
        f"{len(lost)} lost"
    )
    assert not lost
    with httpx.Client(base_url=stack.base, timeout=REQUEST_TIMEOUT) as http:
        assert http.get("/readyz").status_code == 200


def kill_redis() -> None:
    redis_dir = settings.DATA_DIR / "redis"
    os.kill(int((redis_dir / "redis.pid").read_text()), signal.SIGKILL)
    wait_until(lambda: embedded._running_redis_port(redis_dir) is None, "Redis to die")


@pytest.mark.django_db(transaction=True)
def test_redis_down_keeps_the_api_serving_and_loses_no_job(stack, user, api_key_for):
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="platform: drain the outbox", task="lucid.drain_outbox", interval=every_second
    )
    key = api_key_for(user)
    load = Load(stack.base, key)
    clients = [threading.Thread(target=load.run, args=(n,), daemon=True) for n in range(3)]
    for client in clients:
        client.start()
    wait_until(lambda: load.successes() >= 10, "writes before the outage")
    dream = Dream.objects.filter(user=user).first()

    kill_redis()
    before = load.successes()
    wait_until(lambda: load.successes() >= before + 10, "writes while Redis is down")
    with httpx.Client(
        base_url=stack.base, headers={"Authorization": f"Api-Key {key}"}, timeout=REQUEST_TIMEOUT
    ) as http:
        health = http.get("/healthz")
        assert health.status_code == 503
        checks = health.json()["checks"]
        assert (checks["redis"]["ok"], checks["database"]["ok"]) == (False, True)
        # A job started while the broker is away: its parse is kept, not lost.
        upload = http.post(
            "/api/v1/dreamcatcher/documents",
            data={"dream": dream.pk, "title": "Plan"},
            files={"file": ("plan.md", b"# Plan\n- [ ] fly\n", "text/markdown")},
        )
        assert upload.status_code == 201, upload.text
        assert http.get("/api/v1/dreamcatcher/dreams").status_code == 200

    assert embedded.redis_url(settings.DATA_DIR) == settings.REDIS_URL  # back where it was
    document = Document.objects.get(pk=upload.json()["id"])
    wait_until(lambda: Document.objects.filter(pk=document.pk, parsed=True).exists(), "the parse")
    load.stop.set()
    for client in clients:
        client.join(timeout=REQUEST_TIMEOUT * 2)

    assert not any(client.is_alive() for client in clients), "a client hangs"
    stack.assert_alive()
    assert set(load.statuses) == {201}, load.statuses
    stored = {str(pk) for pk in Dream.objects.filter(user=user).values_list("pk", flat=True)}
    assert load.acknowledged_dreams <= stored


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sync_has_its_task_run_again_to_completion_once(
    tmp_path, user, api_key_for
):
    pipelineos = FakePipelineOS()
    # The first push is made and then never answered: the worker dies holding it.
    pipelineos.script = [Reply(lose_response=True, hang=WAIT)]
    pipelineos.start()
    DreamFactory.create_batch(3, user=user)
    env = {"PIPELINEOS_BASE_URL": pipelineos.url, "PIPELINEOS_TOKEN": TOKEN}
    stack = run_stack(tmp_path / "stack.log", env)
    try:
        headers = {"Authorization": f"Api-Key {api_key_for(user)}"}
        with httpx.Client(base_url=stack.base, headers=headers, timeout=REQUEST_TIMEOUT) as http:
            started = http.post("/api/v1/dreamcatcher/sync", json={"session_type": "pipelineos"})
        assert started.status_code == 202, started.text
        wait_until(lambda: len(pipelineos.requests) == 1, "the sync to be mid-push")
        [task_process] = stack.task_processes()

        task_process.kill()  # SIGKILL, as the kernel's OOM killer would
        session = SyncSession.objects.get(pk=started.json()["id"])
        wait_until(
            lambda: SyncSession.objects.get(pk=session.pk).status == SyncSessionStatus.COMPLETED,
            "the redelivered task to finish the sync",
        )
        stack.assert_alive()
    finally:
        stack.stop()
        pipelineos.stop()

    session = SyncSession.objects.get(pk=session.pk)
    assert (session.synced_dreams, session.failed_dreams) == (3, 0)
    assert len(pipelineos.projects) == 3  # the push the dead worker made was not made twice
    assert Dream.objects.filter(user=user, synced_with_pipelineos=True).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_backfill_has_its_task_run_again_to_completion(tmp_path):
    embeddings = FakeEmbeddingService()
    embeddings.script = [Reply(hang=WAIT)]  # the first batch is never answered
    embeddings.start()
    narratives = NarrativeFactory.create_batch(3)
    env = {
        "EMBEDDING_PROVIDER": "openai",
        "EMBEDDING_API_BASE_URL": embeddings.url,
        "EMBEDDING_API_KEY": "k",
        "EMBEDDING_API_TIMEOUT": str(WAIT),
    }
    stack = run_stack(tmp_path / "stack.log", env)
    try:
        celery_app.send_task("lucid.backfill_embeddings")
        wait_until(lambda: len(embeddings.requests) == 1, "the backfill to be mid-batch")
        [task_process] = stack.task_processes()

        task_process.kill()
        wait_until(
            lambda: not Narrative.objects.filter(embedding__isnull=True).exists(),
            "the redelivered task to embed every narrative",
        )
        stack.assert_alive()
    finally:
        stack.stop()
        embeddings.stop()

    assert set(Narrative.objects.values_list("embedding_model", flat=True)) == {
        "text-embedding-3-small"
    }
    assert len(narratives) == Narrative.objects.count()
