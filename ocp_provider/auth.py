"""OCP's AccessKey signature (OCP-ACCESS-KEY-HMACSHA1), shared by the client and the embedded
server so that both sign and verify by one implementation."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from email.utils import formatdate
from urllib.parse import parse_qsl, quote, urlsplit

import requests

SCHEME = "OCP-ACCESS-KEY-HMACSHA1"


def _encode(text: str) -> str:
    # RFC 3986 percent-encoding with nothing kept as it is, as OCP's string to sign wants.
    return quote(text, safe="")


def path_and_query(path: str, query: str) -> str:
    """The path as sent (percent-encoded), then `?` and the parameters sorted by name, each
    name and value encoded."""
    params = sorted(parse_qsl(query, keep_blank_values=True))
    if not params:
        return path
    return path + "?" + "&".join(f"{_encode(k)}={_encode(v)}" for k, v in params)


def string_to_sign(
    *,
    method: str,
    body: bytes,
    content_type: str,
    date: str,
    host: str,
    headers: Iterable[tuple[str, str]],
    path: str,
    query: str,
) -> str:
    """Method, body MD5, content type, date, host, x-ocp-* headers and path, one per line."""
    md5 = hashlib.md5(body).hexdigest().upper() if body else ""
    ocp_headers = sorted(
        f"{name.lower()}:{value.strip()}"
        for name, value in headers
        if name.lower().startswith("x-ocp-")
    )
    return "\n".join(
        [
            method.upper(),
            md5,
            content_type,
            date,
            host,
            "\n".join(ocp_headers),
            path_and_query(path, query),
        ]
    )


def signature(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def authorization(access_key_id: str, secret: str, text: str) -> str:
    return f"{SCHEME} {access_key_id}:{signature(secret, text)}"


class AccessKeyAuth(requests.auth.AuthBase):
    """Signs each request with an OCP AccessKey pair and a fresh `Date` header."""

    def __init__(self, access_key_id: str, access_key_secret: str) -> None:
        self._id = access_key_id
        self._secret = access_key_secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Date"] = formatdate(usegmt=True)
        url = urlsplit(request.url or "")
        body = request.body or b""
        text = string_to_sign(
            method=request.method or "GET",
            body=body.encode() if isinstance(body, str) else body,
            content_type=request.headers.get("Content-Type", ""),
            date=request.headers["Date"],
            host=_host_header(url.scheme, url.netloc),
            headers=_items(request.headers),
            path=url.path,
            query=url.query,
        )
        request.headers["Authorization"] = authorization(self._id, self._secret, text)
        return request


def _host_header(scheme: str, netloc: str) -> str:
    # What http.client sends as Host, which OCP reads: the default port is left out.
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def _items(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    return list(headers.items())
