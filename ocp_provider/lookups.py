"""Functions a program calls to read OCP, so other resources can use what OCP holds.

They run in the program, also during `pulumi preview`, and only read. OCP's address and
credentials come from the same stack config (`ocp:*`) and environment (`OCP_*`) as the provider.
"""

from __future__ import annotations

import difflib
from typing import Any

import pulumi
import pulumi.runtime

from .errors import OcpNotFoundError


def get_obproxy_cluster(
    *, name: str | None = None, obproxy_cluster_id: int | None = None
) -> pulumi.Output[dict[str, Any]]:
    """An OBProxy cluster by name or by id: `id`, `name`, `address`, `port` and `links`
    (cluster name to `ob_cluster_id` and `username`), as an Output."""
    from .client import OcpClient
    from .config import resolve_settings

    if (name is None) == (obproxy_cluster_id is None):
        raise ValueError("get_obproxy_cluster takes exactly one of name= or obproxy_cluster_id=")

    settings = resolve_settings(pulumi.runtime.get_config)
    with OcpClient(settings) as client:
        if obproxy_cluster_id is None:
            assert name is not None
            obproxy_cluster_id = _find_by_name(client, name)
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


def _find_by_name(client: Any, name: str) -> int:
    names: dict[str, int] = {}
    page = 1
    while True:
        listed = client.list_obproxy_clusters(page=page, size=500)
        names.update({cluster.name: cluster.id for cluster in listed.contents})
        if listed.page is None or page >= listed.page.total_pages:
            break
        page += 1

    if name in names:
        return names[name]
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.5)
    hint = f" Close matches: {', '.join(close)}." if close else ""
    raise OcpNotFoundError(
        "GET",
        "/api/v2/obproxy/clusters",
        message=f"no OBProxy cluster is named {name!r}.{hint}",
        hint="Check the name in OCP's console.",
    )
