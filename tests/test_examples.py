"""Every program in examples/ runs through the real engine against the embedded OCP server."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, ROOT, USERNAME

pytestmark = pytest.mark.engine


def run_example(name: str, ocp: EmbeddedOcpServer, tmp_path: Path) -> auto.Stack:
    from local_engine import select_stack

    work_dir = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, work_dir)
    env = {"OCP_URL": ocp.url, "OCP_USERNAME": USERNAME, "OCP_PASSWORD": PASSWORD}
    stack = select_stack(work_dir, "dev", tmp_path / "state", env)
    stack.up(color="never")
    return stack


def outputs(stack: auto.Stack) -> dict[str, Any]:
    return {key: value.value for key, value in stack.outputs().items()}


def held(ocp: EmbeddedOcpServer, obproxy_cluster_id: int) -> dict[str, int]:
    return {x.cluster_name: x.ob_cluster_id for x in ocp.store.links(obproxy_cluster_id)}


def test_basic(ocp: EmbeddedOcpServer, tmp_path: Path) -> None:
    stack = run_example("basic", ocp, tmp_path)

    assert held(ocp, 2) == {"ob-staging": 2001, "ob-report": 1003}
    assert set(outputs(stack)["links"]) == {"ob-staging", "ob-report"}
    stack.destroy(color="never")
    assert held(ocp, 2) == {}


def test_multi_cluster_from_structured_config(ocp: EmbeddedOcpServer, tmp_path: Path) -> None:
    stack = run_example("multi-cluster", ocp, tmp_path)

    # obproxy-prod is exclusive: the link to ob-archive made by hand is gone.
    assert held(ocp, 1) == {"ob-prod-hz": 1001, "ob-prod-sh": 1002}
    assert held(ocp, 2) == {"ob-legacy": 4001, "ob-staging": 2001, "ob-report": 1003}
    assert held(ocp, 3) == {"ob-dev": 3001}
    assert outputs(stack)["obproxy-staging"]["ob-report"]["ob_cluster_id"] == 1003
    stack.refresh(expect_no_changes=True, color="never")
    stack.preview(expect_no_changes=True, color="never")
    stack.destroy(color="never")
    assert held(ocp, 1) == {} and held(ocp, 2) == {}


def test_adoption_of_links_made_by_hand(ocp: EmbeddedOcpServer, tmp_path: Path) -> None:
    stack = run_example("adoption", ocp, tmp_path)

    assert outputs(stack)["adoptedLinks"] == ["ob-archive"]
    batch_adds = [r.body for r in ocp.store.requests() if r.method == "POST"]
    assert batch_adds == [
        [{"clusterName": "ob-report", "obClusterId": 1003, "username": "proxyro"}]
    ]
    stack.destroy(color="never")
    assert held(ocp, 1) == {}


def test_composition_with_a_lookup(ocp: EmbeddedOcpServer, tmp_path: Path) -> None:
    stack = run_example("composition", ocp, tmp_path)

    result = outputs(stack)
    assert result["obproxyAddress"] == "obproxy-staging.db.example.internal"
    assert result["appSettings"] == {
        name: {
            "host": "obproxy-staging.db.example.internal",
            "port": 2883,
            "user": f"app@app_tenant#{name}",
        }
        for name in ("ob-report", "ob-staging")
    }
    assert result["reportVersion"] == "4.3.5.1"
    assert held(ocp, 2) == {"ob-staging": 2001, "ob-report": 1003}
