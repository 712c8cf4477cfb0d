"""Drives the test program through the real Pulumi engine, against the embedded OCP server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, USERNAME

PROGRAMS = Path(__file__).parent / "programs"


class Driver:
    """One stack of the test program, and the OCP it talks to."""

    def __init__(self, stack: auto.Stack, ocp: EmbeddedOcpServer, state_dir: Path) -> None:
        self.stack = stack
        self.ocp = ocp
        self.state_dir = state_dir

    def declare(self, *links: tuple[str, int], obproxy_cluster_id: int = 2) -> None:
        declared = [{"cluster_name": name, "ob_cluster_id": ob_id} for name, ob_id in links]
        self.declare_raw(obproxy_cluster_id, declared)

    def declare_raw(self, obproxy_cluster_id: Any, links: Any) -> None:
        """Sets the program's inputs to these JSON values, whatever they are."""
        self.stack.set_config("obproxyClusterId", auto.ConfigValue(json.dumps(obproxy_cluster_id)))
        self.stack.set_config("links", auto.ConfigValue(json.dumps(links)))
        self.ocp.store.clear_requests()

    def declare_by_name(
        self,
        links: list[dict[str, Any]],
        *,
        obproxy_cluster_name: str | None = None,
        obproxy_cluster_id: int | None = None,
        exclusive: bool | None = None,
    ) -> None:
        """Sets every input of the program; an input given as None is left out."""
        values = {
            "obproxyClusterId": obproxy_cluster_id,
            "obproxyClusterName": obproxy_cluster_name,
            "exclusive": exclusive,
        }
        for key, value in values.items():
            if value is None:
                self.stack.remove_config(key)
            else:
                text = value if isinstance(value, str) else json.dumps(value)
                self.stack.set_config(key, auto.ConfigValue(text))
        self.stack.set_config("links", auto.ConfigValue(json.dumps(links)))
        self.ocp.store.clear_requests()

    def links_in_ocp(self, obproxy_cluster_id: int = 2) -> dict[str, int]:
        return {x.cluster_name: x.ob_cluster_id for x in self.ocp.store.links(obproxy_cluster_id)}

    def outputs(self) -> dict[str, Any]:
        return {key: value.value for key, value in self.stack.outputs().items()}

    def resource_state(self) -> dict[str, Any]:
        """The ObProxyObLinks resource's outputs as the state holds them (refresh updates these)."""
        resources = self.stack.export_stack().deployment["resources"]
        (oblinks,) = [r for r in resources if r["type"].endswith(":ObProxyObLinks")]
        return dict(oblinks["outputs"])


def start_driver(
    ocp: EmbeddedOcpServer,
    tmp_path: Path,
    extra_env: dict[str, str] | None = None,
    program: str = "oblinks",
) -> Driver:
    """A fresh stack of a program of tests/programs in `tmp_path`, talking to `ocp`."""
    from local_engine import select_stack

    work_dir = tmp_path / "program"
    shutil.copytree(PROGRAMS / program, work_dir)
    env = {
        "OCP_URL": ocp.url,
        "OCP_USERNAME": USERNAME,
        "OCP_PASSWORD": PASSWORD,
        # Whatever the shell exported must not decide how the tests authenticate.
        "OCP_ACCESS_KEY_ID": "",
        "OCP_ACCESS_KEY_SECRET": "",
    }
    state_dir = tmp_path / "state"
    stack = select_stack(work_dir, "test", state_dir, {**env, **(extra_env or {})})
    return Driver(stack, ocp, state_dir)
