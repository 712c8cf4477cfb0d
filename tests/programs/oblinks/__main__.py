"""Declares one ObProxyObLinks from stack config, passed through as given.

obproxyClusterId: any JSON value (left out when not set)
obproxyClusterName: a string (left out when not set)
links: a JSON list of link mappings with snake_case keys
exclusive: any JSON value (left out when not set)
"""

import pulumi

from ocp_provider import ObProxyObLinks

config = pulumi.Config()

oblinks = ObProxyObLinks(
    "oblinks",
    obproxy_cluster_id=config.get_object("obproxyClusterId"),
    obproxy_cluster_name=config.get("obproxyClusterName"),
    links=config.require_object("links"),
    exclusive=config.get_object("exclusive"),
)

pulumi.export("traceId", oblinks.trace_id)
pulumi.export("links", oblinks.links)
pulumi.export("adoptedLinks", oblinks.adopted_links)
pulumi.export("obproxyClusterId", oblinks.obproxy_cluster_id)
pulumi.export("undeclaredLinks", oblinks.undeclared_links)
