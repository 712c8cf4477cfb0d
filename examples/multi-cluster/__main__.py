"""One ObProxyObLinks per OBProxy cluster listed in the structured stack config `proxies`."""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks

config = pulumi.Config()

for proxy in config.require_object("proxies"):
    links = ObProxyObLinks(
        f"obproxy-{proxy['obproxyClusterId']}-links",
        obproxy_cluster_id=proxy["obproxyClusterId"],
        links=[
            ObLinkArgs(
                cluster_name=link["clusterName"],
                ob_cluster_id=link["obClusterId"],
                username=link.get("username"),
            )
            for link in proxy["links"]
        ],
    )
    pulumi.export(f"obproxy-{proxy['obproxyClusterId']}", links.links)
