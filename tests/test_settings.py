"""With DEBUG off, Lucid refuses insecure settings, and a secure set passes check --deploy."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings


def run_manage(tmp_path, *args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "API_KEY_SECRET"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        LUCID_DATA_DIR=str(tmp_path),  # never the developer's .data
        LUCID_ENV_FILE=str(tmp_path / "no.env"),  # nor their .env
        DATABASE_URL=settings.DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
        **env_overrides,
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"ALLOWED_HOSTS": "lucid.example.com"}, "SECRET_KEY is not set"),
        (
            {"SECRET_KEY": "django-insecure-" + "x" * 60, "ALLOWED_HOSTS": "lucid.example.com"},
            "SECRET_KEY is a development key",
        ),
        ({"SECRET_KEY": secrets.token_urlsafe(30)[:20], "ALLOWED_HOSTS": "a"}, "shorter than 50"),
        ({"SECRET_KEY": secrets.token_urlsafe(64)}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "*"}, "contains '*'"),
    ],
)
def test_debug_off_refuses_insecure_settings(tmp_path, overrides, complaint):
    result = run_manage(tmp_path, "check", DEBUG="false", **overrides)
    assert result.returncode != 0
    assert "Lucid refuses to start with DEBUG off" in result.stderr
    assert complaint in result.stderr


def test_secure_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="lucid.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
