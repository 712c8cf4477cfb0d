"""The errors ocp-provider raises, one class per failure a user can act on."""

from __future__ import annotations

from typing import Any


class OcpProviderError(Exception):
    """Base of every error this package raises."""


class OcpConfigurationError(OcpProviderError):
    """The OCP endpoint or credentials are missing or malformed."""


class OcpApiError(OcpProviderError):
    """OCP answered a call with an error, or not at all.

    The message names the call, the HTTP status, OCP's error code and message, the traceId
    and what to do next. It never carries a credential.
    """

    hint = "Check OCP's logs for the traceId, then retry."

    def __init__(
        self,
        method: str,
        path: str,
        *,
        status: int | None = None,
        code: int | None = None,
        message: str = "",
        trace_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.ocp_message = message
        self.trace_id = trace_id
        if hint is not None:
            self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [f"OCP {self.method} {self.path} failed"]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(f"code {self.code}")
        if self.trace_id:
            parts.append(f"traceId {self.trace_id}")
        text = ", ".join(parts)
        if self.ocp_message:
            text += f": {self.ocp_message}"
        return f"{text}. {self.hint}"


class OcpAuthenticationError(OcpApiError):
    """OCP refused the credentials (HTTP 401) or the permission (HTTP 403)."""

    hint = (
        "Check ocp:username and ocp:password (or OCP_USERNAME and OCP_PASSWORD), or the "
        "AccessKey pair and this machine's clock, and that the user may manage OBProxy clusters."
    )


class OcpNotFoundError(OcpApiError):
    """The OBProxy cluster, obLink or OceanBase cluster does not exist (HTTP 404)."""

    hint = "Check the id or name against OCP's console or GET /api/v2/obproxy/clusters."


class OcpInvalidRequestError(OcpApiError):
    """OCP rejected the request as invalid or conflicting (HTTP 400 or 409)."""

    hint = "Correct the stack's input named in OCP's message, then run `pulumi up` again."


class OcpUnavailableError(OcpApiError):
    """OCP could not be reached, timed out, failed (HTTP 5xx) or sent an unreadable answer."""

    hint = "Check that OCP is up and reachable at ocp:url, then run `pulumi up` again."

    def __init__(self, method: str, path: str, *, retryable: bool = False, **details: Any) -> None:
        #: True when repeating a read or delete may help: OCP answered that it failed, or its
        #: answer broke off midway. urllib3 has already retried the other transient failures.
        self.retryable = retryable
        super().__init__(method, path, **details)


class ObLinkConflictError(OcpProviderError):
    """An obLink already exists in OCP with fields other than the ones declared."""


class NameLookupError(OcpProviderError):
    """A cluster given by name matches no cluster in OCP, or more than one."""
