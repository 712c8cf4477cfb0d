"""Finding clusters by name, through HTTP to the embedded OCP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from ocp_provider.client import OcpClient
from ocp_provider.config import OcpSettings
from ocp_provider.errors import NameLookupError
from ocp_provider.lookups import get_obproxy_cluster
from ocp_provider.names import ob_cluster_named, obproxy_cluster_id_named
from ocp_provider.simulator import EmbeddedOcpServer
from ocp_provider.simulator.store import synthetic_seed

from .conftest import PASSWORD, USERNAME


def test_finds_an_obproxy_cluster_by_name(client: OcpClient) -> None:
    assert obproxy_cluster_id_named(client, "obproxy-staging") == 2


def test_unknown_obproxy_cluster_name_lists_close_matches(client: OcpClient) -> None:
    with pytest.raises(NameLookupError) as caught:
        obproxy_cluster_id_named(client, "obproxy-stageing")

    assert "OCP has no OBProxy cluster named 'obproxy-stageing'" in str(caught.value)
    assert "Close matches: 'obproxy-staging'" in str(caught.value)


def test_finds_an_ob_cluster_by_exact_name_among_keyword_matches(client: OcpClient) -> None:
    # OCP's filter is a keyword: "ob-prod" alone also matches ob-prod-hz and ob-prod-sh.
    assert ob_cluster_named(client, "ob-prod-sh").ob_cluster_id == 1002
    assert ob_cluster_named(client, "ob-report").id == 3


def test_ob_cluster_name_differing_in_case_is_offered_not_taken(client: OcpClient) -> None:
    with pytest.raises(NameLookupError) as caught:
        ob_cluster_named(client, "OB-Report")

    assert "OCP has no OceanBase cluster named 'OB-Report'" in str(caught.value)
    assert "Close matches: 'ob-report'" in str(caught.value)


def test_misspelt_ob_cluster_name_lists_close_matches(client: OcpClient) -> None:
    with pytest.raises(NameLookupError, match=r"Close matches: 'ob-report'"):
        ob_cluster_named(client, "ob-reprot")


def test_ob_cluster_name_without_any_match_says_where_to_look(client: OcpClient) -> None:
    with pytest.raises(NameLookupError, match="Check the name in OCP's console"):
        ob_cluster_named(client, "zzzzzz")


def test_name_shared_by_primary_and_standby_is_ambiguous(client: OcpClient) -> None:
    with pytest.raises(NameLookupError) as caught:
        ob_cluster_named(client, "ob-legacy")

    message = str(caught.value)
    assert "2 OceanBase clusters in OCP are named 'ob-legacy'" in message
    assert "obClusterId 4001 (PRIMARY), obClusterId 4002 (STANDBY)" in message
    assert "Declare ob_cluster_id" in message


@pytest.fixture
def many_ob_clusters() -> Iterator[tuple[EmbeddedOcpServer, OcpClient]]:
    # 2,500 clusters, more than OCP's largest page of 2,000.
    seed = synthetic_seed(1, 2500)
    with EmbeddedOcpServer(username=USERNAME, password=PASSWORD, seed=seed) as server:
        settings = OcpSettings(url=server.url, username=USERNAME, password=SecretStr(PASSWORD))
        with OcpClient(settings) as ocp_client:
            yield server, ocp_client


def test_name_lookup_uses_the_name_filter(
    many_ob_clusters: tuple[EmbeddedOcpServer, OcpClient],
) -> None:
    server, ocp_client = many_ob_clusters

    found = ob_cluster_named(ocp_client, "ob-2499")

    assert found.ob_cluster_id == 102499
    assert len(server.store.requests()) == 1


def test_unmatched_name_reads_every_page_for_close_matches(
    many_ob_clusters: tuple[EmbeddedOcpServer, OcpClient],
) -> None:
    server, ocp_client = many_ob_clusters

    with pytest.raises(NameLookupError) as caught:
        ob_cluster_named(ocp_client, "ob-250O")

    # The keyword search finds nothing; then two pages of 2,000 give every name to compare.
    assert len(server.store.requests()) == 3
    assert "'ob-2500'" in str(caught.value)


def test_takes_exactly_one_of_name_and_id() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        get_obproxy_cluster()
    with pytest.raises(ValueError, match="exactly one"):
        get_obproxy_cluster(name="a", obproxy_cluster_id=1)
