"""Fifty clients at once through the API: the optimistic-locking and one-active rules hold.

Each race lines its clients up on a barrier and lets them write together over real HTTP to
the real web server (gunicorn's threaded workers, a database connection per thread). Every
write is either applied exactly once or refused with 409, and the database agrees with the
answers.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from aurum.models import TimeEntry
from aurum.tests.factories import TaskFactory
from dreamcatcher.models import SyncSession
from personakit.choices import MapperStatus
from personakit.models import MapperConfig, Mindscape
from personakit.tests.factories import MapperConfigFactory, MindscapeFactory, PersonFactory

CLIENTS = 50


Send = Callable[[httpx.Client], httpx.Response]


def race(base: str, key: str, sends: list[Send]) -> list[httpx.Response]:
    """Run every ``send`` at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(sends))

    def run(send: Send) -> httpx.Response:
        headers = {"Authorization": f"Api-Key {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            barrier.wait()
            return send(http)

    with ThreadPoolExecutor(len(sends)) as pool:
        return list(pool.map(run, sends))


def test_fifty_trait_writes_on_one_version_apply_once(stack, user, api_key_for):
    person = PersonFactory(owner=user)
    mindscape = MindscapeFactory(person=person)
    version = mindscape.version
    url = f"/api/v1/personakit/mindscapes/{person.pk}/traits/work.focus_duration"

    def write(value: int) -> Send:
        return lambda http: http.put(
            url, json={"value": value}, headers={"If-Match": f'"{version}"'}
        )

    answers = race(stack.base, api_key_for(user), [write(n) for n in range(CLIENTS)])

    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: 1, 409: CLIENTS - 1}, statuses
    [winner] = [answer for answer in answers if answer.status_code == 200]
    mindscape = Mindscape.objects.get(pk=mindscape.pk)
    assert mindscape.version == version + 1
    assert mindscape.traits["work"]["focus_duration"] == winner.json()["value"]
    assert all(a.json()["code"] == "version_conflict" for a in answers if a.status_code == 409)


def test_fifty_activations_leave_exactly_one_active_version(stack, user, api_key_for):
    versions = [
        MapperConfigFactory(config_id="focus", version=number, created_by=user)
        for number in range(1, 11)
    ]

    def activate(mapper: MapperConfig) -> Send:
        return lambda http: http.post(f"/api/v1/personakit/mapper-configs/{mapper.pk}/activate")

    sends = [activate(versions[n % len(versions)]) for n in range(CLIENTS)]
    answers = race(stack.base, api_key_for(user), sends)

    assert set(Counter(answer.status_code for answer in answers)) <= {200, 409}
    active = MapperConfig.objects.filter(config_id="focus", status=MapperStatus.ACTIVE)
    assert active.count() == 1
    activated = {answer.json()["id"] for answer in answers if answer.status_code == 200}
    assert str(active.get().pk) in activated


def test_fifty_sync_starts_never_run_two_sessions_at_once(stack, user, api_key_for):
    def start(http: httpx.Client) -> httpx.Response:
        return http.post("/api/v1/dreamcatcher/sync", json={"session_type": "pipelineos"})

    answers = race(stack.base, api_key_for(user), [start] * CLIENTS)

    # The worker runs each session at once (the user has no dreams), so a later start may
    # find the way free again: several sessions, never two at the same time.
    assert set(Counter(answer.status_code for answer in answers)) == {202, 409}
    started = {answer.json()["id"] for answer in answers if answer.status_code == 202}
    sessions = list(SyncSession.objects.filter(user=user).order_by("started_at"))
    assert {session.pk for session in sessions} == started
    for earlier, later in itertools.pairwise(sessions):
        assert earlier.completed_at is not None
        assert earlier.completed_at <= later.started_at


def test_fifty_timer_starts_leave_one_running(stack, user, api_key_for):
    task = TaskFactory(user=user)

    def start(http: httpx.Client) -> httpx.Response:
        body = {"entity_type": "task", "entity_id": str(task.pk)}
        return http.post("/api/v1/aurum/time-entries/start", json=body)

    answers = race(stack.base, api_key_for(user), [start] * CLIENTS)

    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: 1, 400: CLIENTS - 1}, statuses
    refusals = {(a.json()["code"], a.json()["field"]) for a in answers if a.status_code == 400}
    assert refusals == {("timer_running", "end_time")}
    assert TimeEntry.objects.filter(user=user, end_time__isnull=True).count() == 1
