"""Properties of check and diff that must hold for any set of links."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
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


# Values a program might pass for any field: valid ones, wrong types, and edge numbers.
field_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-2, max_value=2**60),
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.sampled_from(["ob-a", "proxyro", " ob-a", "", "1001", "ob/a"]),
)


@settings(max_examples=400)
@given(links=link_sets, data=st.data())
def test_the_unchanged_fast_path_never_accepts_what_validation_rejects(
    links: dict[str, tuple[int, str]], data: st.DataObject
) -> None:
    from ocp_provider.inputs import check_inputs

    provider = ObLinksProvider()
    # Id 1, so that True, which Python counts equal to 1, is among the wrong values tried.
    valid = {"obproxy_cluster_id": 1, "links": as_links(links)}
    olds = provider.check({}, valid).inputs
    # One field of the same inputs changed to anything at all, or a field added.
    news: dict[str, Any] = {**valid, "links": [dict(link) for link in valid["links"]]}
    target = data.draw(st.sampled_from(["resource", "link"] if links else ["resource"]))
    value = data.draw(field_values)
    if target == "resource":
        key = data.draw(
            st.sampled_from(["obproxy_cluster_id", "obproxy_cluster_name", "exclusive", "x"])
        )
        news[key] = value
    else:
        index = data.draw(st.integers(min_value=0, max_value=len(links) - 1))
        key = data.draw(st.sampled_from(["cluster_name", "ob_cluster_id", "username", "x"]))
        news["links"][index][key] = value

    checked, failures = check_inputs(news)
    result = provider.check(olds, news)

    if failures:
        assert result.failures, f"the fast path let {key}={value!r} through"
    else:
        assert result.failures == []
        assert result.inputs == checked


@given(links=link_sets)
def test_unchanged_inputs_take_the_fast_path_with_the_same_result(
    links: dict[str, tuple[int, str]],
) -> None:
    from ocp_provider.link_maps import unchanged_inputs

    provider = ObLinksProvider()
    news = {"obproxy_cluster_name": "px", "links": as_links(links), "exclusive": True}
    olds = provider.check({}, news).inputs
    # As the engine hands them back: every number a double.
    olds = {
        **olds,
        "links": {
            name: {**fields, "ob_cluster_id": float(fields["ob_cluster_id"])}
            for name, fields in olds["links"].items()
        },
    }

    assert unchanged_inputs(olds, news) == provider.check({}, news).inputs
