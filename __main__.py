"""The stack program: the obLinks of one OBProxy cluster, declared in stack config.

ocp-provider:obproxyClusterId: OCP's id of the OBProxy cluster
ocp-provider:links: a list of {clusterName, obClusterId, username?, clusterId?}
"""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks

config = pulumi.Config()

links = [
    ObLinkArgs(
        cluster_name=link.get("clusterName"),
        ob_cluster_id=link.get("obClusterId"),
        username=link.get("username"),
        cluster_id=link.get("clusterId"),
    )
    for link in config.require_object("links")
]

oblinks = ObProxyObLinks(
    "oblinks",
    obproxy_cluster_id=config.require_int("obproxyClusterId"),
    links=links,
)

pulumi.export("obproxyClusterName", oblinks.obproxy_cluster_name)
pulumi.export("links", oblinks.links)
pulumi.export("adoptedLinks", oblinks.adopted_links)
pulumi.export("traceId", oblinks.trace_id)
pulumi.export("server", oblinks.server)
pulumi.export("timestamp", oblinks.timestamp)
