"""Manage the obLinks of OceanBase OBProxy clusters through OCP, as Pulumi resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    NameLookupError,
    ObLinkConflictError,
    OcpApiError,
    OcpAuthenticationError,
    OcpConfigurationError,
    OcpInvalidRequestError,
    OcpNotFoundError,
    OcpProviderError,
    OcpUnavailableError,
)

if TYPE_CHECKING:
    from .lookups import get_ob_cluster, get_obproxy_cluster
    from .resource import ObLinkArgs, ObProxyObLinks

__all__ = [
    "NameLookupError",
    "ObLinkArgs",
    "ObLinkConflictError",
    "ObProxyObLinks",
    "OcpApiError",
    "OcpAuthenticationError",
    "OcpConfigurationError",
    "OcpInvalidRequestError",
    "OcpNotFoundError",
    "OcpProviderError",
    "OcpUnavailableError",
    "__version__",
    "get_ob_cluster",
    "get_obproxy_cluster",
]


def __getattr__(name: str) -> Any:
    # The engine's provider process imports this package to unpickle the provider, and never
    # needs the resource classes: load them on first use only.
    if name in ("ObLinkArgs", "ObProxyObLinks"):
        from . import resource

        return getattr(resource, name)
    if name in ("get_ob_cluster", "get_obproxy_cluster"):
        from . import lookups

        return getattr(lookups, name)
    raise AttributeError(f"module 'ocp_provider' has no attribute {name!r}")
