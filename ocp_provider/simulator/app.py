"""The embedded OCP server's HTTP API, answering with OCP's envelopes and errors."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .. import auth
from ..models import ObLink
from .faults import Fault, FaultBook
from .store import OcpStore, now_text

SERVER_ADDRESS = "127.0.0.1"

# OCP's error codes, as its open-source sibling OCP Express defines them.
CODE_ILLEGAL_ARGUMENT = 10001
CODE_NOT_FOUND = 10002
CODE_NOT_AUTHENTICATED = 30000
CODE_BAD_CREDENTIALS = 30004


class OcpHttpError(Exception):
    """An answer in OCP's error envelope."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        sub_errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.sub_errors = sub_errors or []


class BatchAddItem(BaseModel):
    """One element of batchAdd's body. Unknown keys, such as the sample's clusterId, are ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    cluster_name: str = Field(min_length=1)
    ob_cluster_id: int
    username: str = Field(min_length=1)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


class OcpJSONResponse(JSONResponse):
    """JSON as OCP's Jackson writes it: keys in alphabetical order, nulls left out."""

    def render(self, content: Any) -> bytes:
        return json.dumps(_without_nulls(content), sort_keys=True, ensure_ascii=False).encode()


def _envelope(request: Request, status: int, **members: Any) -> OcpJSONResponse:
    started = getattr(request.state, "started", time.monotonic())
    body = {
        "duration": int((time.monotonic() - started) * 1000),
        "server": SERVER_ADDRESS,
        "status": status,
        "successful": status < 400,
        "timestamp": now_text(),
        "traceId": request.state.trace_id,
        **members,
    }
    return OcpJSONResponse(body, status_code=status)


def _error(request: Request, exc: OcpHttpError) -> OcpJSONResponse:
    error = {"code": exc.code, "message": exc.message, "subErrors": exc.sub_errors or None}
    return _envelope(request, exc.status, error=error)


def _paged(request: Request, contents: list[Any], total: int, page: int, size: int) -> Response:
    total_pages = (total + size - 1) // size if total else 0
    data = {
        "contents": contents,
        "page": {"number": page, "size": size, "totalElements": total, "totalPages": total_pages},
    }
    return _envelope(request, 200, data=data)


def _proxy_wire(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": record["name"],
        "address": record["address"],
        "port": record["port"],
        "configUrl": record["config_url"],
        "createTime": record["create_time"],
        "updateTime": record["update_time"],
        "obLinks": [link.to_wire() for link in record["ob_links"]],
    }


# OCP refuses a signed request whose Date is further than this from its own clock.
SIGNATURE_MAX_SKEW = timedelta(minutes=15)


async def _access_key_matches(request: Request, header: str, keys: Mapping[str, str]) -> bool:
    access_key_id, _, given = header[len(auth.SCHEME) + 1 :].partition(":")
    secret = keys.get(access_key_id)
    date = request.headers.get("date", "")
    if secret is None or not given:
        return False
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return False
    if sent.tzinfo is None or abs(datetime.now(timezone.utc) - sent) > SIGNATURE_MAX_SKEW:
        return False

    text = auth.string_to_sign(
        method=request.method,
        body=await request.body(),
        content_type=request.headers.get("content-type", ""),
        date=date,
        host=request.headers.get("host", ""),
        headers=request.headers.items(),
        # The path as the client sent and signed it, before percent-decoding.
        path=request.scope.get("raw_path", b"").decode("latin-1") or request.url.path,
        query=request.url.query,
    )
    return secrets.compare_digest(given, auth.signature(secret, text))


def _credentials_match(header: str | None, username: str, password: str) -> bool:
    if not header or not header.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(header[len("Basic ") :], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    given_user, _, given_password = decoded.partition(":")
    return secrets.compare_digest(given_user, username) and secrets.compare_digest(
        given_password, password
    )


def create_app(
    store: OcpStore,
    faults: FaultBook,
    username: str,
    password: str,
    access_keys: Mapping[str, str] | None = None,
) -> FastAPI:
    """The embedded OCP server over `store`, accepting HTTP Basic auth as `username`, and
    requests signed with any of `access_keys` (AccessKey id to secret)."""
    keys = dict(access_keys or {})
    app = FastAPI(title="Embedded OCP server", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def trace_and_authenticate(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.started = time.monotonic()
        request.state.trace_id = secrets.token_hex(8)

        header = request.headers.get("authorization", "")
        if header.startswith(auth.SCHEME + " "):
            authenticated = await _access_key_matches(request, header, keys)
        else:
            authenticated = _credentials_match(header, username, password)
        if not authenticated:
            code = (
                CODE_BAD_CREDENTIALS
                if "authorization" in request.headers
                else (CODE_NOT_AUTHENTICATED)
            )
            response: Response = _error(
                request, OcpHttpError(401, code, "Authentication failed: bad credentials")
            )
        else:
            response = await call_next(request)

        if request.url.path.startswith("/api/"):
            store.log_request(
                request.method,
                request.url.path,
                response.status_code,
                request.state.trace_id,
                getattr(request.state, "logged_body", None),
                getattr(request.state, "fault", None),
            )
        return response

    @app.exception_handler(OcpHttpError)
    async def ocp_error(request: Request, exc: OcpHttpError) -> Response:
        return _error(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        sub_errors = []
        for error in exc.errors():
            loc = "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}"
                for part in error["loc"]
                if part not in ("body", "query", "path")
            ).lstrip(".")
            sub_errors.append(
                {
                    "object": "obLink" if error["loc"][:1] == ("body",) else "request",
                    "field": loc or None,
                    "rejectedValue": error.get("input")
                    if isinstance(error.get("input"), (str, int, float, bool))
                    else None,
                    "message": error["msg"],
                }
            )
        # Bean validation failures carry no code in OCP, which writes the primitive's 0.
        return _error(request, OcpHttpError(400, 0, "Invalid request", sub_errors))

    @app.exception_handler(404)
    async def no_route(request: Request, _exc: Exception) -> Response:
        return _error(request, OcpHttpError(404, CODE_NOT_FOUND, f"No API at {request.url.path}"))

    def proxy_or_404(obproxy_cluster_id: int) -> dict[str, Any]:
        record = store.obproxy_cluster(obproxy_cluster_id)
        if record is None:
            raise OcpHttpError(
                404,
                CODE_NOT_FOUND,
                f"No records of type OBProxy cluster for parameter id={obproxy_cluster_id}",
            )
        return record

    @app.get("/api/v2/obproxy/clusters")
    def list_obproxy_clusters(
        request: Request,
        page: int = Query(1, ge=1),
        size: int = Query(10, ge=1, le=2000),
    ) -> Response:
        records, total = store.obproxy_clusters((page - 1) * size, size)
        return _paged(request, [_proxy_wire(r) for r in records], total, page, size)

    @app.get("/api/v2/obproxy/clusters/{obproxy_cluster_id}")
    def get_obproxy_cluster(request: Request, obproxy_cluster_id: int) -> Response:
        return _envelope(request, 200, data=_proxy_wire(proxy_or_404(obproxy_cluster_id)))

    @app.post("/api/v2/obproxy/clusters/{obproxy_cluster_id}/obLinks/batchAdd")
    def batch_add_ob_links(
        request: Request,
        obproxy_cluster_id: int,
        body: Annotated[list[BatchAddItem], Body()],
    ) -> Response:
        request.state.logged_body = [item.model_dump(by_alias=True) for item in body]
        proxy = proxy_or_404(obproxy_cluster_id)
        if not body:
            raise OcpHttpError(400, CODE_ILLEGAL_ARGUMENT, "The obLinks to add must not be empty")

        held = {link.cluster_name for link in proxy["ob_links"]}
        seen: set[str] = set()
        links: list[ObLink] = []
        for index, item in enumerate(body):
            named = store.ob_clusters_named(item.cluster_name)
            if not named:
                raise OcpHttpError(
                    400,
                    CODE_ILLEGAL_ARGUMENT,
                    f"OceanBase cluster {item.cluster_name!r} ([{index}].clusterName) is not "
                    "managed by OCP",
                )
            ids = [cluster.ob_cluster_id for cluster in named]
            if item.ob_cluster_id not in ids:
                raise OcpHttpError(
                    400,
                    CODE_ILLEGAL_ARGUMENT,
                    f"OceanBase cluster {item.cluster_name!r} has obClusterId "
                    f"{' or '.join(map(str, ids))}, not {item.ob_cluster_id} "
                    f"([{index}].obClusterId)",
                )
            if item.cluster_name in held or item.cluster_name in seen:
                raise OcpHttpError(
                    400,
                    CODE_ILLEGAL_ARGUMENT,
                    f"OBProxy cluster {proxy['name']} already connects to OceanBase cluster "
                    f"{item.cluster_name!r}",
                )
            if proxy["work_mode"] == "RS_LIST" and len(held) + len(links) >= 1:
                raise OcpHttpError(
                    400,
                    CODE_ILLEGAL_ARGUMENT,
                    f"OBProxy cluster {proxy['name']} works in RS_LIST mode and can connect to "
                    "one OceanBase cluster only",
                )
            seen.add(item.cluster_name)
            links.append(ObLink(**item.model_dump()))

        store.add_links(obproxy_cluster_id, links)
        return _envelope(request, 200)

    @app.delete("/api/v2/obproxy/clusters/{obproxy_cluster_id}/obLinks/{cluster_name}")
    def delete_ob_link(request: Request, obproxy_cluster_id: int, cluster_name: str) -> Response:
        proxy_or_404(obproxy_cluster_id)
        if not store.remove_link(obproxy_cluster_id, cluster_name):
            raise OcpHttpError(
                404,
                CODE_NOT_FOUND,
                f"No records of type obLink for parameter clusterName={cluster_name}",
            )
        return _envelope(request, 200)

    @app.get("/api/v2/ob/clusters")
    def list_ob_clusters(
        request: Request,
        page: int = Query(1, ge=1),
        size: int = Query(10, ge=1, le=2000),
        name: str | None = None,
    ) -> Response:
        clusters, total = store.ob_clusters((page - 1) * size, size, name)
        contents = [cluster.to_wire() for cluster in clusters]
        return _paged(request, contents, total, page, size)

    @app.post("/_simulator/faults")
    def add_fault(request: Request, fault: Fault) -> Response:
        faults.add(fault)
        return _envelope(request, 200)

    @app.delete("/_simulator/faults")
    def clear_faults(request: Request) -> Response:
        faults.clear()
        return _envelope(request, 200)

    @app.get("/_simulator/requests")
    def request_log(request: Request) -> Response:
        logged = [
            {"method": r.method, "path": r.path, "status": r.status, "traceId": r.trace_id}
            for r in store.requests()
        ]
        return _envelope(request, 200, data={"contents": logged})

    @app.delete("/_simulator/requests")
    def clear_request_log(request: Request) -> Response:
        store.clear_requests()
        return _envelope(request, 200)

    return app
