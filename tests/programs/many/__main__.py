"""Declares one ObProxyObLinks per entry of the JSON stack config `resources`:
[{"name": ..., "obproxyClusterId": ..., "links": [{cluster_name, ob_cluster_id}, ...]}, ...]
"""

import pulumi

from ocp_provider import ObProxyObLinks

for entry in pulumi.Config().require_object("resources"):
    ObProxyObLinks(
        entry["name"],
        obproxy_cluster_id=entry["obproxyClusterId"],
        links=entry["links"],
    )
