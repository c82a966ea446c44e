"""``make bench``: each case times our path and the raw SQL doing the same work, and prints
the ratio, which survives a noisy machine better than either time. Runs on its own embedded
cluster under ``.data/bench`` in a throw-away ``test_`` database.

``python -m bench [module ...]`` runs the cases of the named modules of this package
(``cases`` for the platform's, or an app's own, e.g. ``dreamshot``); all of them by default.
"""

import os
import sys
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("LUCID_DATA_DIR", str(ROOT / ".data" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
sys.path.insert(0, str(ROOT))

# Each module has ``ALL``, its list of cases; large ones are slow, so they can be run alone.
MODULES = ("cases", "web", "data", "aurum", "dreamshot", "dreamscape")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.harness import report

    chosen = sys.argv[1:] or MODULES
    unknown = sorted(set(chosen) - set(MODULES))
    if unknown:
        sys.exit(f"unknown bench module(s) {unknown}; choose from {list(MODULES)}")
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    results = [case() for name in chosen for case in import_module(f"bench.{name}").ALL]
    report(results)


if __name__ == "__main__":
    main()
