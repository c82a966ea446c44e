"""``make run``'s supervisor end to end: web, worker and beat come up, beat's heartbeat is
run by the worker, and Ctrl-C stops every process cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_results.models import TaskResult

WAIT = 120  # an upper bound for start-up on a slow machine, not a duration check


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_this_test() -> str:
    """The URL of the database this test runs on (Django's ``test_`` database)."""
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))


def wait_for(condition, process):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


@pytest.mark.django_db(transaction=True)
def test_runstack_serves_runs_beat_tasks_and_stops_cleanly(tmp_path):
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name="platform: worker heartbeat",
        defaults={"task": "lucid.heartbeat", "interval": every_second, "enabled": True},
    )
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
    }
    stack = subprocess.Popen(
        [sys.executable, "manage.py", "runstack"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"

        def serves():
            try:
                with urllib.request.urlopen(f"{base}/admin/login/", timeout=2) as response:  # noqa: S310
                    return response.status == 200
            except OSError:
                return False

        wait_for(serves, stack)
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
    assert not serves()
