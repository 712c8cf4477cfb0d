"""Composes OCP's data with the rest of a stack.

The OBProxy cluster and one OceanBase cluster are looked up by name; their ids feed the links
resource, and the OBProxy cluster's address and port, once the links exist, feed the settings
an application would read (here exported; in a real stack, a Kubernetes ConfigMap or a DNS
record).
"""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks, get_ob_cluster, get_obproxy_cluster

proxy = get_obproxy_cluster(name="obproxy-staging")
# Another resource's output works the same way; here OCP's own record of the cluster.
report = get_ob_cluster(name="ob-report")

links = ObProxyObLinks(
    "staging-proxy-links",
    obproxy_cluster_id=proxy["id"],
    links=[
        ObLinkArgs(cluster_name="ob-staging", ob_cluster_id=2001),
        ObLinkArgs(cluster_name=report["name"], ob_cluster_id=report["ob_cluster_id"]),
    ],
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
pulumi.export("reportVersion", report["ob_version"])
