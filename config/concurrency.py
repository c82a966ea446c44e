"""Optimistic locking: a write names the version it read, and loses to a newer one."""

from __future__ import annotations


class VersionConflict(Exception):
    """The row moved on since the caller read it; re-read and retry.

    Services raise it; the API answers 409 ``version_conflict`` with ``current_version``
    and the row's current ``ETag`` (``config.api.errors``).
    """

    def __init__(self, current_version: int, noun: str = "row", field: str = "version") -> None:
        super().__init__(f"The {noun} is at version {current_version}; re-read it and retry.")
        self.current_version = current_version
        self.field = field
