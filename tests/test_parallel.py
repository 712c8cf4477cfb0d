"""Many resources at once through the real engine, which runs their operations in parallel."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from ocp_provider.simulator import EmbeddedOcpServer
from ocp_provider.simulator.store import synthetic_seed

from .conftest import PASSWORD, USERNAME
from .engine_driver import Driver, start_driver

pytestmark = pytest.mark.engine


@pytest.fixture
def big_ocp() -> Iterator[EmbeddedOcpServer]:
    seed = synthetic_seed(obproxy_clusters=12, ob_clusters=40)
    with EmbeddedOcpServer(username=USERNAME, password=PASSWORD, seed=seed) as server:
        yield server


def declare(driver: Driver, resources: list[dict[str, Any]]) -> None:
    driver.stack.set_config("resources", auto.ConfigValue(json.dumps(resources)))
    driver.ocp.store.clear_requests()


def resource(name: str, proxy: int, *ob_clusters: int) -> dict[str, Any]:
    links = [{"cluster_name": f"ob-{j}", "ob_cluster_id": 100000 + j} for j in ob_clusters]
    return {"name": name, "obproxyClusterId": proxy, "links": links}


def held(ocp: EmbeddedOcpServer, proxy: int) -> list[str]:
    return sorted(link.cluster_name for link in ocp.store.links(proxy))


def test_many_resources_and_two_on_one_obproxy_cluster(
    big_ocp: EmbeddedOcpServer, tmp_path: Path
) -> None:
    driver = start_driver(big_ocp, tmp_path, program="many")
    resources = [resource(f"proxy-{i}", i, *range(3 * i, 3 * i + 3)) for i in range(1, 11)]
    shared_a = resource("shared-a", 11, 1, 2)
    shared_b = resource("shared-b", 11, 3, 4)
    declare(driver, [*resources, shared_a, shared_b])

    up = driver.stack.up(color="never")

    assert up.summary.resource_changes == {"create": 13}
    for i in range(1, 11):
        assert held(big_ocp, i) == sorted(f"ob-{j}" for j in range(3 * i, 3 * i + 3))
    assert held(big_ocp, 11) == ["ob-1", "ob-2", "ob-3", "ob-4"]

    # Each of the two resources on cluster 11 changes; neither undoes the other.
    declare(driver, [*resources, resource("shared-a", 11, 1, 5), resource("shared-b", 11, 3, 4, 6)])
    driver.stack.up(color="never")
    assert held(big_ocp, 11) == ["ob-1", "ob-3", "ob-4", "ob-5", "ob-6"]

    driver.stack.preview(expect_no_changes=True, color="never")
    driver.stack.destroy(color="never")
    assert all(held(big_ocp, i) == [] for i in range(1, 12))
