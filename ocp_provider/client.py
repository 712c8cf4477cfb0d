"""A small, typed client for the part of OCP's REST API that manages OBProxy obLinks."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import logs
from ._version import __version__
from .auth import AccessKeyAuth
from .config import OcpSettings
from .errors import (
    OcpApiError,
    OcpAuthenticationError,
    OcpInvalidRequestError,
    OcpNotFoundError,
    OcpUnavailableError,
)
from .models import Envelope, ObCluster, ObLink, ObproxyCluster, Page, WriteReceipt

ModelT = TypeVar("ModelT", bound=BaseModel)

IDEMPOTENT_METHODS = frozenset({"GET", "DELETE"})
# Repeats of a read or delete after an answer that was not OCP's or said it failed.
APPLICATION_RETRIES = 2
CONNECT_TIMEOUT_SECONDS = 10.0
READ_TIMEOUT_SECONDS = 30.0


class _DeadlineRetry(Retry):
    """urllib3's retries, with every wait cut short by the operation's deadline."""

    def __init__(self, *args: Any, deadline: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def new(self, **kwargs: Any) -> _DeadlineRetry:
        kwargs.setdefault("deadline", self.deadline)
        return super().new(**kwargs)

    def _remaining(self) -> float:
        return float("inf") if self.deadline is None else self.deadline - time.monotonic()

    def is_exhausted(self) -> bool:
        return bool(super().is_exhausted()) or self._remaining() <= 0

    def get_backoff_time(self) -> float:
        return max(0.0, min(super().get_backoff_time(), self._remaining()))

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else max(0.0, min(seconds, self._remaining()))


def _retry(deadline: float) -> Retry:
    # Reads and deletes are safe to repeat; batchAdd is not, so POST is retried only on errors
    # that happen before the request leaves this machine (urllib3 counts those as connect errors).
    return _DeadlineRetry(
        total=5,
        connect=3,
        read=2,
        status=4,
        # Anything else, such as a certificate that fails verification, will not mend itself.
        other=0,
        backoff_factor=0.3,
        backoff_jitter=0.2,
        status_forcelist=(429, 502, 503, 504),
        allowed_methods=IDEMPOTENT_METHODS,
        respect_retry_after_header=True,
        raise_on_status=False,
        deadline=deadline,
    )


def _describe(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS verification failed: set ocp:caBundle to the CA that signed OCP's certificate"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the answer broke off midway"
    if isinstance(exc, requests.exceptions.RetryError):
        return "it kept failing after retries"
    return f"{type(exc).__name__}: the connection failed or broke"


def _error_class(status: int) -> type[OcpApiError]:
    if status in (401, 403):
        return OcpAuthenticationError
    if status == 404:
        return OcpNotFoundError
    if status in (400, 409, 422):
        return OcpInvalidRequestError
    return OcpUnavailableError


class OcpClient:
    """Talks to one OCP over HTTP Basic auth, for one operation.

    Every call and retry of the client must end within `settings.timeout_seconds` of its
    creation. Not shared between threads: make one per operation.
    """

    def __init__(self, settings: OcpSettings) -> None:
        self._settings = settings
        self._deadline = time.monotonic() + settings.timeout_seconds
        self._session = requests.Session()
        if settings.access_key_id and settings.access_key_secret:
            self._session.auth = AccessKeyAuth(
                settings.access_key_id, settings.access_key_secret.get_secret_value()
            )
        elif settings.username and settings.password:
            self._session.auth = (settings.username, settings.password.get_secret_value())
        self._session.headers.update(
            {"Accept": "application/json", "User-Agent": f"ocp-provider/{__version__}"}
        )
        adapter = HTTPAdapter(max_retries=_retry(self._deadline))
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> OcpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # OBProxy clusters and their obLinks

    def get_obproxy_cluster(self, obproxy_cluster_id: int) -> ObproxyCluster:
        envelope = self._call("GET", f"/api/v2/obproxy/clusters/{obproxy_cluster_id}")
        return self._parse(ObproxyCluster, envelope.data, "GET", "/api/v2/obproxy/clusters/{id}")

    def list_obproxy_clusters(self, page: int = 1, size: int = 100) -> Page[ObproxyCluster]:
        path = "/api/v2/obproxy/clusters"
        envelope = self._call("GET", path, params={"page": page, "size": size})
        return self._parse(Page[ObproxyCluster], envelope.data, "GET", path)

    def batch_add_ob_links(self, obproxy_cluster_id: int, links: Iterable[ObLink]) -> WriteReceipt:
        body = [
            link.model_dump(
                mode="json",
                by_alias=True,
                exclude_none=True,
                include={"cluster_name", "ob_cluster_id", "username", "cluster_id"},
            )
            for link in links
        ]
        path = f"/api/v2/obproxy/clusters/{obproxy_cluster_id}/obLinks/batchAdd"
        return self._receipt(self._call("POST", path, json=body))

    def delete_ob_link(self, obproxy_cluster_id: int, cluster_name: str) -> WriteReceipt:
        if cluster_name in ("", ".", ".."):
            raise ValueError(f"{cluster_name!r} cannot name an obLink in a URL path")
        path = (
            f"/api/v2/obproxy/clusters/{obproxy_cluster_id}/obLinks/{quote(cluster_name, safe='')}"
        )
        return self._receipt(self._call("DELETE", path))

    # OceanBase clusters

    def list_ob_clusters(
        self, name: str | None = None, page: int = 1, size: int = 100
    ) -> Page[ObCluster]:
        path = "/api/v2/ob/clusters"
        params: dict[str, Any] = {"page": page, "size": size}
        if name is not None:
            params["name"] = name
        envelope = self._call("GET", path, params=params)
        return self._parse(Page[ObCluster], envelope.data, "GET", path)

    # The transport

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Envelope:
        """One OCP call. Reads and deletes are also repeated after an answer urllib3 cannot
        judge: HTTP 200 with `successful: false`, a 500, or a body that is not OCP's."""
        for attempt in range(APPLICATION_RETRIES + 1):
            try:
                return self._call_once(method, path, params=params, json=json)
            except OcpUnavailableError as exc:
                backoff = 0.3 * 2**attempt * random.uniform(0.8, 1.2)
                pause = min(backoff, self._deadline - time.monotonic())
                if method not in IDEMPOTENT_METHODS or not exc.retryable or pause <= 0:
                    raise
                if attempt == APPLICATION_RETRIES:
                    raise
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _call_once(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
    ) -> Envelope:
        started = time.monotonic()
        remaining = self._deadline - started
        if remaining <= 0:
            raise OcpUnavailableError(
                method,
                path,
                message=f"the operation's deadline of {self._settings.timeout_seconds:g}s passed",
                hint="Raise ocp:timeoutSeconds if OCP is slow, then run `pulumi up` again.",
            )
        # No single call may use up the deadline: a third of it is left for finding out what
        # OCP did when an answer is lost.
        timeout = (
            min(CONNECT_TIMEOUT_SECONDS, remaining),
            min(READ_TIMEOUT_SECONDS, remaining / 3),
        )
        try:
            response = self._session.request(
                method,
                self._settings.url + path,
                params=params,
                json=json,
                timeout=timeout,
                # Per request: a session-wide setting loses to REQUESTS_CA_BUNDLE in requests.
                verify=self._settings.verify,
            )
        except requests.RequestException as exc:
            # Only the exception's class is shown: its text can repeat the URL and headers.
            raise OcpUnavailableError(
                method,
                path,
                message=f"no answer from OCP ({_describe(exc)})",
                retryable=isinstance(exc, requests.exceptions.ChunkedEncodingError),
            ) from None

        elapsed_ms = (time.monotonic() - started) * 1000
        envelope = self._envelope(method, path, response)
        logs.debug(
            f"OCP {method} {path} -> {response.status_code} "
            f"traceId={envelope.trace_id if envelope else '-'} {elapsed_ms:.0f}ms"
        )

        if envelope is None:
            raise OcpUnavailableError(
                method,
                path,
                status=response.status_code,
                message="the answer is not an OCP JSON envelope",
                retryable=True,
            )
        if response.status_code >= 400 or not envelope.successful:
            status = response.status_code if response.status_code >= 400 else envelope.status
            error = envelope.error
            message = error.message if error else ""
            if error and error.sub_errors:
                fields = "; ".join(
                    f"{sub.field}: {sub.message}" for sub in error.sub_errors if sub.field
                )
                message = f"{message} ({fields})" if fields else message
            failure = _error_class(status)(
                method,
                path,
                status=status,
                code=error.code if error else None,
                message=message,
                trace_id=envelope.trace_id,
            )
            if isinstance(failure, OcpUnavailableError):
                failure.retryable = True
            raise failure
        return envelope

    @staticmethod
    def _envelope(method: str, path: str, response: requests.Response) -> Envelope | None:
        try:
            return Envelope.model_validate(response.json())
        except (ValueError, ValidationError):
            return None

    @staticmethod
    def _parse(model: type[ModelT], data: Any, method: str, path: str) -> ModelT:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise OcpUnavailableError(
                method, path, message=f"OCP's answer has an unexpected shape: {exc.errors()[0]}"
            ) from None

    @staticmethod
    def _receipt(envelope: Envelope) -> WriteReceipt:
        return WriteReceipt(
            trace_id=envelope.trace_id, server=envelope.server, timestamp=envelope.timestamp
        )
