"""Fake remote services for tests: real HTTP servers on 127.0.0.1 and a free port.

A ``LoopbackService`` records every request and answers from its ``script`` of ``Reply``s
first, then as the real service would (its ``answer``, which a fake overrides); a reply can
also hang, or let the service act and lose the answer.
"""

from __future__ import annotations

import json
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from config.embeddings import EMBEDDING_DIMENSIONS


@dataclass
class Reply:
    """A scripted answer. ``body=None`` with 200 means: answer as the real service would.

    ``hang`` holds the request that long without answering; with ``lose_response`` the
    service acts first, so only the answer is lost (a reverse proxy timing out, say).
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    raw: bytes | None = None
    hang: float = 0.0
    lose_response: bool = False


class LoopbackService:
    """A fake service served from a thread: answers ``script`` first, then ``answer``.

    ``requests`` holds every request as a dict of ``method``, ``path``, ``headers`` (names in
    lower case), ``raw_body`` and ``body`` (the decoded JSON, ``None`` without a body).
    """

    def __init__(self, *, path: str = "") -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[Reply] = []
        self.release = threading.Event()  # set on stop, so handlers told to hang let go
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.service = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{path}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def next_reply(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self.script.pop(0) if self.script else Reply()

    def answer(self, request: dict[str, Any]) -> tuple[int, Any]:
        """The status and JSON body the real service answers; an empty object by default."""
        return 200, {}


class _Handler(BaseHTTPRequestHandler):
    """Keep-alive and quiet; every method is served the same way."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        service: LoopbackService = self.server.service
        raw_body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = {
            "method": self.command,
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "raw_body": raw_body,
            "body": json.loads(raw_body) if raw_body else None,
        }
        reply = service.next_reply(request)
        if reply.lose_response:
            service.answer(request)
        if reply.hang or reply.lose_response:
            service.release.wait(reply.hang or 30)
            self.close_connection = True
            return
        if reply.raw is not None:
            status, payload = reply.status, reply.raw
        elif reply.body is None and reply.status == 200:
            status, answer = service.answer(request)
            payload = json.dumps(answer).encode()
        else:
            status, payload = reply.status, json.dumps(reply.body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


class OpenAIChatService(LoopbackService):
    """An OpenAI-compatible chat server: ``POST /chat/completions`` answers ``reply_text``
    (or ``respond(request_body)``), counting a token per word of the prompt and the answer."""

    api = "openai"

    def __init__(self, reply_text: str = "ok") -> None:
        super().__init__()
        self.reply_text = reply_text

    def respond(self, body: dict[str, Any]) -> str:
        return self.reply_text

    def answer(self, request: dict[str, Any]) -> tuple[int, Any]:
        body = request["body"] or {}
        text = self.respond(body)
        prompt = " ".join(str(message.get("content", "")) for message in body.get("messages", []))
        return 200, {
            "id": "chatcmpl-loopback",
            "object": "chat.completion",
            "model": body.get("model", "unknown"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": len(prompt.split()),
                "completion_tokens": len(text.split()),
                "total_tokens": len(prompt.split()) + len(text.split()),
            },
        }


class AnthropicChatService(OpenAIChatService):
    """Anthropic's messages API: ``POST /messages`` with the reply as one text block."""

    api = "anthropic"

    def answer(self, request: dict[str, Any]) -> tuple[int, Any]:
        body = request["body"] or {}
        text = self.respond(body)
        prompt = " ".join(str(message.get("content", "")) for message in body.get("messages", []))
        return 200, {
            "id": "msg_loopback",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "unknown"),
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": len(prompt.split()), "output_tokens": len(text.split())},
        }


def fake_vector(text: str, dimensions: int) -> np.ndarray:
    return np.random.default_rng(zlib.crc32(text.encode())).standard_normal(dimensions)


class FakeEmbeddingService(LoopbackService):
    """An OpenAI-compatible ``/embeddings`` endpoint: scripted replies, then real embeddings.

    It answers items in reverse order so that only sorting by ``index`` gives the right rows.
    """

    def __init__(self) -> None:
        self.dimensions = EMBEDDING_DIMENSIONS
        self.too_long: str | None = None  # inputs containing this are refused like OpenAI does
        super().__init__(path="/v1")

    def answer(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = request["body"]
        if self.too_long and any(self.too_long in text for text in body["input"]):
            message = "This model's maximum context length is 8192 tokens"
            return 400, {"error": {"message": message, "type": "invalid_request_error"}}
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": fake_vector(text, self.dimensions).tolist(),
            }
            for i, text in enumerate(body["input"])
        ]
        return 200, {"object": "list", "model": body["model"], "data": data[::-1]}

    @property
    def inputs(self) -> list[list[str]]:
        return [request["body"]["input"] for request in self.requests]
