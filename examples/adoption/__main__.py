"""Adopts a link made by hand and adds a new one.

In the sample OCP data, obproxy-prod (id 1) already connects to ob-archive. Declaring it with
the same fields adopts it: `pulumi up` adds only ob-report, and `adoptedLinks` lists
ob-archive. From then on the stack manages both; `pulumi destroy` removes both.
"""

import pulumi

from ocp_provider import ObLinkArgs, ObProxyObLinks

prod = ObProxyObLinks(
    "prod-proxy-links",
    obproxy_cluster_id=1,
    links=[
        ObLinkArgs(cluster_name="ob-archive", ob_cluster_id=1004),
        ObLinkArgs(cluster_name="ob-report", ob_cluster_id=1003),
    ],
)

pulumi.export("adoptedLinks", prod.adopted_links)
pulumi.export("links", prod.links)
