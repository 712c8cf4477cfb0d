"""Shared fixtures: an embedded OCP server on 127.0.0.1 per test, and clients for it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pydantic import SecretStr

from ocp_provider.client import OcpClient
from ocp_provider.config import OcpSettings
from ocp_provider.provider import ObLinksProvider
from ocp_provider.simulator import EmbeddedOcpServer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "ocp-seed.json"
USERNAME = "ocp-test-admin"
# Distinctive, so that a leak anywhere is easy to grep for.
PASSWORD = "Pw-7f3c1e9a-never-leak"

sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture
def ocp() -> Iterator[EmbeddedOcpServer]:
    with EmbeddedOcpServer(username=USERNAME, password=PASSWORD, seed=SEED) as server:
        yield server


@pytest.fixture
def settings(ocp: EmbeddedOcpServer) -> OcpSettings:
    return OcpSettings(url=ocp.url, username=USERNAME, password=SecretStr(PASSWORD))


@pytest.fixture
def client(settings: OcpSettings) -> Iterator[OcpClient]:
    with OcpClient(settings) as ocp_client:
        yield ocp_client


def configured(url: str, password: str = PASSWORD) -> ObLinksProvider:
    """A provider configured as the engine would configure it from stack config."""
    provider = ObLinksProvider()
    config = {"ocp:url": url, "ocp:username": USERNAME, "ocp:password": password}
    provider.configure(ConfigureRequest(Config(config, "ocp-provider")))
    return provider


@pytest.fixture
def provider(ocp: EmbeddedOcpServer) -> ObLinksProvider:
    return configured(ocp.url)


@pytest.fixture
def ocp_env(ocp: EmbeddedOcpServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The OCP_* environment pointing at the embedded server, as a user would export it."""
    env = {"OCP_URL": ocp.url, "OCP_USERNAME": USERNAME, "OCP_PASSWORD": PASSWORD}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def driver(ocp: EmbeddedOcpServer, tmp_path: Path) -> Any:
    """A fresh stack of tests/programs/oblinks, run by the real engine against `ocp`."""
    from .engine_driver import start_driver

    return start_driver(ocp, tmp_path)


FAULT_RESULTS: list[tuple[str, str, int]] = []
"""(operation, fault, failed runs before convergence) for each case of the fault matrix."""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FAULT_RESULTS:
        return
    first_time = sum(1 for _, _, failed in FAULT_RESULTS if failed == 0)
    terminalreporter.write_line(
        f"fault matrix: {len(FAULT_RESULTS)} cases converged, {first_time} without a failed run, "
        f"{len(FAULT_RESULTS) - first_time} after one re-run"
    )
    for operation, fault, failed in FAULT_RESULTS:
        if failed:
            terminalreporter.write_line(f"  re-run needed: {operation} under {fault}")


def writes(server: EmbeddedOcpServer) -> list[tuple[str, str]]:
    """The write calls the server answered, as (method, path)."""
    return [(r.method, r.path) for r in server.store.requests() if r.method != "GET"]
