"""Settings for the test suite: its own embedded cluster and Redis under ``.data/test``.

Tests never touch development data; with ``DATABASE_URL`` set they use Django's
``test_<name>`` database on that server instead.
"""

import os
from pathlib import Path

os.environ.setdefault(
    "LUCID_DATA_DIR", str(Path(__file__).resolve().parent.parent / ".data" / "test")
)
os.environ.setdefault("DEBUG", "true")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
CACHES["default"]["KEY_PREFIX"] = "lucid-test"  # noqa: F405
