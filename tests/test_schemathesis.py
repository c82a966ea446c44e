"""The OpenAPI schema tells the truth: schemathesis, every check, over the whole schema, against
a live server, as a demo account with data (persons, a mapper config, dreams …).

``make fuzz`` runs it (marked ``fuzz``, left out of ``make test`` until it finds nothing);
``LUCID_FUZZ_EXAMPLES`` bounds the examples per operation (10 by default, 25 in ``make
fuzz``); ``LUCID_FUZZ_SEED`` replays a run (the failure output prints the seed);
``LUCID_FUZZ_ARGS`` adds schemathesis options, e.g. ``--include-path-regex observations``.
Any check failure fails the test with schemathesis's report, which shows each failing
request as a ``curl`` line.
"""

import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from personakit.services.api_keys import api_key_issue

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = int(os.environ.get("LUCID_FUZZ_EXAMPLES", "10"))
SEED = os.environ.get("LUCID_FUZZ_SEED")
EXTRA_ARGS = shlex.split(os.environ.get("LUCID_FUZZ_ARGS", ""))
TIMEOUT = 60 * 60  # an upper bound for a 2-core machine, not a duration check


@pytest.mark.fuzz
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_nothing(live_server, tmp_path, settings):
    # Thousands of requests in a few minutes: the per-key throttle is not under test here.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "1000000/min"},
    }
    call_command("seed_demo", stdout=io.StringIO())
    key = api_key_issue(user=get_user_model().objects.get(username="ada"), data={"name": "fuzz"})
    # The schema the server serves at /api/schema/, written once: generating it takes seconds,
    # longer than schemathesis waits on a busy machine.
    schema = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG)),
        *("run", str(schema), "--url", live_server.url),
        *("--checks", "all", "--max-examples", str(EXAMPLES), "--workers", "1"),
        *("--header", f"Authorization: Api-Key {key.raw_key}", "--request-timeout", "60"),
        # PostgreSQL stores no NUL, so the API refuses it in any text (config.api.limits);
        # OpenAPI 3.0 cannot say so of a JSON object's keys.
        *("--generation-allow-x00", "false"),
        *("--no-color", "--report", "junit", "--report-dir", str(tmp_path)),
        *(("--seed", SEED) if SEED else ()),
        *EXTRA_ARGS,
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(settings.BASE_DIR),
        "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
        "LUCID_FUZZ_KEY_ID": str(key.pk),
    }
    run = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp_path, env=env, check=False
    )
    # From the first failure on: each with its curl line, then the summary and the seed.
    report = run.stdout[max(run.stdout.find("FAILURES"), 0) :]
    assert run.returncode == 0, report + run.stderr[-5000:]
