"""The whole lifecycle through the real Pulumi engine (CLI and Python language host).

Each test drives the program in tests/programs/oblinks with `pulumi.automation`, keeps state in
a local file backend, and counts the calls the embedded OCP server answers.
"""

from __future__ import annotations

import json

import pytest
from pulumi import automation as auto

from .conftest import PASSWORD, writes
from .engine_driver import Driver

pytestmark = pytest.mark.engine

BATCH_ADD = ("POST", "/api/v2/obproxy/clusters/2/obLinks/batchAdd")


def test_preview_up_and_no_change(driver: Driver) -> None:
    driver.declare(("ob-staging", 2001), ("ob-dev", 3001))

    preview = driver.stack.preview(color="never")
    assert preview.change_summary.get(auto.OpType.CREATE) == 2  # the stack and the links
    assert driver.ocp.store.requests() == []

    up = driver.stack.up(color="never")
    assert up.summary.resource_changes == {"create": 2}
    requests_made = driver.ocp.store.requests()
    assert [(r.method, r.path) for r in requests_made] == [
        ("GET", "/api/v2/obproxy/clusters/2"),
        BATCH_ADD,
    ]
    assert driver.links_in_ocp() == {"ob-staging": 2001, "ob-dev": 3001}
    assert driver.outputs()["traceId"] == requests_made[1].trace_id

    driver.ocp.store.clear_requests()
    driver.stack.preview(expect_no_changes=True, color="never")
    up_again = driver.stack.up(expect_no_changes=True, color="never")
    assert up_again.summary.resource_changes == {"same": 2}
    assert driver.ocp.store.requests() == []

    exported = json.dumps(driver.stack.export_stack().deployment)
    assert PASSWORD not in exported


def test_add_remove_and_reorder(driver: Driver) -> None:
    driver.declare(("ob-staging", 2001), ("ob-dev", 3001))
    driver.stack.up(color="never")

    driver.declare(("ob-staging", 2001), ("ob-dev", 3001), ("ob-report", 1003))
    driver.stack.up(color="never")
    batch_adds = [r for r in driver.ocp.store.requests() if r.method == "POST"]
    assert writes(driver.ocp) == [BATCH_ADD]
    assert batch_adds[0].body == [
        {"clusterName": "ob-report", "obClusterId": 1003, "username": "proxyro"}
    ]
    assert driver.outputs()["traceId"] == batch_adds[0].trace_id

    driver.declare(("ob-staging", 2001), ("ob-report", 1003))
    driver.stack.up(color="never")
    assert writes(driver.ocp) == [("DELETE", "/api/v2/obproxy/clusters/2/obLinks/ob-dev")]
    assert driver.links_in_ocp() == {"ob-staging": 2001, "ob-report": 1003}

    driver.declare(("ob-report", 1003), ("ob-staging", 2001))
    driver.stack.preview(expect_no_changes=True, color="never")
    driver.stack.up(expect_no_changes=True, color="never")
    assert driver.ocp.store.requests() == []


def test_refresh_finds_drift_and_up_restores(driver: Driver) -> None:
    driver.declare(("ob-staging", 2001), ("ob-dev", 3001))
    driver.stack.up(color="never")
    driver.ocp.store.remove_link(2, "ob-dev")
    driver.ocp.store.clear_requests()

    refresh = driver.stack.refresh(color="never")

    assert refresh.summary.resource_changes == {"same": 1, "update": 1}
    assert [(r.method, r.path) for r in driver.ocp.store.requests()] == [
        ("GET", "/api/v2/obproxy/clusters/2")
    ]
    assert list(driver.resource_state()["links"]) == ["ob-staging"]

    driver.ocp.store.clear_requests()
    driver.stack.up(color="never")
    assert writes(driver.ocp) == [BATCH_ADD]
    assert driver.links_in_ocp() == {"ob-staging": 2001, "ob-dev": 3001}
    driver.stack.preview(expect_no_changes=True, color="never")


def test_adopts_links_made_by_hand_and_destroy_removes_only_managed_ones(driver: Driver) -> None:
    driver.declare(("ob-archive", 1004), ("ob-report", 1003), obproxy_cluster_id=1)

    driver.stack.up(color="never")
    assert driver.outputs()["adoptedLinks"] == ["ob-archive"]
    batch_adds = [r for r in driver.ocp.store.requests() if r.method == "POST"]
    assert [r.body for r in batch_adds] == [
        [{"clusterName": "ob-report", "obClusterId": 1003, "username": "proxyro"}]
    ]

    driver.ocp.store.clear_requests()
    driver.stack.destroy(color="never")
    assert sorted(writes(driver.ocp)) == [
        ("DELETE", "/api/v2/obproxy/clusters/1/obLinks/ob-archive"),
        ("DELETE", "/api/v2/obproxy/clusters/1/obLinks/ob-report"),
    ]
    assert driver.links_in_ocp(1) == {}


def test_destroy_leaves_links_the_stack_does_not_declare(driver: Driver) -> None:
    driver.declare(("ob-report", 1003), obproxy_cluster_id=1)
    driver.stack.up(color="never")

    driver.stack.destroy(color="never")

    assert driver.links_in_ocp(1) == {"ob-archive": 1004}


def test_bad_input_fails_the_preview_with_the_property_path(driver: Driver) -> None:
    driver.declare(("ob-staging", 2001), ("ob-staging", 2001))

    with pytest.raises(auto.CommandError) as caught:
        driver.stack.preview(color="never")

    assert "links[1].cluster_name" in str(caught.value)
    assert "declare it once" in str(caught.value)
    assert driver.ocp.store.requests() == []


def test_preview_diff_names_each_link_by_cluster_name(driver: Driver) -> None:
    driver.declare(("ob-staging", 2001), ("ob-dev", 3001))
    driver.stack.up(color="never")
    changed = [
        {"cluster_name": "ob-staging", "ob_cluster_id": 2001, "username": "proxy_admin"},
        {"cluster_name": "ob-report", "ob_cluster_id": 1003},
    ]
    driver.declare_raw(2, changed)

    preview = driver.stack.preview(diff=True, color="never")

    shown = preview.stdout
    assert "+ ob-report" in shown
    assert "- ob-dev" in shown
    assert "~ ob-staging" in shown and '"proxyro" => "proxy_admin"' in shown
    assert "[0]" not in shown and "[1]" not in shown
    assert driver.ocp.store.requests() == []
