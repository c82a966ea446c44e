"""Running ``manage.py runstack`` (what ``make run`` ends with) against this test's database
and Redis, for tests that need real web, worker and beat processes."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

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


def start_stack(
    env_overrides: dict[str, str] | None = None, **popen_options
) -> tuple[subprocess.Popen, str]:
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
        **(env_overrides or {}),
    }
    stack = subprocess.Popen(
        [sys.executable, "manage.py", "runstack"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        text=True,
        **popen_options,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: serves(base), stack)
    return stack, base


def serves(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/admin/login/", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def wait_gone(processes: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(processes, timeout=WAIT)
    assert not alive, alive


@dataclass
class Stack:
    """A running ``runstack``: its process, its base URL and the file its output goes to."""

    process: subprocess.Popen
    base: str
    log: Path

    def assert_alive(self) -> None:
        """Nothing had to be restarted by hand: web, worker and beat all still run."""
        assert self.process.poll() is None, self.log.read_text()[-20000:]

    def task_processes(self) -> list[psutil.Process]:
        """The Celery worker's pool processes: the ones that run tasks."""
        for child in psutil.Process(self.process.pid).children():
            if "worker" in child.cmdline():
                return child.children()
        raise AssertionError("runstack has no Celery worker")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=WAIT)


def run_stack(log: Path, env_overrides: dict[str, str] | None = None) -> Stack:
    """Start ``runstack`` on this test's database, its output going to ``log``."""
    with log.open("w") as output:
        process, base = start_stack(env_overrides, stdout=output, stderr=subprocess.STDOUT)
    return Stack(process, base, log)
