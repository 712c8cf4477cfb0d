"""A dynamic resource that does nothing: the engine's own cost, for the benchmark's ratios.

It has the shape of ObProxyObLinks: the same input and output properties, links kept as a map
keyed by name, so that the engine moves as much data for it as for the real resource. What it
leaves out is exactly what ocp-provider adds: validation, OCP calls and logging.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

OUTPUTS = {
    "trace_id": "0123456789abcdef",
    "server": "127.0.0.1",
    "timestamp": "2026-01-01T00:00:00.000+00:00",
    "obproxy_cluster_looked_up": False,
    "adopted_links": [],
    "looked_up_links": [],
    "undeclared_links": [],
    "exclusive": False,
}


class NoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {k: v for k, v in news.items() if k != "__provider" and v is not None}
        links = inputs.get("links")
        if isinstance(links, list):
            inputs["links"] = {
                link["cluster_name"]: {
                    "ob_cluster_id": link["ob_cluster_id"],
                    "username": link.get("username", "proxyro"),
                }
                for link in links
            }
        return CheckResult(inputs, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = any(olds.get(key) != news.get(key) for key in ("obproxy_cluster_id", "links"))
        return DiffResult(changes=changed)

    def create(self, props: dict[str, Any]) -> CreateResult:
        name = f"obproxy-{props['obproxy_cluster_id']}"
        return CreateResult(uuid.uuid4().hex, {**OUTPUTS, **props, "obproxy_cluster_name": name})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(
            {**OUTPUTS, **news, "obproxy_cluster_name": olds.get("obproxy_cluster_name")}
        )


class NoopLinks(Resource, module="bench", name="NoopLinks"):
    def __init__(self, name: str, *, obproxy_cluster_id: Any, links: Any) -> None:
        props: dict[str, Any] = {
            "obproxy_cluster_id": obproxy_cluster_id,
            "obproxy_cluster_name": None,
            "links": links,
            "exclusive": None,
            **{key: None for key in OUTPUTS if key != "exclusive"},
        }
        super().__init__(NoopProvider(), name, props, pulumi.ResourceOptions())
