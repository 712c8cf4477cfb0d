"""OCP's wire format as pydantic models: camelCase on the wire, snake_case in Python."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .defaults import DEFAULT_PROXY_USERNAME


class WireModel(BaseModel):
    """Base of every OCP object: camelCase aliases; unknown keys ignored, as OCP's mapper does."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class ObLink(WireModel):
    """One connectable OceanBase cluster of an OBProxy cluster, keyed by its cluster name."""

    cluster_name: str
    ob_cluster_id: int
    username: str = DEFAULT_PROXY_USERNAME
    # OCP's own id of the OceanBase cluster; batchAdd's sample body carries it, OCP ignores it.
    cluster_id: int | None = None
    status: str | None = None
    cluster_type: str | None = None

    def same_link(self, other: ObLink) -> bool:
        """True when both name the same OceanBase cluster through the same proxy user."""
        return (self.cluster_name, self.ob_cluster_id, self.username) == (
            other.cluster_name,
            other.ob_cluster_id,
            other.username,
        )


class ObproxyCluster(WireModel):
    """An OBProxy cluster as GET /api/v2/obproxy/clusters/{id} returns it."""

    id: int
    name: str
    address: str | None = None
    port: int | None = None
    config_url: str | None = None
    ob_links: list[ObLink] = Field(default_factory=list)


class ObCluster(WireModel):
    """An OceanBase cluster as GET /api/v2/ob/clusters lists it."""

    id: int
    name: str
    ob_cluster_id: int
    type: str | None = None
    status: str | None = None
    ob_version: str | None = None


class PageInfo(WireModel):
    """Where a page of a paged list stands; `number` is 1-based."""

    total_elements: int
    total_pages: int
    number: int
    size: int


ItemT = TypeVar("ItemT")


class Page(WireModel, Generic[ItemT]):
    """One page of a paged list: `data.contents` and `data.page`."""

    contents: list[ItemT] = Field(default_factory=list)
    page: PageInfo | None = None


class SubError(WireModel):
    """A field-level validation problem inside an error envelope."""

    object: str | None = None
    field: str | None = None
    rejected_value: Any = None
    message: str | None = None


class ErrorBody(WireModel):
    """The `error` member of a failed call's envelope."""

    code: int = 0
    message: str = ""
    debug_message: str | None = None
    sub_errors: list[SubError] = Field(default_factory=list)


class Envelope(WireModel):
    """The frame OCP puts around every answer, successful or not."""

    successful: bool
    status: int
    trace_id: str | None = None
    server: str | None = None
    timestamp: str | None = None
    duration: int | None = None
    data: Any = None
    error: ErrorBody | None = None


class WriteReceipt(WireModel):
    """What a write told us about itself, kept as the resource's outputs."""

    trace_id: str | None = None
    server: str | None = None
    timestamp: str | None = None
