"""The OCP client against the embedded OCP server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import re
import socket

import pytest
import requests
from pydantic import SecretStr

from ocp_provider.client import OcpClient
from ocp_provider.config import OcpSettings
from ocp_provider.errors import (
    OcpApiError,
    OcpAuthenticationError,
    OcpInvalidRequestError,
    OcpNotFoundError,
    OcpUnavailableError,
)
from ocp_provider.models import ObLink
from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, USERNAME

TRACE_ID = re.compile(r"^[0-9a-f]{16}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")


def link(name: str, ob_cluster_id: int) -> ObLink:
    return ObLink(cluster_name=name, ob_cluster_id=ob_cluster_id)


def test_reads_an_obproxy_cluster_with_its_oblinks(client: OcpClient) -> None:
    cluster = client.get_obproxy_cluster(1)

    assert cluster.name == "obproxy-prod"
    assert cluster.port == 2883
    assert [(x.cluster_name, x.ob_cluster_id, x.username) for x in cluster.ob_links] == [
        ("ob-archive", 1004, "proxyro")
    ]
    assert cluster.ob_links[0].cluster_id == 6
    assert cluster.ob_links[0].status == "RUNNING"


def test_batch_add_adds_links_and_returns_the_trace_id(
    client: OcpClient, ocp: EmbeddedOcpServer
) -> None:
    receipt = client.batch_add_ob_links(
        2,
        [link("ob-staging", 2001), ObLink(cluster_name="ob-dev", ob_cluster_id=3001, cluster_id=5)],
    )

    assert receipt.trace_id and TRACE_ID.match(receipt.trace_id)
    assert receipt.timestamp and TIMESTAMP.match(receipt.timestamp)
    assert receipt.server == "127.0.0.1"
    names = [x.cluster_name for x in client.get_obproxy_cluster(2).ob_links]
    assert names == ["ob-staging", "ob-dev"]
    logged = ocp.store.requests()[0]
    assert logged.trace_id == receipt.trace_id
    assert logged.body == [
        {"clusterName": "ob-staging", "obClusterId": 2001, "username": "proxyro"},
        {"clusterName": "ob-dev", "obClusterId": 3001, "username": "proxyro"},
    ]


def test_delete_removes_one_link(client: OcpClient) -> None:
    client.batch_add_ob_links(1, [link("ob-prod-hz", 1001)])

    receipt = client.delete_ob_link(1, "ob-archive")

    assert receipt.trace_id and TRACE_ID.match(receipt.trace_id)
    assert [x.cluster_name for x in client.get_obproxy_cluster(1).ob_links] == ["ob-prod-hz"]


def test_lists_are_paged_from_one(client: OcpClient) -> None:
    first = client.list_ob_clusters(page=1, size=4)
    second = client.list_ob_clusters(page=2, size=4)

    assert first.page is not None and second.page is not None
    assert (first.page.number, first.page.total_elements, first.page.total_pages) == (1, 8, 2)
    assert len(first.contents) == 4 and len(second.contents) == 4
    assert {c.name for c in first.contents}.isdisjoint(c.name for c in second.contents)
    assert [c.name for c in client.list_ob_clusters(name="PROD").contents] == [
        "ob-prod-hz",
        "ob-prod-sh",
    ]
    proxies = client.list_obproxy_clusters(page=1, size=2)
    assert proxies.page is not None and proxies.page.total_elements == 3
    assert [p.name for p in proxies.contents] == ["obproxy-prod", "obproxy-staging"]


def test_envelope_keys_are_sorted_and_nulls_left_out(ocp: EmbeddedOcpServer) -> None:
    answer = requests.get(
        f"{ocp.url}/api/v2/obproxy/clusters/2", auth=(USERNAME, PASSWORD), timeout=5
    )
    body = answer.json()

    assert list(body) == sorted(body)
    assert list(body["data"]) == sorted(body["data"])
    assert "configUrl" not in body["data"]  # null in the seed, so omitted
    assert body["successful"] is True and body["status"] == 200
    assert TRACE_ID.match(body["traceId"]) and TIMESTAMP.match(body["timestamp"])


def test_each_request_gets_its_own_trace_id(client: OcpClient, ocp: EmbeddedOcpServer) -> None:
    for _ in range(5):
        client.get_obproxy_cluster(1)

    trace_ids = [r.trace_id for r in ocp.store.requests()]
    assert len(set(trace_ids)) == 5


def assert_error_names_the_call(
    error: OcpApiError, method: str, path: str, status: int, code: int | None
) -> None:
    text = str(error)
    assert f"{method} {path}" in text
    assert f"HTTP {status}" in text
    if code:
        assert f"code {code}" in text
    assert error.trace_id and TRACE_ID.match(error.trace_id)
    assert error.trace_id in text
    assert PASSWORD not in text


def test_bad_credentials_are_an_authentication_error(ocp: EmbeddedOcpServer) -> None:
    settings = OcpSettings(url=ocp.url, username=USERNAME, password=SecretStr("wrong-password"))

    with OcpClient(settings) as client, pytest.raises(OcpAuthenticationError) as caught:
        client.get_obproxy_cluster(1)

    assert_error_names_the_call(caught.value, "GET", "/api/v2/obproxy/clusters/1", 401, 30004)
    assert "wrong-password" not in str(caught.value)
    assert "ocp:username" in str(caught.value)


def test_unknown_obproxy_cluster_is_not_found(client: OcpClient) -> None:
    with pytest.raises(OcpNotFoundError) as caught:
        client.get_obproxy_cluster(99)

    assert_error_names_the_call(caught.value, "GET", "/api/v2/obproxy/clusters/99", 404, 10002)


def test_deleting_an_absent_link_is_not_found(client: OcpClient) -> None:
    with pytest.raises(OcpNotFoundError) as caught:
        client.delete_ob_link(1, "ob-report")

    path = "/api/v2/obproxy/clusters/1/obLinks/ob-report"
    assert_error_names_the_call(caught.value, "DELETE", path, 404, 10002)


def test_batch_add_to_an_unknown_obproxy_cluster_is_not_found(client: OcpClient) -> None:
    with pytest.raises(OcpNotFoundError):
        client.batch_add_ob_links(42, [link("ob-prod-hz", 1001)])


@pytest.mark.parametrize(
    ("links", "fragment"),
    [
        ([link("ob-nowhere", 1001)], "not managed by OCP"),
        ([link("ob-prod-hz", 1002)], "has obClusterId 1001, not 1002"),
        ([link("ob-archive", 1004)], "already connects"),
        ([link("ob-report", 1003), link("ob-report", 1003)], "already connects"),
        ([], "must not be empty"),
    ],
    ids=["unknown-cluster", "id-mismatch", "duplicate", "duplicate-in-body", "empty"],
)
def test_invalid_batch_add_is_rejected_whole(
    client: OcpClient, links: list[ObLink], fragment: str
) -> None:
    path = "/api/v2/obproxy/clusters/1/obLinks/batchAdd"

    with pytest.raises(OcpInvalidRequestError) as caught:
        client.batch_add_ob_links(1, links)

    assert_error_names_the_call(caught.value, "POST", path, 400, 10001)
    assert fragment in str(caught.value)
    assert [x.cluster_name for x in client.get_obproxy_cluster(1).ob_links] == ["ob-archive"]


def test_one_bad_link_rejects_the_whole_batch(client: OcpClient) -> None:
    with pytest.raises(OcpInvalidRequestError):
        client.batch_add_ob_links(2, [link("ob-staging", 2001), link("ob-nowhere", 7)])

    assert client.get_obproxy_cluster(2).ob_links == []


def test_rs_list_obproxy_cluster_takes_one_link(client: OcpClient) -> None:
    client.batch_add_ob_links(3, [link("ob-dev", 3001)])

    with pytest.raises(OcpInvalidRequestError, match="RS_LIST"):
        client.batch_add_ob_links(3, [link("ob-staging", 2001)])


def test_malformed_body_gets_field_level_sub_errors(ocp: EmbeddedOcpServer) -> None:
    answer = requests.post(
        f"{ocp.url}/api/v2/obproxy/clusters/1/obLinks/batchAdd",
        json=[{"clusterName": "ob-prod-hz", "obClusterId": "one", "username": "proxyro"}, {}],
        auth=(USERNAME, PASSWORD),
        timeout=5,
    )
    body = answer.json()

    assert answer.status_code == 400 and body["status"] == 400
    assert body["successful"] is False
    assert body["error"]["code"] == 0
    fields = {sub["field"] for sub in body["error"]["subErrors"]}
    assert {"[0].obClusterId", "[1].clusterName", "[1].obClusterId"} <= fields


def test_body_that_is_not_json_is_rejected(ocp: EmbeddedOcpServer) -> None:
    answer = requests.post(
        f"{ocp.url}/api/v2/obproxy/clusters/1/obLinks/batchAdd",
        data="[{not json",
        headers={"Content-Type": "application/json"},
        auth=(USERNAME, PASSWORD),
        timeout=5,
    )

    assert answer.status_code == 400
    assert answer.json()["successful"] is False


def test_sample_body_from_the_docs_is_accepted(ocp: EmbeddedOcpServer) -> None:
    sample = [
        {"username": "proxyro", "clusterId": 1, "obClusterId": 1001, "clusterName": "ob-prod-hz"}
    ]

    answer = requests.post(
        f"{ocp.url}/api/v2/obproxy/clusters/1/obLinks/batchAdd",
        json=sample,
        auth=(USERNAME, PASSWORD),
        timeout=5,
    )

    assert answer.status_code == 200
    assert set(answer.json()) == {
        "duration",
        "server",
        "status",
        "successful",
        "timestamp",
        "traceId",
    }


def test_no_answer_is_ocp_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = OcpSettings(
        url=f"http://127.0.0.1:{port}", username=USERNAME, password=SecretStr(PASSWORD)
    )

    with OcpClient(settings) as client, pytest.raises(OcpUnavailableError) as caught:
        client.get_obproxy_cluster(1)

    assert "GET /api/v2/obproxy/clusters/1" in str(caught.value)
    assert PASSWORD not in str(caught.value)
