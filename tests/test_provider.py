"""The provider's methods called directly, against the embedded OCP server."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.runtime.rpc import UNKNOWN

from ocp_provider.errors import ObLinkConflictError, OcpConfigurationError
from ocp_provider.models import ObLink
from ocp_provider.provider import ObLinksProvider
from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import writes


def link(name: str, ob_cluster_id: int, **extra: Any) -> dict[str, Any]:
    return {"cluster_name": name, "ob_cluster_id": ob_cluster_id, **extra}


def checked(provider: ObLinksProvider, news: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, news)
    assert result.failures == []
    return result.inputs


def ocp_links(ocp: EmbeddedOcpServer, obproxy_cluster_id: int) -> dict[str, tuple[int, str]]:
    return {
        x.cluster_name: (x.ob_cluster_id, x.username) for x in ocp.store.links(obproxy_cluster_id)
    }


# check


def test_check_normalises_order_and_fills_the_default_username(provider: ObLinksProvider) -> None:
    inputs = checked(
        provider,
        {"obproxy_cluster_id": 1.0, "links": [link("ob-report", 1003.0), link("ob-prod-hz", 1001)]},
    )

    assert inputs == {
        "obproxy_cluster_id": 1,
        "links": {
            "ob-prod-hz": {"ob_cluster_id": 1001, "username": "proxyro"},
            "ob-report": {"ob_cluster_id": 1003, "username": "proxyro"},
        },
    }
    assert list(inputs["links"]) == ["ob-prod-hz", "ob-report"]


def test_check_keeps_the_optional_cluster_id(provider: ObLinksProvider) -> None:
    inputs = checked(
        provider, {"obproxy_cluster_id": 1, "links": [link("ob-dev", 3001, cluster_id=5)]}
    )

    assert inputs["links"] == {
        "ob-dev": {"ob_cluster_id": 3001, "username": "proxyro", "cluster_id": 5}
    }


@pytest.mark.parametrize(
    ("news", "path", "fragment"),
    [
        ({"links": []}, "obproxy_cluster_id", "is required"),
        ({"obproxy_cluster_id": "12", "links": []}, "obproxy_cluster_id", "not the string '12'"),
        ({"obproxy_cluster_id": -3, "links": []}, "obproxy_cluster_id", "positive"),
        ({"obproxy_cluster_id": 1.5, "links": []}, "obproxy_cluster_id", "whole number"),
        ({"obproxy_cluster_id": 2.0**60, "links": []}, "obproxy_cluster_id", "2**53 - 1"),
        ({"obproxy_cluster_id": 1, "links": "ob-prod-hz"}, "links", "must be a list"),
        (
            {"obproxy_cluster_id": 1, "obproxy_cluster_name": "px", "links": []},
            "obproxy_cluster_name",
            "keep one of them",
        ),
        (
            {"obproxy_cluster_id": 1, "links": [link(" ob-a", 1)]},
            "links[0].cluster_name",
            "spaces at its start or end",
        ),
        (
            {"obproxy_cluster_id": 1, "links": [link("", 1)]},
            "links[0].cluster_name",
            "must not be empty",
        ),
        (
            {"obproxy_cluster_id": 1, "links": [{"clusterName": "ob-a", "ob_cluster_id": 1}]},
            "links[0].clusterName",
            "did you mean 'cluster_name'",
        ),
        (
            {"obproxy_cluster_id": 1, "links": [link("ob-a", 1, username="proxy ro")]},
            "links[0].username",
            "must not contain spaces",
        ),
        (
            {"obproxy_cluster_id": 1, "links": [link("ob-a", 1), link("ob-a", 1)]},
            "links[1].cluster_name",
            "declare it once",
        ),
        ({"obproxy_cluster_id": 1, "links": [], "exclusive": "yes"}, "exclusive", "boolean"),
        ({"obproxy_cluster_id": 1, "links": [], "exclusve": True}, "exclusve", "'exclusive'"),
    ],
    ids=lambda value: None if not isinstance(value, str) else value[:30],
)
def test_check_names_the_property_and_the_fix(
    provider: ObLinksProvider, news: dict[str, Any], path: str, fragment: str
) -> None:
    result = provider.check({}, news)

    reasons = {failure.property: failure.reason for failure in result.failures}
    assert path in reasons, reasons
    assert fragment in reasons[path]


def test_check_lets_unknown_values_through(provider: ObLinksProvider) -> None:
    news = {
        "obproxy_cluster_id": UNKNOWN,
        "links": [link("ob-b", UNKNOWN), link(UNKNOWN, 2), UNKNOWN, link("ob-a", 1)],
    }

    result = provider.check({}, news)

    assert result.failures == []
    assert result.inputs["obproxy_cluster_id"] == UNKNOWN
    assert result.inputs["links"][0] == {**link("ob-b", UNKNOWN), "username": "proxyro"}
    assert provider.check({}, {"obproxy_cluster_id": 1, "links": UNKNOWN}).failures == []


def test_check_still_reports_known_mistakes_beside_unknowns(provider: ObLinksProvider) -> None:
    result = provider.check({}, {"obproxy_cluster_id": UNKNOWN, "links": [link("ob-a", -1)]})

    assert [f.property for f in result.failures] == ["links[0].ob_cluster_id"]


def test_check_makes_no_http_call(provider: ObLinksProvider, ocp: EmbeddedOcpServer) -> None:
    provider.check({}, {"obproxy_cluster_id": 1, "links": [link("ob-prod-hz", 1001)]})
    provider.check({}, {"obproxy_cluster_id": "x"})

    assert ocp.store.requests() == []


# diff


def state(obproxy_cluster_id: int, *links: dict[str, Any]) -> dict[str, Any]:
    return {
        "obproxy_cluster_id": float(obproxy_cluster_id),
        "links": [{"username": "proxyro", **x} for x in links],
        "trace_id": "0123456789abcdef",
    }


def test_diff_sees_no_change_when_only_order_differs(provider: ObLinksProvider) -> None:
    olds = state(1, link("ob-a", 1), link("ob-b", 2))
    news = checked(provider, {"obproxy_cluster_id": 1, "links": [link("ob-b", 2), link("ob-a", 1)]})

    result = provider.diff("1/x", olds, news)

    assert result.changes is False
    assert result.replaces == []


@pytest.mark.parametrize(
    "new_links",
    [
        [link("ob-a", 1), link("ob-b", 2), link("ob-c", 3)],
        [link("ob-a", 1)],
        [link("ob-a", 1), link("ob-b", 9)],
        [link("ob-a", 1), link("ob-b", 2, username="proxyro2")],
    ],
    ids=["added", "removed", "ob-cluster-id-changed", "username-changed"],
)
def test_diff_sees_link_changes_as_an_update(
    provider: ObLinksProvider, new_links: list[dict[str, Any]]
) -> None:
    olds = state(1, link("ob-a", 1), link("ob-b", 2))
    news = checked(provider, {"obproxy_cluster_id": 1, "links": new_links})

    result = provider.diff("1/x", olds, news)

    assert result.changes is True
    assert result.replaces == []


def test_diff_replaces_for_another_obproxy_cluster(provider: ObLinksProvider) -> None:
    news = checked(provider, {"obproxy_cluster_id": 2, "links": [link("ob-a", 1)]})

    result = provider.diff("1/x", state(1, link("ob-a", 1)), news)

    assert result.changes is True
    assert result.replaces == ["obproxy_cluster_id"]


def test_diff_with_unknowns_reports_a_change(provider: ObLinksProvider) -> None:
    olds = state(1, link("ob-a", 1))

    unknown_link = provider.diff(
        "1/x", olds, {"obproxy_cluster_id": 1, "links": [link("ob-a", UNKNOWN)]}
    )
    unknown_proxy = provider.diff(
        "1/x", olds, {"obproxy_cluster_id": UNKNOWN, "links": olds["links"]}
    )

    assert unknown_link.changes is True and unknown_link.replaces == []
    assert unknown_proxy.changes is True and unknown_proxy.replaces == ["obproxy_cluster_id"]


# create


def test_create_adds_links_with_one_read_and_one_batch_add(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    props = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2001), link("ob-dev", 3001)]},
    )

    result = provider.create(props)

    calls = [(r.method, r.path) for r in ocp.store.requests()]
    assert calls == [
        ("GET", "/api/v2/obproxy/clusters/2"),
        ("POST", "/api/v2/obproxy/clusters/2/obLinks/batchAdd"),
    ]
    assert ocp_links(ocp, 2) == {"ob-dev": (3001, "proxyro"), "ob-staging": (2001, "proxyro")}
    assert result.outs["trace_id"] == ocp.store.requests()[1].trace_id
    assert result.outs["obproxy_cluster_name"] == "obproxy-staging"
    assert result.outs["adopted_links"] == []
    assert result.id.startswith("2/")


def test_create_adopts_links_that_are_already_there(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    props = checked(
        provider,
        {"obproxy_cluster_id": 1, "links": [link("ob-archive", 1004), link("ob-report", 1003)]},
    )

    result = provider.create(props)

    batch_adds = [r for r in ocp.store.requests() if r.method == "POST"]
    assert len(batch_adds) == 1
    assert batch_adds[0].body == [
        {"clusterName": "ob-report", "obClusterId": 1003, "username": "proxyro"}
    ]
    assert result.outs["adopted_links"] == ["ob-archive"]


def test_create_when_everything_is_adopted_writes_nothing(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    result = provider.create(
        checked(provider, {"obproxy_cluster_id": 1, "links": [link("ob-archive", 1004)]})
    )

    assert writes(ocp) == []
    assert result.outs["adopted_links"] == ["ob-archive"]
    assert result.outs["trace_id"] is None


def test_create_refuses_a_link_held_with_other_fields(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    props = checked(
        provider,
        {
            "obproxy_cluster_id": 1,
            "links": [link("ob-report", 1003), link("ob-archive", 1004, username="other")],
        },
    )

    with pytest.raises(ObLinkConflictError) as caught:
        provider.create(props)

    assert "'ob-archive' is held with ob_cluster_id=1004, username='proxyro'" in str(caught.value)
    assert writes(ocp) == []
    assert "ob-report" not in ocp_links(ocp, 1)


def test_create_on_a_missing_obproxy_cluster_names_it(provider: ObLinksProvider) -> None:
    props = checked(provider, {"obproxy_cluster_id": 77, "links": [link("ob-dev", 3001)]})

    with pytest.raises(Exception, match=r"GET /api/v2/obproxy/clusters/77 failed, HTTP 404"):
        provider.create(props)


# read


def created(
    provider: ObLinksProvider, *links: dict[str, Any], obproxy_cluster_id: int = 2
) -> dict[str, Any]:
    props = checked(provider, {"obproxy_cluster_id": obproxy_cluster_id, "links": list(links)})
    result = provider.create(props)
    return {**result.outs, "__provider": "blob"}


def test_read_reports_the_live_state(provider: ObLinksProvider, ocp: EmbeddedOcpServer) -> None:
    outs = created(provider, link("ob-staging", 2001), link("ob-dev", 3001))

    result = provider.read("2/x", outs)

    assert result.id == "2/x"
    assert result.inputs == {
        "obproxy_cluster_id": 2,
        "links": {
            "ob-dev": {"ob_cluster_id": 3001, "username": "proxyro"},
            "ob-staging": {"ob_cluster_id": 2001, "username": "proxyro"},
        },
    }
    assert result.outs["trace_id"] == outs["trace_id"]
    assert result.outs["links"] == result.inputs["links"]


def test_read_shows_a_link_removed_behind_pulumis_back(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = created(provider, link("ob-staging", 2001), link("ob-dev", 3001))
    ocp.store.remove_link(2, "ob-dev")

    result = provider.read("2/x", outs)

    assert result.inputs is not None
    assert list(result.inputs["links"]) == ["ob-staging"]
    update = provider.diff(
        "2/x",
        result.outs,
        checked(
            provider,
            {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2001), link("ob-dev", 3001)]},
        ),
    )
    assert update.changes is True


def test_read_ignores_links_it_does_not_manage(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = created(provider, link("ob-report", 1003), obproxy_cluster_id=1)

    result = provider.read("1/x", outs)

    assert list(result.outs["links"]) == ["ob-report"]


def test_read_of_a_vanished_obproxy_cluster_says_it_is_gone(provider: ObLinksProvider) -> None:
    result = provider.read("99/x", {**state(99, link("ob-a", 1)), "__provider": "blob"})

    assert result.id == ""


# update


def test_update_adds_only_new_links_with_one_batch_add(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(provider, link("ob-staging", 2001))
    ocp.store.clear_requests()
    news = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2001), link("ob-dev", 3001)]},
    )

    result = provider.update("2/x", olds, news)

    requests_made = ocp.store.requests()
    assert [(r.method, r.body) for r in requests_made] == [
        ("POST", [{"clusterName": "ob-dev", "obClusterId": 3001, "username": "proxyro"}])
    ]
    assert result.outs is not None
    assert result.outs["trace_id"] == requests_made[0].trace_id
    assert result.outs["obproxy_cluster_name"] == "obproxy-staging"
    assert list(result.outs["links"]) == ["ob-dev", "ob-staging"]


def test_update_removes_dropped_links_one_delete_each(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(
        provider, link("ob-staging", 2001), link("ob-dev", 3001), link("ob-report", 1003)
    )
    ocp.store.clear_requests()
    news = checked(provider, {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2001)]})

    provider.update("2/x", olds, news)

    assert writes(ocp) == [
        ("DELETE", "/api/v2/obproxy/clusters/2/obLinks/ob-dev"),
        ("DELETE", "/api/v2/obproxy/clusters/2/obLinks/ob-report"),
    ]
    assert list(ocp_links(ocp, 2)) == ["ob-staging"]


def test_update_without_link_changes_makes_no_call_and_keeps_the_trace_id(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(provider, link("ob-staging", 2001))
    ocp.store.clear_requests()

    result = provider.update(
        "2/x",
        olds,
        checked(provider, {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2001)]}),
    )

    assert ocp.store.requests() == []
    assert result.outs is not None and result.outs["trace_id"] == olds["trace_id"]


def test_update_replaces_a_link_whose_fields_changed(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(provider, link("ob-staging", 2001, username="proxyro"))
    ocp.store.clear_requests()
    news = checked(
        provider,
        {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2001, username="proxy_admin")]},
    )

    provider.update("2/x", olds, news)

    assert writes(ocp) == [
        ("DELETE", "/api/v2/obproxy/clusters/2/obLinks/ob-staging"),
        ("POST", "/api/v2/obproxy/clusters/2/obLinks/batchAdd"),
    ]
    assert ocp_links(ocp, 2) == {"ob-staging": (2001, "proxy_admin")}


def test_update_converges_after_an_earlier_half_finished_run(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(provider, link("ob-staging", 2001))
    news = checked(
        provider,
        {
            "obproxy_cluster_id": 2,
            "links": [link("ob-staging", 2001), link("ob-dev", 3001), link("ob-report", 1003)],
        },
    )
    # An earlier run added ob-dev, then failed before its state was saved.
    ocp.store.add_links(2, [ObLink(cluster_name="ob-dev", ob_cluster_id=3001)])

    provider.update("2/x", olds, news)

    assert ocp_links(ocp, 2) == {
        "ob-staging": (2001, "proxyro"),
        "ob-dev": (3001, "proxyro"),
        "ob-report": (1003, "proxyro"),
    }


def test_update_switches_the_single_link_of_an_rs_list_cluster(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(provider, link("ob-dev", 3001), obproxy_cluster_id=3)
    news = checked(provider, {"obproxy_cluster_id": 3, "links": [link("ob-staging", 2001)]})

    provider.update("3/x", olds, news)

    assert ocp_links(ocp, 3) == {"ob-staging": (2001, "proxyro")}


def test_update_refused_by_ocp_puts_the_changed_link_back(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    olds = created(provider, link("ob-staging", 2001))
    # A mistyped id: OCP refuses it, and the working link must survive.
    news = checked(provider, {"obproxy_cluster_id": 2, "links": [link("ob-staging", 2002)]})

    with pytest.raises(Exception, match="has obClusterId 2001, not 2002"):
        provider.update("2/x", olds, news)

    assert ocp_links(ocp, 2) == {"ob-staging": (2001, "proxyro")}


# delete


def test_delete_removes_managed_links_and_leaves_others(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = created(
        provider, link("ob-report", 1003), link("ob-prod-hz", 1001), obproxy_cluster_id=1
    )

    provider.delete("1/x", outs)

    assert list(ocp_links(ocp, 1)) == ["ob-archive"]


def test_delete_counts_a_link_already_gone_as_removed(
    provider: ObLinksProvider, ocp: EmbeddedOcpServer
) -> None:
    outs = created(provider, link("ob-staging", 2001), link("ob-dev", 3001))
    ocp.store.remove_link(2, "ob-dev")

    provider.delete("2/x", outs)

    assert ocp_links(ocp, 2) == {}


def test_delete_of_a_vanished_obproxy_cluster_succeeds(provider: ObLinksProvider) -> None:
    provider.delete("99/x", state(99, link("ob-a", 1)))


# configuration


def test_missing_configuration_fails_only_when_ocp_is_needed(
    ocp: EmbeddedOcpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OCP_URL", "OCP_USERNAME", "OCP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    provider = ObLinksProvider()
    provider.configure(ConfigureRequest(Config({"ocp:url": ocp.url}, "ocp-provider")))
    news = {"obproxy_cluster_id": 2, "links": [link("ob-dev", 3001)]}

    inputs = checked(provider, news)
    assert provider.diff("", state(2), inputs).changes is True

    with pytest.raises(OcpConfigurationError, match="ocp:username is not set"):
        provider.create(inputs)
    assert ocp.store.requests() == []


def test_environment_is_the_fallback_for_stack_config(
    ocp: EmbeddedOcpServer, ocp_env: dict[str, str]
) -> None:
    provider = ObLinksProvider()
    provider.configure(ConfigureRequest(Config({}, "ocp-provider")))

    provider.create(checked(provider, {"obproxy_cluster_id": 2, "links": [link("ob-dev", 3001)]}))

    assert "ob-dev" in ocp_links(ocp, 2)
