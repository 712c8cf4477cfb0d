"""Declares one ObProxyObLinks per entry of the JSON stack config `resources`:
[{"name": ..., "obproxyClusterId" or "obproxyClusterName": ..., "exclusive": bool (optional),
  "links": [{cluster_name, ob_cluster_id (optional)}, ...]}, ...]
"""

import pulumi

from ocp_provider import ObProxyObLinks

for entry in pulumi.Config().require_object("resources"):
    ObProxyObLinks(
        entry["name"],
        obproxy_cluster_id=entry.get("obproxyClusterId"),
        obproxy_cluster_name=entry.get("obproxyClusterName"),
        links=entry["links"],
        exclusive=entry.get("exclusive"),
    )
