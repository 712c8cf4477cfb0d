"""Declares one ObProxyObLinks from stack config, passed through as given.

obproxyClusterId: any JSON value
links: a JSON list of link mappings with snake_case keys
"""

import pulumi

from ocp_provider import ObProxyObLinks

config = pulumi.Config()

oblinks = ObProxyObLinks(
    "oblinks",
    obproxy_cluster_id=config.require_object("obproxyClusterId"),
    links=config.require_object("links"),
)

pulumi.export("traceId", oblinks.trace_id)
pulumi.export("links", oblinks.links)
pulumi.export("adoptedLinks", oblinks.adopted_links)
