"""The README's API tour runs as written against a fresh server with the demo data.

Its ``sh`` blocks run in order in one bash (``set -euo pipefail``); ``curl`` also reports
each answer's status, and every answer must be a 2xx but the one whose comment says 409.
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from config.platform_models import get_outbox_model
from tests.stack import WAIT, database_url_of_this_test, start_stack

README = Path(settings.BASE_DIR) / "README.md"
# Each curl also writes its status to stderr, one line each.
REPORTING_CURL = "curl() { command curl -w '%{stderr}%{http_code}\\n' \"$@\"; }\n"


def tour_script() -> str:
    text = README.read_text()
    tour = text[text.index("## API tour") : text.index("## Development")]
    return "\n".join(re.findall(r"```sh\n(.*?)```", tour, flags=re.S))


def expected_statuses(script: str) -> list[str]:
    """One per curl call, in order: "409" where its command's comment names it, else "2xx"."""
    calls = re.split(r"\bcurl -s\b", script)[1:]
    return ["409" if re.search(r"#[^\n]*\b409\b", call) else "2xx" for call in calls]


@pytest.mark.django_db(transaction=True)
def test_the_api_tour_runs_as_written():
    call_command("seed_demo", verbosity=0)
    stack, base = start_stack(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # As after `make run`: the demo's trait derivations have run before anyone reads a version.
    pending = get_outbox_model().objects.filter(status__in=["pending", "in_progress"])
    deadline = time.monotonic() + WAIT
    while pending.exists():
        assert time.monotonic() < deadline, "the worker did not drain the demo's outbox"
        time.sleep(0.5)
    script = tour_script()
    env = {
        **os.environ,
        "LUCID_URL": base,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
    }
    try:
        run = subprocess.run(  # noqa: S603 - the README's own commands
            ["/bin/bash", "-c", "set -euo pipefail\n" + REPORTING_CURL + script],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        stack.wait(timeout=WAIT)
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])
    statuses = [line for line in run.stderr.splitlines() if re.fullmatch(r"\d{3}", line)]
    expected = expected_statuses(script)
    assert len(statuses) == len(expected), (statuses, expected, run.stderr[-2000:])
    for got, want, call in zip(
        statuses, expected, re.split(r"\bcurl -s\b", script)[1:], strict=True
    ):
        assert got == want or (want == "2xx" and got.startswith("2")), (got, want, call[:200])
