"""``make bench``: each case times our path and the raw SQL doing the same work, and prints
the ratio, which survives a noisy machine better than either time. Runs on its own embedded
cluster under ``.data/bench`` in a throw-away ``test_`` database.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("LUCID_DATA_DIR", str(ROOT / ".data" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
sys.path.insert(0, str(ROOT))


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench import cases
    from bench.harness import report

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    results = [case() for case in cases.ALL]
    report(results)


if __name__ == "__main__":
    main()
