"""Declares one ObProxyObLinks from stack config `obproxyClusterId` and `links` (JSON)."""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks

config = pulumi.Config()

oblinks = ObProxyObLinks(
    "oblinks",
    obproxy_cluster_id=config.require_int("obproxyClusterId"),
    links=[
        ObLinkArgs(
            cluster_name=link["clusterName"],
            ob_cluster_id=link["obClusterId"],
            username=link.get("username"),
        )
        for link in config.require_object("links")
    ],
)

pulumi.export("traceId", oblinks.trace_id)
pulumi.export("links", oblinks.links)
pulumi.export("adoptedLinks", oblinks.adopted_links)
