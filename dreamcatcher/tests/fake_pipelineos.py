"""A real HTTP server on loopback standing in for PipelineOS (a remote third-party service).

It creates a project per new ``Idempotency-Key`` and replays its answer for a key it has
seen, refuses titles containing "reject" with a 422 and a wrong token with a 401, and can be
scripted with ``Reply``s to fail, throttle, hang or lose a response.
"""

from __future__ import annotations

from typing import Any

from tests.loopback import LoopbackService, Reply

__all__ = ["TOKEN", "FakePipelineOS", "Reply"]

TOKEN = "pos-test-token"


class FakePipelineOS(LoopbackService):
    """``POST /api/v1/projects`` as PipelineOS has it, on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self.projects: dict[str, dict[str, Any]] = {}  # project id -> the body it was made from
        self.answers: dict[str, tuple[int, dict[str, Any]]] = {}  # idempotency key -> answer
        super().__init__(path="/api/v1")

    def answer(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """What PipelineOS itself answers."""
        if request["headers"].get("authorization") != f"Bearer {TOKEN}":
            return 401, {"error": {"message": "invalid API token"}}
        key = request["headers"].get("idempotency-key")
        if not key:
            return 400, {"error": {"message": "Idempotency-Key header is required"}}
        if "reject" in request["body"].get("title", "").lower():
            return 422, {"error": {"message": "title is not a valid project name"}}
        with self._lock:
            if key not in self.answers:
                project_id = f"prj_{len(self.projects) + 1}"
                self.projects[project_id] = request["body"]
                self.answers[key] = (201, {"project_id": project_id, "status": "created"})
            return self.answers[key]

    @property
    def keys(self) -> list[str | None]:
        return [request["headers"].get("idempotency-key") for request in self.requests]
