"""An embedded OCP server for local development and tests: FastAPI on uvicorn, state in SQLite."""

from .server import EmbeddedOcpServer
from .store import LoggedRequest, OcpStore

__all__ = ["EmbeddedOcpServer", "LoggedRequest", "OcpStore"]
