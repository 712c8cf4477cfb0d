"""One ObProxyObLinks per OBProxy cluster listed in the structured stack config `proxies`.

Clusters are given by name, as platform teams know them; OCP's ids are looked up. An
`obClusterId` is needed only where two OceanBase clusters share a name. A proxy marked
`exclusive` keeps exactly the links listed here.
"""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks

config = pulumi.Config()

for proxy in config.require_object("proxies"):
    links = ObProxyObLinks(
        f"{proxy['obproxyCluster']}-links",
        obproxy_cluster_name=proxy["obproxyCluster"],
        links=[
            ObLinkArgs(
                cluster_name=link["clusterName"],
                ob_cluster_id=link.get("obClusterId"),
                username=link.get("username"),
            )
            for link in proxy["links"]
        ],
        exclusive=proxy.get("exclusive", False),
    )
    pulumi.export(proxy["obproxyCluster"], links.links)
