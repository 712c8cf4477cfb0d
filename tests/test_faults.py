"""The fault matrix: every fault kind the embedded OCP server injects, against create, update,
delete and refresh, through the real Pulumi engine.

Each case must end with OCP holding exactly the declared links, within one re-run of the
failed command, and any error on the way must say what failed and what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from ocp_provider.simulator import EmbeddedOcpServer
from ocp_provider.simulator.faults import Fault

from .conftest import FAULT_RESULTS, PASSWORD
from .engine_driver import Driver, start_driver

pytestmark = pytest.mark.engine

# With a 6 s deadline per operation no single call may wait more than 2 s for an answer, so a
# 4 s stall is a timeout.
DEADLINE_ENV = {"OCP_TIMEOUT_SECONDS": "6"}

FAULTS: dict[str, dict[str, Any]] = {
    "latency": {"kind": "latency", "seconds": 0.5},
    "http-500": {"kind": "status", "status": 500},
    "http-502": {"kind": "status", "status": 502},
    "http-503": {"kind": "status", "status": 503},
    "http-504": {"kind": "status", "status": 504},
    "http-429": {"kind": "status", "status": 429, "retry_after": 1},
    "reset-before-applied": {"kind": "disconnect_before"},
    "reset-after-applied": {"kind": "disconnect_after"},
    "timeout-after-applied": {"kind": "timeout_after", "seconds": 4},
    "not-json": {"kind": "not_json"},
    "unsuccessful-under-200": {"kind": "unsuccessful"},
}

BATCH_ADD_PATH = "/api/v2/obproxy/clusters/*/obLinks/batchAdd"
DELETE_PATH = "/api/v2/obproxy/clusters/*/obLinks/*"
READ_PATH = "/api/v2/obproxy/clusters/*"


def inject(ocp: EmbeddedOcpServer, fault: str, method: str, path: str) -> None:
    ocp.faults.add(Fault(method=method, path=path, **FAULTS[fault]))


def converge(action: Callable[[], Any]) -> list[str]:
    """Runs `action`, and once more if it failed; returns the errors seen on the way."""
    errors = []
    for _ in range(2):
        try:
            action()
            return errors
        except auto.CommandError as exc:
            errors.append(str(exc))
    pytest.fail("did not converge in two runs:\n" + "\n---\n".join(errors))


def assert_clear(errors: list[str]) -> None:
    for error in errors:
        assert PASSWORD not in error
        assert "OCP " in error and "failed" in error, error
        assert "run `pulumi up` again" in error or "Raise ocp:timeoutSeconds" in error, error


def assert_fault_hit(ocp: EmbeddedOcpServer, method: str) -> None:
    assert any(r.fault and r.method == method for r in ocp.store.requests())


def assert_no_blind_resend(ocp: EmbeddedOcpServer) -> None:
    """After a batchAdd whose outcome is unknown, the provider reads before it writes again."""
    requests_made = ocp.store.requests()
    for index, request in enumerate(requests_made):
        answered_ok = request.status == 200 and request.fault in (None, "latency")
        if request.method != "POST" or answered_ok:
            continue
        later = requests_made[index + 1 :]
        next_post = next((i for i, r in enumerate(later) if r.method == "POST"), None)
        if next_post is not None:
            assert any(r.method == "GET" for r in later[:next_post]), requests_made


@pytest.fixture
def faulty(ocp: EmbeddedOcpServer, tmp_path: Path) -> Driver:
    return start_driver(ocp, tmp_path, DEADLINE_ENV)


@pytest.mark.parametrize("fault", FAULTS)
def test_create_survives(faulty: Driver, fault: str) -> None:
    faulty.declare(("ob-staging", 2001), ("ob-dev", 3001))
    inject(faulty.ocp, fault, "POST", BATCH_ADD_PATH)

    errors = converge(lambda: faulty.stack.up(color="never"))

    FAULT_RESULTS.append(("create", fault, len(errors)))
    assert_clear(errors)
    assert faulty.links_in_ocp() == {"ob-staging": 2001, "ob-dev": 3001}
    assert_fault_hit(faulty.ocp, "POST")
    assert_no_blind_resend(faulty.ocp)
    faulty.stack.preview(expect_no_changes=True, color="never")


@pytest.mark.parametrize("fault", FAULTS)
def test_update_survives(faulty: Driver, fault: str) -> None:
    faulty.declare(("ob-staging", 2001), ("ob-report", 1003))
    faulty.stack.up(color="never")
    faulty.declare(("ob-report", 1003), ("ob-dev", 3001))
    inject(faulty.ocp, fault, "POST", BATCH_ADD_PATH)
    inject(faulty.ocp, fault, "DELETE", DELETE_PATH)

    errors = converge(lambda: faulty.stack.up(color="never"))

    FAULT_RESULTS.append(("update", fault, len(errors)))
    assert_clear(errors)
    assert faulty.links_in_ocp() == {"ob-report": 1003, "ob-dev": 3001}
    assert_fault_hit(faulty.ocp, "POST")
    assert_fault_hit(faulty.ocp, "DELETE")
    assert_no_blind_resend(faulty.ocp)
    faulty.stack.preview(expect_no_changes=True, color="never")


@pytest.mark.parametrize("fault", FAULTS)
def test_delete_survives(faulty: Driver, fault: str) -> None:
    faulty.declare(("ob-staging", 2001), ("ob-dev", 3001))
    faulty.stack.up(color="never")
    inject(faulty.ocp, fault, "DELETE", DELETE_PATH)

    errors = converge(lambda: faulty.stack.destroy(color="never"))

    FAULT_RESULTS.append(("delete", fault, len(errors)))
    assert_clear(errors)
    assert faulty.links_in_ocp() == {}
    assert_fault_hit(faulty.ocp, "DELETE")


@pytest.mark.parametrize("fault", FAULTS)
def test_refresh_survives(faulty: Driver, fault: str) -> None:
    faulty.declare(("ob-staging", 2001), ("ob-dev", 3001))
    faulty.stack.up(color="never")
    faulty.ocp.store.remove_link(2, "ob-dev")
    inject(faulty.ocp, fault, "GET", READ_PATH)

    errors = converge(lambda: faulty.stack.refresh(color="never"))

    FAULT_RESULTS.append(("refresh", fault, len(errors)))
    assert_clear(errors)
    assert list(faulty.resource_state()["links"]) == ["ob-staging"]
    assert_fault_hit(faulty.ocp, "GET")
    faulty.stack.up(color="never")
    assert faulty.links_in_ocp() == {"ob-staging": 2001, "ob-dev": 3001}
