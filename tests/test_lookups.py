"""Looking OBProxy clusters up by name or id, from a program."""

from __future__ import annotations

import pytest

from ocp_provider.client import OcpClient
from ocp_provider.errors import OcpNotFoundError
from ocp_provider.lookups import _find_by_name, get_obproxy_cluster


def test_finds_an_obproxy_cluster_by_name(client: OcpClient) -> None:
    assert _find_by_name(client, "obproxy-staging") == 2


def test_unknown_name_lists_close_matches(client: OcpClient) -> None:
    with pytest.raises(OcpNotFoundError) as caught:
        _find_by_name(client, "obproxy-stageing")

    assert "no OBProxy cluster is named 'obproxy-stageing'" in str(caught.value)
    assert "Close matches: obproxy-staging" in str(caught.value)


def test_takes_exactly_one_of_name_and_id() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        get_obproxy_cluster()
    with pytest.raises(ValueError, match="exactly one"):
        get_obproxy_cluster(name="a", obproxy_cluster_id=1)
