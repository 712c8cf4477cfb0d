"""Clusters given by name, and exclusive mode, through the real Pulumi engine."""

from __future__ import annotations

import json

import pytest
from pulumi import automation as auto

from ocp_provider.models import ObLink

from .conftest import writes
from .engine_driver import Driver

pytestmark = pytest.mark.engine

SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"


def test_clusters_given_by_name_are_looked_up_once_and_stay_names(driver: Driver) -> None:
    links = [{"cluster_name": "ob-staging"}, {"cluster_name": "ob-dev"}]
    driver.declare_by_name(links, obproxy_cluster_name="obproxy-staging")

    driver.stack.preview(color="never")
    assert driver.ocp.store.requests() == []

    driver.stack.up(color="never")
    calls = [(r.method, r.path) for r in driver.ocp.store.requests()]
    assert calls == [
        ("GET", "/api/v2/obproxy/clusters"),
        ("GET", "/api/v2/obproxy/clusters/2"),
        ("GET", "/api/v2/ob/clusters"),
        ("GET", "/api/v2/ob/clusters"),
        ("POST", "/api/v2/obproxy/clusters/2/obLinks/batchAdd"),
    ]
    assert driver.links_in_ocp() == {"ob-staging": 2001, "ob-dev": 3001}
    outputs = driver.outputs()
    assert outputs["obproxyClusterId"] == 2
    assert outputs["links"]["ob-dev"]["ob_cluster_id"] == 3001

    # Nothing to look up again: the ids are in state, and a refresh keeps the names as names.
    driver.ocp.store.clear_requests()
    driver.stack.up(expect_no_changes=True, color="never")
    driver.stack.refresh(expect_no_changes=True, color="never")
    driver.stack.preview(expect_no_changes=True, color="never")
    assert writes(driver.ocp) == []

    driver.declare_by_name(
        [*links, {"cluster_name": "ob-report"}], obproxy_cluster_name="obproxy-staging"
    )
    shown = driver.stack.preview(diff=True, color="never").stdout
    # The engine predicts a previewed update's outputs from its inputs, so the stack outputs
    # section below the resource's own diff lacks the ids: only the resource's diff is checked.
    resource_diff = shown.split("--outputs:--")[0]
    assert "+ ob-report" in resource_diff
    assert "ob_cluster_id" not in resource_diff, shown


def test_a_name_that_matches_nothing_fails_up_with_close_matches_and_writes_nothing(
    driver: Driver,
) -> None:
    driver.declare_by_name(
        [{"cluster_name": "ob-reprot"}, {"cluster_name": "ob-legacy"}], obproxy_cluster_id=2
    )

    with pytest.raises(auto.CommandError) as caught:
        driver.stack.up(color="never")

    message = str(caught.value)
    assert "OCP has no OceanBase cluster named 'ob-reprot'. Close matches: 'ob-report'" in message
    assert "2 OceanBase clusters in OCP are named 'ob-legacy'" in message
    assert "Declare ob_cluster_id" in message
    assert writes(driver.ocp) == []
    assert driver.links_in_ocp() == {}


def test_exclusive_mode_removes_undeclared_links_and_previews_say_which(driver: Driver) -> None:
    # obproxy-prod holds ob-archive, made outside the stack.
    declared = [{"cluster_name": "ob-report"}]
    driver.declare_by_name(declared, obproxy_cluster_id=1, exclusive=True)

    preview = driver.stack.preview(color="never")
    assert "exclusive mode will remove the obLinks the stack does not declare: ob-archive" in (
        preview.stdout
    )
    assert writes(driver.ocp) == []

    driver.stack.up(color="never")
    assert driver.links_in_ocp(1) == {"ob-report": 1003}

    # A link added by hand later is named by the next preview and removed by the next up.
    driver.ocp.store.add_links(1, [ObLink(cluster_name="ob-dev", ob_cluster_id=3001)])
    driver.ocp.store.clear_requests()
    preview = driver.stack.preview(color="never")
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1
    assert "will remove the obLinks the stack does not declare: ob-dev" in preview.stdout
    assert writes(driver.ocp) == []

    driver.stack.up(color="never")
    assert writes(driver.ocp) == [("DELETE", "/api/v2/obproxy/clusters/1/obLinks/ob-dev")]
    assert driver.links_in_ocp(1) == {"ob-report": 1003}
    driver.stack.preview(expect_no_changes=True, color="never")


def test_additive_mode_reports_undeclared_links_on_refresh_and_leaves_them(
    driver: Driver,
) -> None:
    driver.declare_by_name([{"cluster_name": "ob-report"}], obproxy_cluster_id=1)
    driver.stack.up(color="never")
    assert driver.outputs()["undeclaredLinks"] == ["ob-archive"]

    driver.ocp.store.add_links(1, [ObLink(cluster_name="ob-dev", ob_cluster_id=3001)])
    driver.stack.refresh(color="never")

    assert driver.resource_state()["undeclared_links"] == ["ob-archive", "ob-dev"]
    driver.ocp.store.clear_requests()
    driver.stack.up(color="never")
    assert writes(driver.ocp) == []
    assert set(driver.links_in_ocp(1)) == {"ob-archive", "ob-dev", "ob-report"}


def test_following_an_obproxy_cluster_renamed_in_ocp_keeps_every_link(driver: Driver) -> None:
    links = [{"cluster_name": "ob-staging"}, {"cluster_name": "ob-dev"}]
    driver.declare_by_name(links, obproxy_cluster_name="obproxy-staging")
    driver.stack.up(color="never")
    driver.ocp.store.rename_obproxy_cluster(2, "obproxy-stg")

    driver.declare_by_name(links, obproxy_cluster_name="obproxy-stg")
    up = driver.stack.up(color="never")

    assert up.summary.resource_changes == {"update": 1, "same": 1}
    assert writes(driver.ocp) == []
    assert driver.links_in_ocp() == {"ob-staging": 2001, "ob-dev": 3001}
    driver.stack.preview(expect_no_changes=True, color="never")


def test_cluster_names_stay_secret_when_links_and_name_lists_are_marked(driver: Driver) -> None:
    driver.declare_by_name([{"cluster_name": "ob-report"}], obproxy_cluster_id=1)
    driver.stack.set_config(
        "secretOutputs",
        auto.ConfigValue('["adopted_links", "looked_up_links", "undeclared_links"]'),
    )

    driver.stack.up(color="never")
    driver.stack.refresh(color="never")

    # Secrets in the state: exported with their plaintext, but under Pulumi's secret signature,
    # so that the state file holds them encrypted.
    state = driver.resource_state()
    for key in ("links", "adopted_links", "looked_up_links", "undeclared_links"):
        assert SECRET_SIGNATURE in state[key], key
    assert json.loads(state["undeclared_links"]["plaintext"]) == ["ob-archive"]
    files = [p.read_text() for p in driver.state_dir.rglob("*.json")]
    assert files and not any("ob-archive" in text for text in files)
