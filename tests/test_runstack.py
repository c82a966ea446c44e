"""``make run``'s supervisor end to end: web, worker and beat come up, beat's heartbeat is
run by the worker, Ctrl-C stops every process cleanly, and slow clients cannot stall the
web server."""

import contextlib
import http.client
import math
import os
import signal
import socket
import subprocess
import time
from urllib.parse import urlsplit

import psutil
import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_results.models import TaskResult

from tests.stack import WAIT, serves, start_stack, wait_for, wait_gone


@pytest.mark.django_db(transaction=True)
def test_runstack_serves_runs_beat_tasks_and_stops_cleanly():
    stack, base = start_stack(stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(
            lambda: TaskResult.objects.filter(
                task_name="lucid.heartbeat", status="SUCCESS"
            ).exists(),
            stack,
        )
        assert PeriodicTask.objects.get(name="platform: worker heartbeat").total_run_count >= 1
    finally:
        os.killpg(stack.pid, signal.SIGINT)  # Ctrl-C
        output, _ = stack.communicate(timeout=WAIT)
    assert stack.returncode == 0, output
    assert "Lucid is running." in output
    assert f"{base}/admin/" in output
    assert "Stopped cleanly." in output
    assert not serves(base)


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_with_a_closed_output_pipe_still_stops_every_child():
    # As `make run | tee log` when Ctrl-C kills tee first: every later write fails.
    stack, base = start_stack(stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    children = psutil.Process(stack.pid).children(recursive=True)
    stack.stdout.close()
    os.killpg(stack.pid, signal.SIGINT)
    stack.wait(timeout=WAIT)
    wait_gone(children)
    assert not serves(base)


@pytest.mark.django_db(transaction=True)
def test_children_die_with_a_killed_supervisor():
    stack, base = start_stack(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = psutil.Process(stack.pid).children(recursive=True)
    stack.kill()  # SIGKILL: no handler runs
    stack.wait(timeout=WAIT)
    wait_gone(children)
    assert not serves(base)


# One worker of two threads, and more clients than that which announce a body and stop
# sending it. Each holds a thread for WEB_CLIENT_TIMEOUT, then gunicorn spends at most
# GUNICORN_DRAIN discarding the rest of the body; queued behind them, /healthz waits at most
# that many rounds. The old sync workers answered it only after their 30 s kill timeout.
THREADS = 2
CLIENT_TIMEOUT = 1
GUNICORN_DRAIN = 5
SLOW_CLIENTS = THREADS + 1
HEALTHZ_BOUND = math.ceil(SLOW_CLIENTS / THREADS) * (CLIENT_TIMEOUT + GUNICORN_DRAIN) + 8


def send_part_of_a_body(port: int, key: str | None = None) -> socket.socket:
    """A body announced as 100 bytes of which 9 come: a login form (the CSRF cookie makes
    Django read it) or, with ``key``, an API write."""
    client = socket.create_connection(("127.0.0.1", port))
    if key is None:
        head = (
            b"POST /admin/login/ HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Cookie: csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF\r\n"
        )
    else:
        head = (
            b"PATCH /api/v1/me HTTP/1.1\r\nContent-Type: application/json\r\n"
            + f"Authorization: Api-Key {key}\r\n".encode()
        )
    client.sendall(head + b"Host: 127.0.0.1\r\nContent-Length: 100\r\n\r\nusername=")
    return client


@pytest.mark.django_db(transaction=True)
def test_slow_body_clients_cannot_stall_the_web_server(user, api_key_for):
    key = api_key_for(user)
    stack, base = start_stack(
        {"WEB_THREADS": str(THREADS), "WEB_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = urlsplit(base).port
    try:
        with contextlib.ExitStack() as open_sockets:
            slow = [
                open_sockets.enter_context(send_part_of_a_body(port, key if n % 2 else None))
                for n in range(SLOW_CLIENTS)
            ]
            healthz = http.client.HTTPConnection("127.0.0.1", port, timeout=HEALTHZ_BOUND)
            open_sockets.callback(healthz.close)
            started = time.monotonic()
            healthz.request("GET", "/healthz")
            assert healthz.getresponse().status in (200, 503)  # answered, healthy or not
            assert time.monotonic() - started < HEALTHZ_BOUND
            for client in slow:  # each was answered: a client error, not a 500
                client.settimeout(WAIT)
                assert client.recv(12).startswith(b"HTTP/1.1 4")
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        stack.wait(timeout=WAIT)
    assert not serves(base)
