"""The embedded OCP server's own endpoints, as a developer reaches them with curl."""

from __future__ import annotations

import socket

import requests

from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, USERNAME


def test_request_log_is_listed_and_emptied_with_ocp_credentials(ocp: EmbeddedOcpServer) -> None:
    auth = (USERNAME, PASSWORD)
    requests.get(f"{ocp.url}/api/v2/obproxy/clusters/1", auth=auth, timeout=10)

    assert requests.get(f"{ocp.url}/_simulator/requests", timeout=10).status_code == 401
    listed = requests.get(f"{ocp.url}/_simulator/requests", auth=auth, timeout=10).json()
    assert [(r["method"], r["path"]) for r in listed["data"]["contents"]] == [
        ("GET", "/api/v2/obproxy/clusters/1")
    ]

    assert requests.delete(f"{ocp.url}/_simulator/requests", auth=auth, timeout=10).ok
    emptied = requests.get(f"{ocp.url}/_simulator/requests", auth=auth, timeout=10).json()
    assert emptied["data"]["contents"] == []


def test_listening_socket_is_tcp_so_answers_are_not_held_back(ocp: EmbeddedOcpServer) -> None:
    # asyncio disables Nagle's algorithm only on sockets created as IPPROTO_TCP; accepted
    # connections inherit the listening socket's protocol.
    assert ocp._socket.proto == socket.IPPROTO_TCP
