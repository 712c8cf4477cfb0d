"""`make demo`: a real `pulumi up` of the root stack against the embedded OCP server.

The server's SQLite file lives beside the Pulumi state in .pulumi-state/, so a second run talks
to the same OCP, finds nothing to do, and says so.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_engine import ROOT, select_stack

from ocp_provider.client import OcpClient
from ocp_provider.config import resolve_settings
from ocp_provider.simulator import EmbeddedOcpServer

STACK = "dev"
STATE_DIR = ROOT / ".pulumi-state"


def main() -> int:
    STATE_DIR.mkdir(exist_ok=True)
    # A fresh password each run: the embedded server keeps links, never credentials.
    credentials = {"OCP_USERNAME": "demo-admin", "OCP_PASSWORD": secrets.token_urlsafe(18)}

    with EmbeddedOcpServer(
        username=credentials["OCP_USERNAME"],
        password=credentials["OCP_PASSWORD"],
        seed=ROOT / "examples" / "ocp-seed.json",
        db_path=STATE_DIR / "ocp.sqlite",
    ) as ocp:
        print(f"Embedded OCP server: {ocp.url} (state in {STATE_DIR / 'ocp.sqlite'})")
        # An AccessKey exported in the shell would take precedence over the demo's password.
        env = {
            **credentials,
            "OCP_URL": ocp.url,
            "OCP_ACCESS_KEY_ID": "",
            "OCP_ACCESS_KEY_SECRET": "",
        }
        stack = select_stack(ROOT, STACK, STATE_DIR, env)

        ocp.store.clear_requests()
        result = stack.up(on_output=print, color="never")
        calls = [f"{r.method} {r.path} -> {r.status}" for r in ocp.store.requests()]

        changes = {op: n for op, n in (result.summary.resource_changes or {}).items()}
        print()
        if set(changes) <= {"same"}:
            print("No change: OCP already holds exactly the links the stack declares.")
        else:
            print(f"Applied: {json.dumps(changes)}")
        print(f"OCP calls made by this run ({len(calls)}):")
        for call in calls:
            print(f"  {call}")

        outputs = {key: value.value for key, value in stack.outputs().items()}
        print(f"traceId of the last write: {outputs.get('traceId')}")
        print("Stack outputs:")
        print(json.dumps(outputs, indent=2, sort_keys=True))

        settings = resolve_settings(lambda _key: None, {**os.environ, **env})
        cluster_id = int(stack.get_config("obproxyClusterId").value)
        with OcpClient(settings) as client:
            cluster = client.get_obproxy_cluster(cluster_id)
        print(f"obLinks OCP now holds for OBProxy cluster {cluster.name} ({cluster.id}):")
        for link in cluster.ob_links:
            print(
                f"  {link.cluster_name:<12} obClusterId={link.ob_cluster_id:<6} "
                f"username={link.username} status={link.status}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
