"""Serving the app on loopback in a background thread (tests, the demo, `python -m fortnox_sandbox`)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from fortnox_sandbox.state import SandboxState
from fortnox_sandbox.web import SandboxApp

POLL_INTERVAL_S = 0.02  # shutdown() waits up to one poll interval; tests start one server per test


class QuietHandler(WSGIRequestHandler):
    """No access log line per request (tests make thousands)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class SandboxServer:
    def __init__(
        self, state: SandboxState, host: str = "127.0.0.1", port: int = 0, quiet: bool = True
    ) -> None:
        self.state = state
        handler: Any = QuietHandler if quiet else WSGIRequestHandler
        self._server: BaseWSGIServer = make_server(
            host, port, SandboxApp(state), threaded=True, request_handler=handler
        )
        self._thread = threading.Thread(target=self._serve, name="fortnox-sandbox", daemon=True)
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=POLL_INTERVAL_S)

    def start(self) -> SandboxServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed requests wake up and drop their connection."""
        self.state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self._serve()
