"""Declares one ObProxyObLinks from stack config, passed through as given.

obproxyClusterId: any JSON value (left out when not set)
obproxyClusterName: a string (left out when not set)
links: a JSON list of link mappings with snake_case keys
exclusive: any JSON value (left out when not set)
secretOutputs: a JSON list of output names (left out when not set)
"""

import pulumi

from ocp_provider import ObProxyObLinks

config = pulumi.Config()

links = config.require_object("links")
# secretOutputs: outputs to keep secret; set, it also makes the links a secret input.
secret_outputs = config.get_object("secretOutputs")

oblinks = ObProxyObLinks(
    "oblinks",
    obproxy_cluster_id=config.get_object("obproxyClusterId"),
    obproxy_cluster_name=config.get("obproxyClusterName"),
    links=pulumi.Output.secret(links) if secret_outputs is not None else links,
    exclusive=config.get_object("exclusive"),
    opts=pulumi.ResourceOptions(additional_secret_outputs=secret_outputs or []),
)

pulumi.export("traceId", oblinks.trace_id)
pulumi.export("links", oblinks.links)
pulumi.export("adoptedLinks", oblinks.adopted_links)
pulumi.export("obproxyClusterId", oblinks.obproxy_cluster_id)
pulumi.export("undeclaredLinks", oblinks.undeclared_links)
