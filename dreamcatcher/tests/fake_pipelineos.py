"""A real HTTP server on loopback standing in for PipelineOS (a remote third-party service).

It creates a project per new ``Idempotency-Key`` and replays its answer for a key it has
seen, refuses titles containing "reject" with a 422 and a wrong token with a 401, and can be
scripted to fail, throttle, hang or lose a response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.loopback import JsonHandler, LoopbackService

TOKEN = "pos-test-token"


@dataclass
class Reply:
    """A scripted answer. ``body=None`` with 200 means: behave like PipelineOS.

    ``hang`` holds the request that long without answering; with ``lose_response`` the project
    is created first, so only the answer is lost (a reverse proxy timing out, say).
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    raw: bytes | None = None
    hang: float = 0.0
    lose_response: bool = False


class FakePipelineOS(LoopbackService):
    """``POST /api/v1/projects`` as PipelineOS has it, on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[Reply] = []
        self.projects: dict[str, dict[str, Any]] = {}  # project id -> the body it was made from
        self.answers: dict[str, tuple[int, dict[str, Any]]] = {}  # idempotency key -> answer
        super().__init__(handler=_Handler, path="/api/v1")

    def next_reply(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self.script.pop(0) if self.script else Reply()

    def handle(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
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


class _Handler(JsonHandler):
    def do_POST(self) -> None:
        service: FakePipelineOS = self.server.service
        raw_body = self.rfile.read(int(self.headers["Content-Length"]))
        request = {
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "raw_body": raw_body,
            "body": json.loads(raw_body),
        }
        reply = service.next_reply(request)
        if reply.lose_response:
            service.handle(request)
        if reply.hang or reply.lose_response:
            service.release.wait(reply.hang or 30)
            self.close_connection = True
            return
        if reply.raw is not None:
            status, payload = reply.status, reply.raw
        elif reply.body is None and reply.status == 200:
            status, answer = service.handle(request)
            payload = json.dumps(answer).encode()
        else:
            status, payload = reply.status, json.dumps(reply.body).encode()
        self.send_json(status, payload, reply.headers)
