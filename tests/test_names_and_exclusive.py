"""Clusters given by name, and exclusive mode: the provider's methods against the embedded OCP."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from ocp_provider.errors import NameLookupError, OcpInvalidRequestError
from ocp_provider.models import ObLink
from ocp_provider.provider import ObLinksProvider
from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, configured, writes
from .test_provider import checked, ocp_links

OB_DEV = {"cluster_name": "ob-dev", "ob_cluster_id": 3001}


def create(provider: ObLinksProvider, news: dict[str, Any]) -> dict[str, Any]:
    return {**provider.create(checked(provider, news)).outs, "__provider": "blob"}


def calls(ocp: EmbeddedOcpServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in ocp.store.requests()]


# Links declared by OceanBase cluster name alone


def test_check_keeps_a_link_without_ob_cluster_id_as_declared(provider: ObLinksProvider) -> None:
    inputs = checked(
        provider, {"obproxy_cluster_name": "obproxy-staging", "links": [{"cluster_name": "ob-dev"}]}
    )

    assert inputs == {
        "obproxy_cluster_name": "obproxy-staging",
        "links": {"ob-dev": {"username": "proxyro"}},
    }


def test_create_looks_up_the_ob_cluster_id_by_name(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = create(
        provider,
        {
            "obproxy_cluster_id": 2,
            "links": [
                {"cluster_name": "ob-staging"},
                OB_DEV,
            ],
        },
    )

    assert calls(ocp) == [
        ("GET", "/api/v2/obproxy/clusters/2"),
        ("GET", "/api/v2/ob/clusters"),
        ("POST", "/api/v2/obproxy/clusters/2/obLinks/batchAdd"),
    ]
    assert ocp_links(ocp, 2) == {"ob-dev": (3001, "proxyro"), "ob-staging": (2001, "proxyro")}
    assert outs["links"]["ob-staging"] == {"ob_cluster_id": 2001, "username": "proxyro"}
    assert outs["looked_up_links"] == ["ob-staging"]


def test_a_name_held_in_ocp_is_adopted_without_a_lookup(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = create(provider, {"obproxy_cluster_id": 1, "links": [{"cluster_name": "ob-archive"}]})

    assert calls(ocp) == [("GET", "/api/v2/obproxy/clusters/1")]
    assert outs["adopted_links"] == ["ob-archive"]
    assert outs["links"] == {"ob-archive": {"ob_cluster_id": 1004, "username": "proxyro"}}


def test_unknown_and_ambiguous_names_stop_create_before_any_write(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    news = {
        "obproxy_cluster_id": 2,
        "links": [
            {"cluster_name": "ob-reprot"},
            {"cluster_name": "ob-legacy"},
            {"cluster_name": "ob-dev"},
        ],
    }

    with pytest.raises(NameLookupError) as caught:
        provider.create(checked(provider, news))

    message = str(caught.value)
    assert "nothing was changed" in message
    assert "OCP has no OceanBase cluster named 'ob-reprot'. Close matches: 'ob-report'" in message
    assert "2 OceanBase clusters in OCP are named 'ob-legacy'" in message
    assert writes(ocp) == []
    assert ocp_links(ocp, 2) == {}


def test_an_ambiguous_name_is_settled_by_declaring_the_id(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    create(
        provider,
        {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-legacy", "ob_cluster_id": 4002}]},
    )

    assert ocp_links(ocp, 2) == {"ob-legacy": (4002, "proxyro")}
    assert ocp.store.links(2)[0].cluster_type == "STANDBY"


def test_diff_of_a_name_only_link_ignores_the_id_ocp_gave_it(provider: ObLinksProvider) -> None:
    olds = create(provider, {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging"}]})

    same = checked(provider, {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging"}]})
    pinned = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging", "ob_cluster_id": 2001}]},
    )
    other_id = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging", "ob_cluster_id": 9}]},
    )
    other_user = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging", "username": "px"}]},
    )

    assert provider.diff("2/x", olds, same).changes is False
    # Pinning the id OCP gave changes no link, but is recorded by an update.
    assert provider.diff("2/x", olds, pinned).changes is True
    assert provider.diff("2/x", olds, pinned).replaces == []
    assert provider.diff("2/x", olds, other_id).changes is True
    assert provider.diff("2/x", olds, other_user).changes is True


def test_update_changing_a_name_only_link_reuses_its_id(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = create(provider, {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging"}]})
    ocp.store.clear_requests()
    news = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-staging", "username": "px"}]},
    )

    result = provider.update("2/x", olds, news)

    assert calls(ocp) == [
        ("DELETE", "/api/v2/obproxy/clusters/2/obLinks/ob-staging"),
        ("POST", "/api/v2/obproxy/clusters/2/obLinks/batchAdd"),
    ]
    assert ocp_links(ocp, 2) == {"ob-staging": (2001, "px")}
    assert result.outs is not None and result.outs["looked_up_links"] == ["ob-staging"]


def test_read_keeps_names_where_the_program_gave_no_id(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = create(
        provider,
        {
            "obproxy_cluster_name": "obproxy-staging",
            "links": [
                {"cluster_name": "ob-staging"},
                OB_DEV,
            ],
        },
    )

    result = provider.read("2/x", outs)

    assert result.inputs == {
        "obproxy_cluster_name": "obproxy-staging",
        "links": {
            "ob-dev": {"ob_cluster_id": 3001, "username": "proxyro"},
            "ob-staging": {"username": "proxyro"},
        },
    }
    assert result.outs["links"]["ob-staging"]["ob_cluster_id"] == 2001


# The OBProxy cluster given by name


def test_create_looks_up_the_obproxy_cluster_by_name(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = create(
        provider,
        {
            "obproxy_cluster_name": "obproxy-staging",
            "links": [OB_DEV],
        },
    )

    assert calls(ocp)[0] == ("GET", "/api/v2/obproxy/clusters")
    assert ocp_links(ocp, 2) == {"ob-dev": (3001, "proxyro")}
    assert outs["obproxy_cluster_id"] == 2
    assert outs["obproxy_cluster_looked_up"] is True


def test_an_unknown_obproxy_cluster_name_lists_close_matches(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    news = {"obproxy_cluster_name": "obproxy-stagin", "links": [{"cluster_name": "ob-dev"}]}

    with pytest.raises(NameLookupError, match="Close matches: 'obproxy-staging'"):
        provider.create(checked(provider, news))
    assert writes(ocp) == []


def test_diff_replaces_when_the_obproxy_cluster_name_changes(provider: ObLinksProvider) -> None:
    olds = create(provider, {"obproxy_cluster_name": "obproxy-staging", "links": []})

    by_id = checked(provider, {"obproxy_cluster_id": 2, "links": []})
    same = checked(provider, {"obproxy_cluster_name": "obproxy-staging", "links": []})
    other = checked(provider, {"obproxy_cluster_name": "obproxy-prod", "links": []})

    assert provider.diff("2/x", olds, same).changes is False
    assert provider.diff("2/x", olds, other).replaces == ["obproxy_cluster_name"]
    # The same cluster by id: an update that records the new shape, not a replacement.
    switched = provider.diff("2/x", olds, by_id)
    assert (switched.changes, switched.replaces) == (True, [])


def test_following_a_rename_in_ocp_updates_instead_of_replacing(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    declared = [OB_DEV]
    olds = create(provider, {"obproxy_cluster_name": "obproxy-staging", "links": declared})
    ocp.store.rename_obproxy_cluster(2, "obproxy-stg")
    news = checked(provider, {"obproxy_cluster_name": "obproxy-stg", "links": declared})
    ocp.store.clear_requests()

    result = provider.diff("2/x", olds, news)
    assert (result.changes, result.replaces) == (True, [])
    updated = provider.update("2/x", olds, news)

    assert writes(ocp) == []
    assert ocp_links(ocp, 2) == {"ob-dev": (3001, "proxyro")}
    assert updated.outs is not None and updated.outs["obproxy_cluster_name"] == "obproxy-stg"


def test_switching_between_id_and_name_is_recorded_for_refresh(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = create(provider, {"obproxy_cluster_id": 2, "links": [OB_DEV]})
    news = checked(
        provider, {"obproxy_cluster_name": "obproxy-staging", "links": [{"cluster_name": "ob-dev"}]}
    )
    assert provider.diff("2/x", olds, news).changes is True
    ocp.store.clear_requests()

    updated = provider.update("2/x", olds, news)
    assert ocp.store.requests() == []
    assert updated.outs is not None
    refreshed = provider.read("2/x", {**updated.outs, "__provider": "blob"})

    assert refreshed.inputs == {
        "obproxy_cluster_name": "obproxy-staging",
        "links": {"ob-dev": {"username": "proxyro"}},
    }


# Exclusive mode


def test_exclusive_create_removes_undeclared_links_first(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    ocp.store.add_links(1, [ObLink(cluster_name="ob-report", ob_cluster_id=1003)])
    ocp.store.clear_requests()

    outs = create(
        provider,
        {
            "obproxy_cluster_id": 1,
            "exclusive": True,
            "links": [{"cluster_name": "ob-prod-hz", "ob_cluster_id": 1001}],
        },
    )

    assert writes(ocp) == [
        ("DELETE", "/api/v2/obproxy/clusters/1/obLinks/ob-archive"),
        ("DELETE", "/api/v2/obproxy/clusters/1/obLinks/ob-report"),
        ("POST", "/api/v2/obproxy/clusters/1/obLinks/batchAdd"),
    ]
    assert ocp_links(ocp, 1) == {"ob-prod-hz": (1001, "proxyro")}
    assert outs["exclusive"] is True
    assert outs["undeclared_links"] == []


def test_additive_create_leaves_undeclared_links_and_reports_them(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = create(
        provider,
        {"obproxy_cluster_id": 1, "links": [{"cluster_name": "ob-report", "ob_cluster_id": 1003}]},
    )

    assert "ob-archive" in ocp_links(ocp, 1)
    assert outs["undeclared_links"] == ["ob-archive"]


def test_exclusive_diff_reads_ocp_and_names_what_would_go(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer, caplog: pytest.LogCaptureFixture
) -> None:
    news = {
        "obproxy_cluster_id": 2,
        "exclusive": True,
        "links": [OB_DEV],
    }
    olds = create(provider, news)
    assert provider.diff("2/x", olds, checked(provider, news)).changes is False

    ocp.store.add_links(2, [ObLink(cluster_name="ob-report", ob_cluster_id=1003)])
    with caplog.at_level(logging.INFO, logger="ocp_provider"):
        result = provider.diff("2/x", olds, checked(provider, news))

    assert result.changes is True
    assert "exclusive mode will remove the obLinks the stack does not declare: ob-report" in (
        caplog.text
    )


def test_exclusive_update_removes_links_added_by_hand(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    news = {"obproxy_cluster_id": 2, "exclusive": True, "links": [{"cluster_name": "ob-dev"}]}
    olds = create(provider, news)
    ocp.store.add_links(2, [ObLink(cluster_name="ob-report", ob_cluster_id=1003)])
    checked_news = checked(provider, news)
    ocp.store.clear_requests()

    result = provider.update("2/x", olds, checked_news)

    assert calls(ocp) == [
        ("GET", "/api/v2/obproxy/clusters/2"),
        ("DELETE", "/api/v2/obproxy/clusters/2/obLinks/ob-report"),
    ]
    assert ocp_links(ocp, 2) == {"ob-dev": (3001, "proxyro")}
    assert result.outs is not None and result.outs["undeclared_links"] == []


def test_turning_exclusive_off_removes_nothing(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    declared = {
        "obproxy_cluster_id": 2,
        "links": [OB_DEV],
    }
    olds = create(provider, {**declared, "exclusive": True})
    ocp.store.add_links(2, [ObLink(cluster_name="ob-report", ob_cluster_id=1003)])
    olds = {**provider.read("2/x", olds).outs}
    assert olds["undeclared_links"] == ["ob-report"]
    ocp.store.clear_requests()

    news = checked(provider, declared)
    assert provider.diff("2/x", olds, news).changes is True
    provider.update("2/x", olds, news)

    assert writes(ocp) == []
    assert "ob-report" in ocp_links(ocp, 2)


def test_exclusive_diff_without_ocp_falls_back_to_the_last_refresh(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # No OCP listens here: the diff cannot read it, and says so.
    provider = configured("http://127.0.0.1:9")
    olds = {
        "obproxy_cluster_id": 2.0,
        "links": {"ob-dev": {"ob_cluster_id": 3001.0, "username": "proxyro"}},
        "exclusive": True,
        "undeclared_links": ["ob-report"],
    }
    news = {**olds, "links": {"ob-dev": {"username": "proxyro"}}}
    del news["undeclared_links"]

    with caplog.at_level(logging.INFO, logger="ocp_provider"):
        result = provider.diff("2/x", olds, news)

    assert result.changes is True
    assert "could not read OCP" in caplog.text
    assert "the last refresh found ob-report" in caplog.text
    assert PASSWORD not in caplog.text


def test_new_exclusive_resource_is_announced_by_check(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ocp_provider"):
        checked(
            provider,
            {"obproxy_cluster_name": "obproxy-prod", "exclusive": True, "links": []},
        )

    assert writes(ocp) == []
    assert "obproxy-prod (1): exclusive mode will remove" in caplog.text
    assert "ob-archive" in caplog.text


def test_an_unknown_exclusive_is_a_change(provider: ObLinksProvider) -> None:
    declared = {
        "obproxy_cluster_id": 2,
        "links": [OB_DEV],
    }
    olds = create(provider, {**declared, "exclusive": True})

    news = provider.check({}, {**declared, "exclusive": UNKNOWN}).inputs

    assert provider.diff("2/x", olds, news).changes is True


def test_refused_exclusive_create_puts_undeclared_links_back(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    news = {
        "obproxy_cluster_id": 1,
        "exclusive": True,
        "links": [{"cluster_name": "ob-report", "ob_cluster_id": 9999}],
    }

    with pytest.raises(OcpInvalidRequestError):
        provider.create(checked(provider, news))

    assert ocp_links(ocp, 1) == {"ob-archive": (1004, "proxyro")}


def test_refused_update_puts_removed_links_back(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = create(provider, {"obproxy_cluster_id": 2, "links": [OB_DEV]})
    news = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-report", "ob_cluster_id": 9999}]},
    )

    with pytest.raises(OcpInvalidRequestError):
        provider.update("2/x", olds, news)

    assert ocp_links(ocp, 2) == {"ob-dev": (3001, "proxyro")}


def test_misspelt_name_of_a_new_exclusive_resource_is_warned_about_as_such(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ocp_provider"):
        checked(provider, {"obproxy_cluster_name": "obproxy-prd", "exclusive": True, "links": []})

    assert "OBProxy cluster obproxy-prd: OCP has no OBProxy cluster named 'obproxy-prd'" in (
        caplog.text
    )
    assert "Close matches: 'obproxy-prod'" in caplog.text
    assert "creating this resource will fail" in caplog.text
    assert "could not read OCP" not in caplog.text
