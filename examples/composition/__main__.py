"""Composes OCP's data with the rest of a stack.

The OBProxy cluster is looked up by name; its id feeds the links resource, and its address and
port, once the links exist, feed the settings an application would read (here exported; in a
real stack, a Kubernetes ConfigMap or a DNS record).
"""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks, get_obproxy_cluster

proxy = get_obproxy_cluster(name="obproxy-staging")

links = ObProxyObLinks(
    "staging-proxy-links",
    obproxy_cluster_id=proxy["id"],
    links=[ObLinkArgs(cluster_name="ob-staging", ob_cluster_id=2001)],
)

# What an application needs to reach each linked OceanBase cluster through OBProxy; OBProxy
# picks the cluster from the user name, written user@tenant#cluster.
app_settings = pulumi.Output.all(proxy["address"], proxy["port"], links.links).apply(
    lambda args: {
        name: {"host": args[0], "port": args[1], "user": f"app@app_tenant#{name}"}
        for name in sorted(args[2])
    }
)

pulumi.export("obproxyAddress", proxy["address"])
pulumi.export("appSettings", app_settings)
