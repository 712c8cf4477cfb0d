"""ObProxyObLinks: the Pulumi resource that programs declare."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .provider import ObLinksProvider


@dataclass(frozen=True)
class ObLinkArgs:
    """One OceanBase cluster an OBProxy cluster may route to."""

    cluster_name: pulumi.Input[str]
    """The OceanBase cluster's name as OCP shows it; links are keyed by it."""

    ob_cluster_id: pulumi.Input[int] | None = None
    """The OceanBase cluster's own id (OCP's `obClusterId`); left out, it is looked up by
    `cluster_name` in OCP's list of OceanBase clusters when the link is added."""

    username: pulumi.Input[str] | None = None
    """The proxy user OBProxy connects as; `proxyro` when left out."""

    cluster_id: pulumi.Input[int] | None = None
    """OCP's own id of the OceanBase cluster, sent along as OCP's sample body does; optional."""


LinkInput = ObLinkArgs | Mapping[str, Any]


def _link_props(link: Any) -> Any:
    if isinstance(link, ObLinkArgs):
        fields = {
            "cluster_name": link.cluster_name,
            "ob_cluster_id": link.ob_cluster_id,
            "username": link.username,
            "cluster_id": link.cluster_id,
        }
        return {key: value for key, value in fields.items() if value is not None}
    return link


def _links_props(links: Any) -> Any:
    if isinstance(links, pulumi.Output):
        return links.apply(_links_props)
    if isinstance(links, Sequence) and not isinstance(links, str):
        return [_link_props(link) for link in links]
    # Anything else is left for the provider's check to report, with the property path.
    return links


class ObProxyObLinks(Resource, module="ocp", name="ObProxyObLinks"):
    """The obLinks of one OBProxy cluster: the OceanBase clusters it may route to.

    Links are a set keyed by cluster name. Links that OCP already holds with the declared fields
    are adopted at creation. Links of the OBProxy cluster that the stack does not declare are
    left alone, unless `exclusive` is true: then they are removed.
    """

    obproxy_cluster_id: pulumi.Output[int]
    """OCP's id of the OBProxy cluster."""

    links: pulumi.Output[dict[str, dict[str, Any]]]
    """The managed links as OCP holds them: cluster name to `ob_cluster_id` and `username`."""

    trace_id: pulumi.Output[str | None]
    """OCP's traceId of the last write; a run with no write keeps the previous one."""

    server: pulumi.Output[str | None]
    """The OCP application server that answered the last write."""

    timestamp: pulumi.Output[str | None]
    """When OCP completed the last write."""

    obproxy_cluster_name: pulumi.Output[str]
    """The OBProxy cluster's name in OCP."""

    obproxy_cluster_looked_up: pulumi.Output[bool]
    """True when the program named the OBProxy cluster and its id was looked up."""

    exclusive: pulumi.Output[bool]
    """Whether the resource removes links that the stack does not declare."""

    adopted_links: pulumi.Output[list[str]]
    """Names of links that already existed in OCP when the resource was created."""

    looked_up_links: pulumi.Output[list[str]]
    """Names of links declared without `ob_cluster_id`, whose id was looked up in OCP."""

    undeclared_links: pulumi.Output[list[str]]
    """Links OCP holds for the OBProxy cluster that the stack does not declare, as of the last
    create, update or refresh. Exclusive mode removes them, so it keeps this empty."""

    def __init__(
        self,
        resource_name: str,
        *,
        obproxy_cluster_id: pulumi.Input[int] | None = None,
        obproxy_cluster_name: pulumi.Input[str] | None = None,
        links: pulumi.Input[Sequence[LinkInput]],
        exclusive: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Give the OBProxy cluster by `obproxy_cluster_id` or by `obproxy_cluster_name`, not
        both. `exclusive=True` makes the resource remove every link of that OBProxy cluster
        that `links` does not declare."""
        props: dict[str, Any] = {
            "obproxy_cluster_id": obproxy_cluster_id,
            # Also an output: OCP's name for the cluster, however the program gave it.
            "obproxy_cluster_name": obproxy_cluster_name,
            "links": _links_props(links),
            "exclusive": exclusive,
            # Output keys must be present for their attributes to be filled in.
            "trace_id": None,
            "server": None,
            "timestamp": None,
            "obproxy_cluster_looked_up": None,
            "adopted_links": None,
            "looked_up_links": None,
            "undeclared_links": None,
        }
        super().__init__(ObLinksProvider(), resource_name, props, opts)
