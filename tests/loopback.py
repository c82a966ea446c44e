"""Fake remote services for tests: real HTTP servers on 127.0.0.1 and a free port."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackService:
    """Serves ``handler`` from a thread; the handler reaches this object as ``server.service``."""

    def __init__(self, *, handler: type[BaseHTTPRequestHandler], path: str = "") -> None:
        self.release = threading.Event()  # set on stop, so handlers told to hang let go
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
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


class JsonHandler(BaseHTTPRequestHandler):
    """A fake service's request handler: keep-alive, quiet, answering JSON bytes."""

    protocol_version = "HTTP/1.1"

    def send_json(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass
