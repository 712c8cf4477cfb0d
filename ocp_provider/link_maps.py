"""Links as inputs and state keep them, handled without pydantic.

`check` and `diff` run on every preview for every resource. What they need in the common case,
inputs unchanged since they were last validated, lives here, so that the provider process does
not import pydantic and the validation models for a preview with nothing to change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi.runtime.rpc import UNKNOWN

from .defaults import DEFAULT_PROXY_USERNAME

if TYPE_CHECKING:
    from .inputs import LinkInput
    from .models import ObLink

LINK_FIELDS = ("cluster_name", "ob_cluster_id", "username", "cluster_id")
RESOURCE_FIELDS = ("obproxy_cluster_id", "obproxy_cluster_name", "links", "exclusive")
# Left out when None: a program passes None for the ones it does not give.
OPTIONAL_FIELDS = ("obproxy_cluster_id", "obproxy_cluster_name", "exclusive")

# Pulumi carries numbers as doubles, so an id above 2**53 - 1 could not arrive intact.
MAX_ID = 2**53 - 1


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN


def unchanged_inputs(olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any] | None:
    """`olds`, inputs `check` accepted before, when `news` declares exactly them; else None,
    and the caller validates `news` in full.

    Nothing is coerced here: a value of another type than the checked form holds (a string
    for an id, a number for a flag) counts as a difference, so input that validation would
    reject can never pass as unchanged.
    """
    if not olds:
        return None
    recorded = {key: value for key, value in olds.items() if key != "__provider"}

    seen = 0
    for key, value in news.items():
        if key == "__provider" or (value is None and key in OPTIONAL_FIELDS):
            continue
        if key == "links":
            if not _same_links(value, recorded.get("links")):
                return None
        elif key == "exclusive":
            if value is not recorded.get("exclusive", False):
                return None
            if value is False:
                continue
        elif key == "obproxy_cluster_id":
            if not _same_id(value, recorded.get(key)):
                return None
        elif key == "obproxy_cluster_name":
            if type(value) is not str or value != recorded.get(key):
                return None
        else:
            return None
        seen += 1

    # Every recorded property must have been declared again, none left out.
    return recorded if seen == len(recorded) else None


def _same_links(declared: Any, recorded: Any) -> bool:
    if type(declared) is not list or not isinstance(recorded, Mapping):
        return False
    if len(declared) != len(recorded):
        return False
    names = set()
    for link in declared:
        if type(link) is not dict:
            return False
        name = link.get("cluster_name")
        fields = recorded.get(name) if type(name) is str else None
        if fields is None or name in names or not _same_link(link, fields):
            return False
        names.add(name)
    return True


def _same_link(link: dict[str, Any], fields: Mapping[str, Any]) -> bool:
    username = link.get("username", DEFAULT_PROXY_USERNAME)
    if type(username) is not str or username != fields.get("username"):
        return False
    expected = 2  # cluster_name and username
    for key in ("ob_cluster_id", "cluster_id"):
        if key in link:
            if not _same_id(link[key], fields.get(key)):
                return False
            expected += 1
        elif key in fields:
            return False
    # No property beyond the known ones, and username given or defaulted.
    return len(link) == expected - ("username" not in link) and len(fields) == expected - 1


def _same_id(declared: Any, recorded: Any) -> bool:
    """True when both are the same whole number, in range; booleans are not numbers here."""
    if type(declared) not in (int, float) or type(recorded) not in (int, float):
        return False
    return bool(declared == recorded and 0 < declared <= MAX_ID and float(declared).is_integer())


LinkIdentity = tuple[int | None, str]


def link_identities(props: Mapping[str, Any]) -> dict[str, LinkIdentity] | None:
    """Each link's name, obClusterId (None when left to a lookup) and username, or None while
    any is unknown.

    Cheaper than `links_from_props`: diff runs on every preview, over every link.
    """
    recorded = props.get("links") or {}
    if isinstance(recorded, Mapping):
        return {
            name: (optional_id(fields), fields.get("username", DEFAULT_PROXY_USERNAME))
            for name, fields in recorded.items()
        }
    if has_unknown({"links": recorded}):
        return None
    return {
        link["cluster_name"]: (optional_id(link), link.get("username", DEFAULT_PROXY_USERNAME))
        for link in recorded
    }


def links_differ(desired: Mapping[str, LinkIdentity], recorded: Mapping[str, LinkIdentity]) -> bool:
    """True unless both hold the same links; a desired link without an obClusterId matches
    the recorded one whatever id OCP gave it."""
    if desired.keys() != recorded.keys():
        return True
    for name, (ob_cluster_id, username) in desired.items():
        recorded_id, recorded_username = recorded[name]
        if username != recorded_username:
            return True
        if ob_cluster_id is not None and ob_cluster_id != recorded_id:
            return True
    return False


def optional_id(fields: Mapping[str, Any]) -> int | None:
    value = fields.get("ob_cluster_id")
    return None if value is None else int(value)


def links_to_props(links: Iterable[LinkInput | ObLink]) -> dict[str, dict[str, Any]]:
    """Links as inputs and state keep them: a map keyed by cluster name.

    A map, not a list, so that order never matters and `pulumi preview --diff` names each link
    added, removed or changed instead of showing list positions. Fields are read directly, not
    dumped through pydantic: check runs this over every link on every preview.
    """
    props: dict[str, dict[str, Any]] = {}
    for link in sorted(links, key=lambda link: link.cluster_name):
        fields: dict[str, Any] = {"ob_cluster_id": link.ob_cluster_id, "username": link.username}
        if link.ob_cluster_id is None:
            del fields["ob_cluster_id"]
        if link.cluster_id is not None:
            fields["cluster_id"] = link.cluster_id
        props[link.cluster_name] = fields
    return props


def has_unknown(props: Mapping[str, Any]) -> bool:
    if is_unknown(props.get("obproxy_cluster_id")) or is_unknown(props.get("obproxy_cluster_name")):
        return True
    links = props.get("links")
    if not isinstance(links, list):
        return is_unknown(links)
    for link in links:
        if is_unknown(link):
            return True
        if isinstance(link, dict) and UNKNOWN in link.values():
            return True
    return False
