"""Logging to the Pulumi engine from inside the dynamic provider process.

`pulumi.log` drops debug messages there: the process that serves a dynamic provider never
connects to the engine. The engine passes its address on the command line, so this module
connects itself. Outside the engine (tests, scripts) messages go to the `ocp_provider` logger.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from typing import Any

logger = logging.getLogger("ocp_provider")

_ADDRESS = re.compile(r"^(?:127\.0\.0\.1|localhost|\[::1\]):\d+$")
_lock = threading.Lock()
_engine: Any = None
_engine_resolved = False


def _engine_stub() -> Any:
    """The engine's gRPC stub when this is a provider process the engine started, else None."""
    global _engine, _engine_resolved
    with _lock:
        if _engine_resolved:
            return _engine
        _engine_resolved = True
        if not sys.argv or not sys.argv[0].replace("\\", "/").endswith(
            "pulumi/dynamic/__main__.py"
        ):
            return None
        address = next((arg for arg in sys.argv[1:] if _ADDRESS.match(arg)), None)
        if address is None:
            return None

        import grpc
        from pulumi.runtime.proto import engine_pb2_grpc

        _engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))
        return _engine


def _send(severity_name: str, level: int, message: str) -> None:
    engine = _engine_stub()
    if engine is None:
        logger.log(level, message)
        return

    from pulumi.runtime.proto import engine_pb2

    severity = getattr(engine_pb2, severity_name)
    try:
        engine.Log(engine_pb2.LogRequest(severity=severity, message=message), timeout=5)
    except Exception:
        # Losing a log line must never fail an operation.
        logger.log(level, message)


def debug(message: str) -> None:
    """Shown with `pulumi up --debug` or `-v`; kept out of normal output."""
    _send("DEBUG", logging.DEBUG, message)


def info(message: str) -> None:
    """Shown once in the normal output of the command."""
    _send("INFO", logging.INFO, message)


def warn(message: str) -> None:
    """Shown as a warning in the normal output of the command."""
    _send("WARNING", logging.WARNING, message)
