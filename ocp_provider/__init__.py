"""Manage the obLinks of OceanBase OBProxy clusters through OCP, as Pulumi resources."""

from ._version import __version__
from .errors import (
    ObLinkConflictError,
    OcpApiError,
    OcpAuthenticationError,
    OcpConfigurationError,
    OcpInvalidRequestError,
    OcpNotFoundError,
    OcpProviderError,
    OcpUnavailableError,
)
from .resource import ObLinkArgs, ObProxyObLinks

__all__ = [
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
]
