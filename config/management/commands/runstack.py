"""Run the whole stack in the foreground: gunicorn, a Celery worker and Celery beat.

Ctrl-C (or SIGTERM, or a closed terminal) stops beat first (no new work is scheduled),
then the web server, then the worker (which finishes its current task), and finally the
embedded PostgreSQL and Redis if this machine runs them. If any process dies, the others
are stopped too; if this supervisor itself is killed, the kernel terminates the children.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config import embedded

STOP_TIMEOUT = 20
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: have the kernel send SIGTERM when the supervisor dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None


class Command(BaseCommand):
    help = "Run web server, Celery worker and Celery beat together; Ctrl-C stops them all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument(
            "--worker-concurrency",
            type=int,
            default=int(os.environ.get("CELERY_CONCURRENCY", "2")),
        )

    def handle(self, *args: object, **options: object) -> None:
        host, port = options["host"], options["port"]
        self._refuse_busy_port(host, port)
        python = sys.executable
        children = [
            Child(
                "web",
                [
                    python, "-m", "gunicorn", "config.wsgi:application",
                    "--config", "python:config.gunicorn_conf",  # threads and timeouts
                    "--bind", f"{host}:{port}",
                    "--workers", str(options["web_workers"]),
                    "--access-logfile", "-",
                ],
            ),
            Child(
                "worker",
                [
                    python, "-m", "celery", "-A", "config", "worker",
                    "--loglevel", settings.LOG_LEVEL,
                    "--concurrency", str(options["worker_concurrency"]),
                    "--hostname", "worker@%h",
                ],
            ),
            Child("beat", [python, "-m", "celery", "-A", "config", "beat",
                           "--loglevel", settings.LOG_LEVEL]),
        ]  # fmt: skip
        # The children reuse the servers this process found or started, never start their own.
        env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
        stopping = False

        def request_stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, request_stop)
        try:
            for child in children:
                # A session of its own: Ctrl-C reaches only us, and we stop them in order.
                child.process = subprocess.Popen(  # noqa: S603
                    child.argv, env=env, start_new_session=True, preexec_fn=_die_with_parent
                )
            self._announce(host, port, lambda: stopping or self._dead(children))
            while not stopping and not self._dead(children):
                time.sleep(0.5)
            dead = self._dead(children)
        finally:
            self._stop(reversed_order(children))
            self._stop_embedded()
        if dead and not stopping:
            raise CommandError(f"{dead.name} exited unexpectedly; stopped the rest.")
        self._say("Stopped cleanly.")

    def _say(self, message: str) -> None:
        """Report progress; a closed terminal or pipe must never interrupt a shutdown."""
        try:
            self.stdout.write(message)
            self.stdout.flush()
        except OSError:
            pass

    @staticmethod
    def _refuse_busy_port(host: str, port: int) -> None:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                raise CommandError(f"{host}:{port} is in use; set PORT=<free port> and retry.")

    @staticmethod
    def _dead(children: list[Child]) -> Child | None:
        return next((c for c in children if c.process and c.process.poll() is not None), None)

    def _announce(self, host: str, port: int, give_up: Callable[[], object]) -> None:
        base = f"http://{host}:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not give_up():
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.5)
        else:
            return
        self._say(
            self.style.SUCCESS("\nLucid is running.\n")
            + f"  Admin:     {base}/admin/\n"
            + f"  API docs:  {base}/api/docs/\n"
            + f"  API root:  {base}/api/v1/\n"
            + f"  Health:    {base}/healthz\n"
            + "Press Ctrl-C to stop.\n"
        )

    def _stop(self, children: list[Child]) -> None:
        for child in children:
            if child.process is None or child.process.poll() is not None:
                continue
            self._say(f"stopping {child.name} …")
            os.killpg(child.process.pid, signal.SIGTERM)
            try:
                child.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._say(f"{child.name} did not stop in {STOP_TIMEOUT}s; killing it")
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()

    def _stop_embedded(self) -> None:
        """Stop the embedded servers this machine runs in place of a configured URL."""
        if not os.environ.get("REDIS_URL") and embedded.redis_stop(settings.DATA_DIR):
            self._say("stopped embedded Redis")
        if not os.environ.get("DATABASE_URL") and embedded.postgres_stop(settings.DATA_DIR):
            self._say("stopped embedded PostgreSQL")


def reversed_order(children: list[Child]) -> list[Child]:
    """Beat first, then web, then the worker (started web, worker, beat)."""
    web, worker, beat = children
    return [beat, web, worker]
