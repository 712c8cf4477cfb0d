"""The resource's inputs, validated and normalised with pydantic; failures name a property path."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pulumi.dynamic import CheckFailure
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from .defaults import DEFAULT_PROXY_USERNAME
from .link_maps import (
    LINK_FIELDS,
    MAX_ID,
    OPTIONAL_FIELDS,
    RESOURCE_FIELDS,
    has_unknown,
    is_unknown,
    links_to_props,
    optional_id,
)

if TYPE_CHECKING:
    from .models import ObLink

# A name becomes a URL path segment in DELETE .../obLinks/{clusterName}.
_FORBIDDEN_IN_NAMES = re.compile(r"[/\\?#%]")


_FIELD_HINTS = {
    "obproxy_cluster_id": "OCP's id of the OBProxy cluster, e.g. obproxy_cluster_id=12",
    "obproxy_cluster_name": 'the OBProxy cluster\'s name in OCP, e.g. obproxy_cluster_name="px1"',
    "exclusive": "True to remove links OCP holds that the stack does not declare, else False",
    "links": 'a list of links, e.g. links=[{"cluster_name": "obcluster1", "ob_cluster_id": 1}]',
    "cluster_name": 'the OceanBase cluster\'s name as OCP shows it, e.g. cluster_name="obcluster1"',
    "ob_cluster_id": "the OceanBase cluster's own id (obClusterId), e.g. ob_cluster_id=1, "
    "or leave it out to look it up by cluster_name",
    "username": 'the proxy user OBProxy connects as; leave it out for "proxyro"',
    "cluster_id": "OCP's own id of the OceanBase cluster (optional), e.g. cluster_id=3",
}


def _ocp_id(value: Any) -> Any:
    """Accepts a whole number, including the doubles Pulumi turns every number into."""
    if isinstance(value, bool):
        raise PydanticCustomError("ocp_id", "must be an integer, not a boolean")
    if isinstance(value, str):
        raise PydanticCustomError(
            "ocp_id",
            "must be an integer, not the string {text}; write it without quotes",
            {"text": repr(value)},
        )
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError(
                "ocp_id", "must be a whole number, not {value}", {"value": value}
            )
        value = int(value)
    if not isinstance(value, int):
        raise PydanticCustomError("ocp_id", "must be an integer")
    if value <= 0:
        raise PydanticCustomError(
            "ocp_id", "must be a positive integer, not {value}", {"value": value}
        )
    if value > MAX_ID:
        raise PydanticCustomError(
            "ocp_id",
            "must be at most 2**53 - 1 ({limit}), not {value}",
            {"limit": MAX_ID, "value": value},
        )
    return value


def _name(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("ocp_name", "must be a string")
    if value == "":
        raise PydanticCustomError("ocp_name", "must not be empty")
    if value != value.strip():
        raise PydanticCustomError(
            "ocp_name",
            "has spaces at its start or end ({text}); remove them",
            {"text": repr(value)},
        )
    if value in (".", ".."):
        # As a URL path segment it would name the OBProxy cluster or its parent instead.
        raise PydanticCustomError("ocp_name", "must not be {text}", {"text": repr(value)})
    if len(value) > 128:
        raise PydanticCustomError("ocp_name", "is longer than 128 characters")
    if _FORBIDDEN_IN_NAMES.search(value) or not value.isprintable():
        raise PydanticCustomError(
            "ocp_name",
            "contains a character OCP does not allow in names ({text})",
            {"text": repr(value)},
        )
    return value


def _username(value: Any) -> Any:
    value = _name(value)
    if any(ch.isspace() for ch in value):
        raise PydanticCustomError("ocp_name", "must not contain spaces")
    return value


OcpId = Annotated[int, BeforeValidator(_ocp_id)]
ClusterName = Annotated[str, BeforeValidator(_name)]
Username = Annotated[str, BeforeValidator(_username)]


class LinkInput(BaseModel):
    """One declared obLink."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cluster_name: ClusterName
    # Left out, it is looked up by cluster name when the link is added.
    ob_cluster_id: OcpId | None = None
    username: Username = DEFAULT_PROXY_USERNAME
    cluster_id: OcpId | None = None


class ObLinksInputs(BaseModel):
    """Everything an ObProxyObLinks resource declares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Exactly one of the two; check_inputs reports which is missing or extra.
    obproxy_cluster_id: OcpId | None = None
    obproxy_cluster_name: ClusterName | None = None
    links: list[LinkInput] = Field(default_factory=list)
    exclusive: StrictBool = False

    def to_props(self) -> dict[str, Any]:
        """The normalised inputs, with links as a map keyed by cluster name.

        Only what was declared is kept, so that state written before a property existed and
        state written after compare equal.
        """
        props: dict[str, Any] = {}
        if self.obproxy_cluster_id is not None:
            props["obproxy_cluster_id"] = self.obproxy_cluster_id
        if self.obproxy_cluster_name is not None:
            props["obproxy_cluster_name"] = self.obproxy_cluster_name
        props["links"] = links_to_props(self.links)
        if self.exclusive:
            props["exclusive"] = True
        return props


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _reason(error: ErrorDetails) -> str:
    loc = error["loc"]
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    hint = _FIELD_HINTS.get(field, "")
    kind = error["type"]

    if kind == "missing":
        return f"is required: set {hint}" if hint else "is required"
    if kind == "extra_forbidden":
        known = LINK_FIELDS if len(loc) > 1 else RESOURCE_FIELDS
        close = difflib.get_close_matches(_snake(field), known, n=1, cutoff=0.6)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        return f"is not a known property (known: {', '.join(known)}){suggestion}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        expected = "a list" if kind == "list_type" else "a mapping of link fields"
        return f"must be {expected}: {hint}" if hint else f"must be {expected}"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{message}: expected {hint}" if hint else message


def _snake(name: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in name).lstrip("_")


def _duplicate_failures(links: Any) -> list[CheckFailure]:
    if not isinstance(links, list):
        return []
    names = [
        link.get("cluster_name")
        for link in links
        if isinstance(link, dict) and isinstance(link.get("cluster_name"), str)
    ]
    counts = Counter(name for name in names if not is_unknown(name))
    failures = []
    for index, link in enumerate(links):
        name = link.get("cluster_name") if isinstance(link, dict) else None
        if isinstance(name, str) and counts.get(name, 0) > 1:
            failures.append(
                CheckFailure(
                    f"links[{index}].cluster_name",
                    f"names the OceanBase cluster {name!r}, which another link names too; "
                    "OCP keeps one link per cluster name, so declare it once",
                )
            )
    return failures


def _proxy_failures(props: Mapping[str, Any]) -> list[CheckFailure]:
    by_id, by_name = "obproxy_cluster_id" in props, "obproxy_cluster_name" in props
    if by_id and by_name:
        return [
            CheckFailure(
                "obproxy_cluster_name",
                "is given together with obproxy_cluster_id; keep one of them and remove the other: "
                "the id, or the name OCP shows",
            )
        ]
    if not by_id and not by_name:
        return [
            CheckFailure(
                "obproxy_cluster_id",
                'is required: set obproxy_cluster_id=12, or obproxy_cluster_name="px1" to '
                "have the id looked up",
            )
        ]
    return []


def check_inputs(news: dict[str, Any]) -> tuple[dict[str, Any], list[CheckFailure]]:
    """Validates and normalises the resource's inputs without any HTTP.

    Values still unknown during a preview pass through untouched, and so does the order of a
    links list in which some name is unknown.
    """
    # The optional properties arrive as null when a program passes None for them.
    props = {
        key: value
        for key, value in news.items()
        if key != "__provider" and not (value is None and key in OPTIONAL_FIELDS)
    }
    failures = _proxy_failures(props) + _duplicate_failures(props.get("links"))
    unknowns = has_unknown(props)

    try:
        checked = ObLinksInputs.model_validate(props)
    except ValidationError as exc:
        for error in exc.errors():
            if is_unknown(error.get("input")):
                continue
            failures.append(CheckFailure(_path(error["loc"]), _reason(error)))
        return _with_defaults(props), failures

    if failures:
        return props, failures
    if unknowns:
        # Valid so far, but a name or username is not known yet: nothing to key links by.
        return _with_defaults(props), []
    return checked.to_props(), []


def _with_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """Fills the username default into links that could not be fully validated yet."""
    links = props.get("links")
    if not isinstance(links, list):
        return props
    filled = [
        {"username": DEFAULT_PROXY_USERNAME, **link} if isinstance(link, dict) else link
        for link in links
    ]
    return {**props, "links": filled}


def links_from_props(props: Mapping[str, Any]) -> dict[str, ObLink]:
    """The links recorded in checked inputs or in state, keyed by cluster name."""
    from .models import ObLink

    recorded = props.get("links") or {}
    if isinstance(recorded, Mapping):
        links = [ObLink(cluster_name=name, **fields) for name, fields in recorded.items()]
    else:
        links = [ObLink.model_validate(link) for link in recorded]
    return {link.cluster_name: link for link in links}


def declared_links(props: Mapping[str, Any]) -> list[LinkInput]:
    """The links in checked inputs as declared: the obClusterId of some may be left out."""
    recorded = props.get("links") or {}
    if isinstance(recorded, Mapping):
        return [
            LinkInput(
                cluster_name=name,
                ob_cluster_id=optional_id(fields),
                username=fields.get("username", DEFAULT_PROXY_USERNAME),
                cluster_id=fields.get("cluster_id"),
            )
            for name, fields in sorted(recorded.items())
        ]
    return [LinkInput.model_validate(link) for link in recorded]
