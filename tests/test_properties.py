"""Properties of check and diff that must hold for any set of links."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ocp_provider.provider import ObLinksProvider

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=20)
ids = st.integers(min_value=1, max_value=2**53 - 1)
link_sets = st.dictionaries(
    names, st.tuples(ids, st.sampled_from(["proxyro", "proxy_b"])), max_size=30
)


def as_links(links: dict[str, tuple[int, str]]) -> list[dict[str, Any]]:
    return [
        {"cluster_name": name, "ob_cluster_id": ob_id, "username": user}
        for name, (ob_id, user) in links.items()
    ]


@given(links=link_sets, data=st.data())
def test_order_of_links_never_matters(
    links: dict[str, tuple[int, str]], data: st.DataObject
) -> None:
    provider = ObLinksProvider()
    declared = as_links(links)
    shuffled = data.draw(st.permutations(declared))

    first = provider.check({}, {"obproxy_cluster_id": 7, "links": declared})
    second = provider.check({}, {"obproxy_cluster_id": 7, "links": shuffled})

    assert first.failures == [] and second.failures == []
    assert first.inputs == second.inputs
    assert provider.diff("7/x", first.inputs, second.inputs).changes is False


@given(old=link_sets, new=link_sets)
def test_diff_changes_exactly_when_the_sets_differ(
    old: dict[str, tuple[int, str]], new: dict[str, tuple[int, str]]
) -> None:
    provider = ObLinksProvider()
    olds = provider.check({}, {"obproxy_cluster_id": 7, "links": as_links(old)}).inputs
    news = provider.check({}, {"obproxy_cluster_id": 7, "links": as_links(new)}).inputs

    result = provider.diff("7/x", olds, news)

    assert result.changes is (old != new)
    assert result.replaces == []
