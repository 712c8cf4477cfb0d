"""The password never surfaces: not in state, the provider blob, logs at the highest verbosity,
error messages, or any file the engine writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD
from .engine_driver import Driver, start_driver

pytestmark = pytest.mark.engine

WRONG_PASSWORD = "Wrong-3b9d27c1-never-leak"
VERBOSE: dict[str, Any] = {
    "color": "never",
    "debug": True,
    "log_verbosity": 11,
    "log_to_std_err": True,
    "log_flow": True,
}


def occurrences(secret: str, texts: list[str], root: Path) -> list[str]:
    """Where `secret` appears: among `texts` (by index) and in files below `root`."""
    state_files = [p for p in root.rglob("*.json") if ".pulumi" in p.parts and "stacks" in p.parts]
    assert state_files, "the search must cover the Pulumi state files"
    found = [
        f"text #{i}: {text[max(0, text.find(secret) - 150) : text.find(secret)]}"
        for i, text in enumerate(texts)
        if secret in text
    ]
    for path in root.rglob("*"):
        if path.is_file() and secret.encode() in path.read_bytes():
            found.append(str(path.relative_to(root)))
    return found


def exercise(driver: Driver, **options: Any) -> list[str]:
    """Create, refresh and update through the engine; returns everything it printed."""
    texts: list[str] = []
    driver.declare(("ob-staging", 2001), ("ob-dev", 3001))
    result: Any = driver.stack.up(on_output=texts.append, **options)
    texts += [result.stdout, result.stderr]
    result = driver.stack.refresh(**options)
    texts += [result.stdout, result.stderr]
    driver.declare(("ob-staging", 2001))
    result = driver.stack.up(**options)
    texts += [result.stdout, result.stderr]
    # Not export_stack(): the Automation API exports with --show-secrets. The state files
    # themselves are searched by occurrences().
    assert driver.links_in_ocp() == {"ob-staging": 2001}
    return texts


def test_password_from_the_environment_appears_nowhere_even_at_top_verbosity(
    ocp: EmbeddedOcpServer, tmp_path: Path
) -> None:
    driver = start_driver(ocp, tmp_path)

    texts = exercise(driver, **VERBOSE)

    joined = "\n".join(texts)
    assert "OCP GET /api/v2/obproxy/clusters/2 -> 200 traceId=" in joined  # our debug log
    assert "Marshaling property for RPC" in joined  # the engine's own most verbose lines
    assert occurrences(PASSWORD, texts, tmp_path) == []


def test_password_from_secret_stack_config_appears_nowhere(
    ocp: EmbeddedOcpServer, tmp_path: Path
) -> None:
    driver = start_driver(ocp, tmp_path, {"OCP_PASSWORD": ""})
    driver.stack.set_config("ocp:password", auto.ConfigValue(PASSWORD, secret=True))

    texts = exercise(driver, color="never", debug=True)

    assert "OCP GET /api/v2/obproxy/clusters/2 -> 200 traceId=" in "\n".join(texts)
    assert occurrences(PASSWORD, texts, tmp_path) == []


def test_a_refused_password_is_not_repeated_in_the_error(
    ocp: EmbeddedOcpServer, tmp_path: Path
) -> None:
    driver = start_driver(ocp, tmp_path, {"OCP_PASSWORD": WRONG_PASSWORD})
    driver.declare(("ob-staging", 2001))

    with pytest.raises(auto.CommandError) as caught:
        driver.stack.up(**VERBOSE)

    message = str(caught.value)
    assert "HTTP 401" in message and "traceId" in message
    assert "ocp:username and ocp:password" in message
    assert occurrences(WRONG_PASSWORD, [message], tmp_path) == []
