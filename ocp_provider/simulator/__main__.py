"""python -m ocp_provider.simulator: serve the embedded OCP server on 127.0.0.1."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from .server import EmbeddedOcpServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ocp_provider.simulator",
        description="Serve an embedded OCP server on 127.0.0.1. Credentials come from "
        "OCP_USERNAME and OCP_PASSWORD (and, for signed requests, OCP_ACCESS_KEY_ID and "
        "OCP_ACCESS_KEY_SECRET), the same variables the provider reads.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks one")
    parser.add_argument("--seed", type=Path, help="JSON file of OBProxy and OceanBase clusters")
    parser.add_argument(
        "--db", type=Path, help="SQLite file that keeps state between runs (default: in memory)"
    )
    parser.add_argument("--url-file", type=Path, help="also write the server's URL to this file")
    parser.add_argument("--ssl-certfile", type=Path, help="serve https with this PEM certificate")
    parser.add_argument("--ssl-keyfile", type=Path, help="the certificate's PEM private key")
    args = parser.parse_args(argv)

    username = os.environ.get("OCP_USERNAME")
    password = os.environ.get("OCP_PASSWORD")
    if not username or not password:
        parser.error("set OCP_USERNAME and OCP_PASSWORD to the credentials the server accepts")
    if args.seed is not None and not args.seed.is_file():
        parser.error(f"--seed {args.seed} is not a file")

    access_keys = {}
    if os.environ.get("OCP_ACCESS_KEY_ID") and os.environ.get("OCP_ACCESS_KEY_SECRET"):
        access_keys[os.environ["OCP_ACCESS_KEY_ID"]] = os.environ["OCP_ACCESS_KEY_SECRET"]
    server = EmbeddedOcpServer(
        username=username,
        password=password,
        seed=args.seed,
        db_path=args.db,
        port=args.port,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        access_keys=access_keys,
    )
    if args.url_file is not None:
        args.url_file.write_text(server.url + "\n", encoding="utf-8")
    print(f"Embedded OCP server listening on {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
