"""The staging OBProxy cluster may route to the staging and report OceanBase clusters."""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks

staging = ObProxyObLinks(
    "staging-proxy-links",
    obproxy_cluster_id=2,
    links=[
        ObLinkArgs(cluster_name="ob-staging", ob_cluster_id=2001),
        ObLinkArgs(cluster_name="ob-report", ob_cluster_id=1003, username="proxyro"),
    ],
)

pulumi.export("links", staging.links)
pulumi.export("traceId", staging.trace_id)
