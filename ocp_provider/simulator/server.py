"""Runs the embedded OCP server with uvicorn, in the foreground or on a background thread."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from .app import create_app
from .faults import FaultBook, FaultInjector
from .store import OcpStore

LOOPBACK = "127.0.0.1"


class EmbeddedOcpServer:
    """An OCP server on 127.0.0.1 that tests and the demo talk to over real HTTP.

    The state starts from `seed` (a JSON file) unless `db_path` names a file that already
    holds state, so a second run talks to the same OCP.
    """

    def __init__(
        self,
        *,
        username: str,
        password: str,
        seed: str | Path | dict[str, Any] | None = None,
        db_path: str | Path | None = None,
        port: int = 0,
        ssl_certfile: str | Path | None = None,
        ssl_keyfile: str | Path | None = None,
        access_keys: dict[str, str] | None = None,
    ) -> None:
        self.store = OcpStore(db_path)
        if seed is not None and self.store.is_empty():
            if isinstance(seed, dict):
                self.store.seed(seed)
            else:
                self.store.seed_file(seed)

        # Binding here, before uvicorn starts, is what makes --port 0 report its real port.
        # IPPROTO_TCP, not the default 0: asyncio turns Nagle's algorithm off only on sockets
        # that say they are TCP, and without that every answer on a kept-alive connection
        # waited some 40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((LOOPBACK, port))
        self.port = self._socket.getsockname()[1]
        scheme = "https" if ssl_certfile else "http"
        self.url = f"{scheme}://{LOOPBACK}:{self.port}"

        self.faults = FaultBook()
        app = create_app(self.store, self.faults, username, password, access_keys)
        config = uvicorn.Config(
            FaultInjector(app, self.faults, self.store),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ssl_certfile=None if ssl_certfile is None else str(ssl_certfile),
            ssl_keyfile=None if ssl_keyfile is None else str(ssl_keyfile),
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        """Serves in this thread until interrupted."""
        self._server.run(sockets=[self._socket])

    def start(self) -> EmbeddedOcpServer:
        """Serves on a daemon thread and returns once the server accepts connections."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the embedded OCP server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._socket.close()
        self.store.close()

    def __enter__(self) -> EmbeddedOcpServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
