"""Finding OCP's ids for clusters a stack names: OBProxy clusters and OceanBase clusters."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from .errors import NameLookupError

if TYPE_CHECKING:
    from .client import OcpClient
    from .models import ObCluster, ObproxyCluster, Page

ItemT = TypeVar("ItemT")

# OCP's largest page; a name filter rarely needs more than one.
PAGE_SIZE = 2000


def obproxy_cluster_id_named(client: OcpClient, name: str) -> int:
    """The id of the one OBProxy cluster called `name` (case matters, as in OCP's console)."""
    clusters = list(_all_obproxy_clusters(client))
    matches = [cluster.id for cluster in clusters if cluster.name == name]
    if len(matches) == 1:
        return matches[0]

    what = f"OBProxy cluster named {name!r}"
    if matches:
        raise NameLookupError(
            f"{len(matches)} OBProxy clusters are named {name!r} (ids "
            f"{', '.join(map(str, sorted(matches)))}); give obproxy_cluster_id instead"
        )
    raise NameLookupError(_no_match(what, name, [cluster.name for cluster in clusters]))


def ob_cluster_named(client: OcpClient, name: str) -> ObCluster:
    """The one OceanBase cluster called `name`, found with OCP's name filter."""
    # The filter is a case-insensitive keyword, so it also returns longer names and other cases.
    candidates = list(_ob_clusters(client, name))
    matches = [cluster for cluster in candidates if cluster.name == name]
    if len(matches) == 1:
        return matches[0]

    if matches:
        # OceanBase 3.x primary and standby clusters share a name and differ in obClusterId.
        described = ", ".join(
            f"obClusterId {cluster.ob_cluster_id} ({cluster.type or 'type unknown'})"
            for cluster in sorted(matches, key=lambda cluster: cluster.ob_cluster_id)
        )
        raise NameLookupError(
            f"{len(matches)} OceanBase clusters in OCP are named {name!r}: {described}. "
            f"Declare ob_cluster_id on the link to {name!r} to choose one"
        )

    # A misspelt name may not contain the keyword at all: compare against every name.
    known = [cluster.name for cluster in _ob_clusters(client, None)]
    raise NameLookupError(_no_match(f"OceanBase cluster named {name!r}", name, known))


def _no_match(what: str, name: str, known: list[str]) -> str:
    by_case = sorted({other for other in known if other.lower() == name.lower()})
    close = by_case or difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.6)
    hint = (
        f"Close matches: {', '.join(repr(other) for other in close)}."
        if close
        else "Check the name in OCP's console."
    )
    return f"OCP has no {what}. {hint}"


def _all_obproxy_clusters(client: OcpClient) -> Iterator[ObproxyCluster]:
    return _every_page(lambda page: client.list_obproxy_clusters(page=page, size=PAGE_SIZE))


def _ob_clusters(client: OcpClient, name: str | None) -> Iterator[ObCluster]:
    return _every_page(lambda page: client.list_ob_clusters(name=name, page=page, size=PAGE_SIZE))


def _every_page(fetch: Callable[[int], Page[ItemT]]) -> Iterator[ItemT]:
    """The items of a paged OCP list, page after page, until OCP says there are no more."""
    page = 1
    while True:
        listed = fetch(page)
        yield from listed.contents
        if listed.page is None or page >= listed.page.total_pages:
            return
        page += 1
