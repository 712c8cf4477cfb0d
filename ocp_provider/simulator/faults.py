"""Faults the embedded OCP server can inject, for tests of how the provider survives them."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from .store import OcpStore

ASGIApp = Callable[..., Awaitable[None]]

FaultKind = Literal[
    "latency",
    "status",
    "disconnect_before",
    "disconnect_after",
    "timeout_after",
    "not_json",
    "unsuccessful",
]


class Fault(BaseModel):
    """One fault, for the next `count` requests that match `method` and `path`.

    - latency: answer normally after `seconds`.
    - status: answer `status` (500, 502, 503, 504 or 429, with `retry_after`) without applying.
    - disconnect_before / disconnect_after: drop the connection mid-answer, without applying
      the request or after applying it.
    - timeout_after: apply the request, then answer only after `seconds`.
    - not_json: answer 200 with an HTML page, as a misrouted proxy would, without applying.
    - unsuccessful: answer HTTP 200 with `successful: false`, without applying.
    """

    kind: FaultKind
    method: str | None = None
    path: str = Field("/api/*", description="a glob matched against the request path")
    count: int = Field(1, ge=1)
    status: int = 503
    retry_after: int | None = None
    seconds: float = 0.5


class InjectedDisconnect(Exception):
    """Raised inside the server to make uvicorn drop a connection on purpose."""


class _QuietDisconnects(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedDisconnect))


class FaultBook:
    """The faults still to inject, consumed in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault.model_copy())

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                wanted = None if fault.method is None else fault.method.upper()
                if wanted not in (None, method) or not fnmatch.fnmatchcase(path, fault.path):
                    continue
                fault.count -= 1
                if fault.count == 0:
                    self._faults.remove(fault)
                return fault
        return None


def _html(status: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = f"<html><body><h1>{status} from the gateway</h1></body></html>".encode()
    return body, [(b"content-type", b"text/html"), (b"content-length", str(len(body)).encode())]


def _json(payload: dict[str, Any], extra: list[tuple[bytes, bytes]]) -> tuple[bytes, list[Any]]:
    body = json.dumps(payload, sort_keys=True).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return body, headers + extra


class FaultInjector:
    """ASGI middleware in front of the OCP app that applies the next matching fault."""

    def __init__(self, app: ASGIApp, book: FaultBook, store: OcpStore) -> None:
        self.app = app
        self.book = book
        self.store = store
        logging.getLogger("uvicorn.error").addFilter(_QuietDisconnects())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        fault = None
        if scope["type"] == "http":
            fault = self.book.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
            return

        if fault.kind in ("latency", "disconnect_after", "timeout_after"):
            # The request reaches OCP, which logs it with the fault's name.
            scope.setdefault("state", {})["fault"] = fault.kind
        else:
            # Status 0: no answer came, or not one OCP made.
            status = {"status": fault.status, "not_json": 200, "unsuccessful": 200}.get(
                fault.kind, 0
            )
            self.store.log_request(scope["method"], scope["path"], status, "-", fault=fault.kind)

        if fault.kind == "latency":
            await asyncio.sleep(fault.seconds)
            await self.app(scope, receive, send)
        elif fault.kind == "status":
            await self._answer_status(fault, send)
        elif fault.kind == "disconnect_before":
            await self._disconnect(send)
        elif fault.kind == "disconnect_after":
            await self.app(scope, receive, _swallow)
            await self._disconnect(send)
        elif fault.kind == "timeout_after":
            held: list[dict[str, Any]] = []
            await self.app(scope, receive, _hold(held))
            await asyncio.sleep(fault.seconds)
            for message in held:
                await send(message)
        elif fault.kind == "not_json":
            body, headers = _html(200)
            await _send(send, 200, headers, body)
        else:
            payload = {
                "error": {"code": 10010, "message": "Unexpected error, please retry"},
                "status": 500,
                "successful": False,
                "traceId": "0000000000000000",
            }
            body, headers = _json(payload, [])
            await _send(send, 200, headers, body)

    @staticmethod
    async def _answer_status(fault: Fault, send: Any) -> None:
        extra = []
        if fault.retry_after is not None:
            extra.append((b"retry-after", str(fault.retry_after).encode()))
        if fault.status in (502, 504):
            body, headers = _html(fault.status)
            headers += extra
        else:
            payload = {
                "error": {"code": 10010, "message": "OCP is busy or failing, please retry"},
                "status": fault.status,
                "successful": False,
                "traceId": "ffffffffffffffff",
            }
            body, headers = _json(payload, extra)
        await _send(send, fault.status, headers, body)

    @staticmethod
    async def _disconnect(send: Any) -> None:
        # Headers promise a body that never comes; uvicorn then closes the socket.
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
        )
        raise InjectedDisconnect


async def _send(send: Any, status: int, headers: list[Any], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _swallow(_message: dict[str, Any]) -> None:
    return None


def _hold(held: list[dict[str, Any]]) -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def send(message: dict[str, Any]) -> None:
        held.append(message)

    return send
