"""Functions a program calls to read OCP, so other resources can use what OCP holds.

They run in the program, also during `pulumi preview`, and only read. OCP's address and
credentials come from the same stack config (`ocp:*`) and environment (`OCP_*`) as the provider.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.runtime


def get_obproxy_cluster(
    *, name: str | None = None, obproxy_cluster_id: int | None = None
) -> pulumi.Output[dict[str, Any]]:
    """An OBProxy cluster by name or by id: `id`, `name`, `address`, `port` and `links`
    (cluster name to `ob_cluster_id` and `username`), as an Output."""
    from .client import OcpClient
    from .config import resolve_settings
    from .names import obproxy_cluster_id_named

    if (name is None) == (obproxy_cluster_id is None):
        raise ValueError("get_obproxy_cluster takes exactly one of name= or obproxy_cluster_id=")

    settings = resolve_settings(pulumi.runtime.get_config)
    with OcpClient(settings) as client:
        if obproxy_cluster_id is None:
            assert name is not None
            obproxy_cluster_id = obproxy_cluster_id_named(client, name)
        cluster = client.get_obproxy_cluster(obproxy_cluster_id)

    links = {
        link.cluster_name: {"ob_cluster_id": link.ob_cluster_id, "username": link.username}
        for link in sorted(cluster.ob_links, key=lambda link: link.cluster_name)
    }
    return pulumi.Output.from_input(
        {
            "id": cluster.id,
            "name": cluster.name,
            "address": cluster.address,
            "port": cluster.port,
            "links": links,
        }
    )


def get_ob_cluster(*, name: str) -> pulumi.Output[dict[str, Any]]:
    """The OceanBase cluster OCP knows by `name`: `id` (OCP's), `name`, `ob_cluster_id`,
    `type`, `status` and `ob_version`, as an Output. A name shared by several clusters (an
    OceanBase 3.x primary and its standby) is an error that lists them."""
    from .client import OcpClient
    from .config import resolve_settings
    from .names import ob_cluster_named

    settings = resolve_settings(pulumi.runtime.get_config)
    with OcpClient(settings) as client:
        cluster = ob_cluster_named(client, name)

    return pulumi.Output.from_input(
        {
            "id": cluster.id,
            "name": cluster.name,
            "ob_cluster_id": cluster.ob_cluster_id,
            "type": cluster.type,
            "status": cluster.status,
            "ob_version": cluster.ob_version,
        }
    )
