"""One no-op resource per entry of the JSON stack config `resources`, like tests/programs/many."""

import pulumi
from noop_provider import NoopLinks

for entry in pulumi.Config().require_object("resources"):
    NoopLinks(entry["name"], obproxy_cluster_id=entry["obproxyClusterId"], links=entry["links"])
