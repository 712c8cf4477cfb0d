"""A dynamic resource that does nothing: the engine's own cost, for the benchmark's ratios."""

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


class NoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult({k: v for k, v in news.items() if k != "__provider"}, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = any(olds.get(key) != news.get(key) for key in ("obproxy_cluster_id", "links"))
        return DiffResult(changes=changed)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(uuid.uuid4().hex, props)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(news)


class NoopLinks(Resource, module="bench", name="NoopLinks"):
    def __init__(self, name: str, *, obproxy_cluster_id: Any, links: Any) -> None:
        props = {"obproxy_cluster_id": obproxy_cluster_id, "links": links}
        super().__init__(NoopProvider(), name, props, pulumi.ResourceOptions())
