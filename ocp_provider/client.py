"""A small, typed client for the part of OCP's REST API that manages OBProxy obLinks."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import quote

import pulumi
import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ._version import __version__
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

CONNECT_TIMEOUT_SECONDS = 10.0

# Reads and deletes are safe to repeat; batchAdd is not, so POST is retried only on errors that
# happen before the request leaves this machine (urllib3 counts those as connect errors).
_RETRY = Retry(
    total=4,
    connect=3,
    read=2,
    status=3,
    backoff_factor=0.3,
    backoff_jitter=0.2,
    status_forcelist=(429, 502, 503, 504),
    allowed_methods=frozenset({"GET", "DELETE"}),
    respect_retry_after_header=True,
    raise_on_status=False,
)


def _error_class(status: int) -> type[OcpApiError]:
    if status in (401, 403):
        return OcpAuthenticationError
    if status == 404:
        return OcpNotFoundError
    if status in (400, 409, 422):
        return OcpInvalidRequestError
    return OcpUnavailableError


class OcpClient:
    """Talks to one OCP over HTTP Basic auth. Not shared between threads: make one per operation."""

    def __init__(self, settings: OcpSettings) -> None:
        self._settings = settings
        self._session = requests.Session()
        self._session.auth = (settings.username, settings.password.get_secret_value())
        self._session.verify = settings.verify
        self._session.headers.update(
            {"Accept": "application/json", "User-Agent": f"ocp-provider/{__version__}"}
        )
        adapter = HTTPAdapter(max_retries=_RETRY)
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
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                self._settings.url + path,
                params=params,
                json=json,
                timeout=(CONNECT_TIMEOUT_SECONDS, self._settings.timeout_seconds),
            )
        except requests.RequestException as exc:
            # The exception text names host and port only; requests never puts auth in it.
            raise OcpUnavailableError(
                method, path, message=f"no answer from OCP ({type(exc).__name__})"
            ) from None

        elapsed_ms = (time.monotonic() - started) * 1000
        envelope = self._envelope(method, path, response)
        pulumi.log.debug(
            f"OCP {method} {path} -> {response.status_code} "
            f"traceId={envelope.trace_id if envelope else '-'} {elapsed_ms:.0f}ms"
        )

        if envelope is None:
            raise OcpUnavailableError(
                method,
                path,
                status=response.status_code,
                message="the answer is not an OCP JSON envelope",
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
            raise _error_class(status)(
                method,
                path,
                status=status,
                code=error.code if error else None,
                message=message,
                trace_id=envelope.trace_id,
            )
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
