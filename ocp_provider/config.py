"""Where the provider finds OCP: stack config `ocp:*` first, then the OCP_* environment."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from .errors import OcpConfigurationError

# How long one provider operation (create, read, update or delete) may take, retries included.
DEFAULT_TIMEOUT_SECONDS = 300.0

# Each setting: its stack config key, its environment variable.
# Limitation: a password set as stack config passes through the engine, which prints it in
# plain text in its own logs at -v=9 and above (dynamic providers cannot accept secrets);
# OCP_PASSWORD in the environment never passes through the engine.
_SOURCES = {
    "url": ("ocp:url", "OCP_URL"),
    "username": ("ocp:username", "OCP_USERNAME"),
    "password": ("ocp:password", "OCP_PASSWORD"),
    "access_key_id": ("ocp:accessKeyId", "OCP_ACCESS_KEY_ID"),
    "access_key_secret": ("ocp:accessKeySecret", "OCP_ACCESS_KEY_SECRET"),
    "ca_bundle": ("ocp:caBundle", "OCP_CA_BUNDLE"),
    "timeout_seconds": ("ocp:timeoutSeconds", "OCP_TIMEOUT_SECONDS"),
    "skip_tls_verify": ("ocp:skipTlsVerify", "OCP_SKIP_TLS_VERIFY"),
    "allow_http": ("ocp:allowHttp", "OCP_ALLOW_HTTP"),
}

_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


class OcpSettings(BaseModel):
    """A checked OCP endpoint and its credentials. The password never shows in repr or logs."""

    model_config = ConfigDict(frozen=True)

    url: str
    username: str | None = None
    password: SecretStr | None = None
    # With an AccessKey pair, requests are signed (OCP-ACCESS-KEY-HMACSHA1) instead of Basic auth.
    access_key_id: str | None = None
    access_key_secret: SecretStr | None = None
    ca_bundle: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    skip_tls_verify: bool = False
    allow_http: bool = False

    @property
    def verify(self) -> bool | str:
        """What `requests` should verify the server's certificate against."""
        if self.skip_tls_verify:
            return False
        return self.ca_bundle or True

    def insecure_choices(self) -> list[str]:
        """The explicit opt-outs of transport security in force, for a warning."""
        choices = []
        if self.skip_tls_verify:
            choices.append("ocp:skipTlsVerify is on: OCP's certificate is not verified")
        if self.allow_http and urlsplit(self.url).scheme == "http":
            choices.append("ocp:allowHttp is on: the password crosses the network unencrypted")
        return choices


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(raw: str, allow_http: bool) -> str:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    # Checked first, and the URL never repeated after: it may hold a password.
    if "@" in parts.netloc:
        raise OcpConfigurationError(
            "ocp:url must not carry credentials; set ocp:username and ocp:password instead."
        )
    fix = "Set ocp:url (or OCP_URL) to OCP's base address, e.g. https://ocp.example.com:8080."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OcpConfigurationError(f"ocp:url {raw!r} is not an http(s) URL. {fix}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise OcpConfigurationError(
            f"ocp:url {raw!r} must be OCP's base address without a path; the provider adds "
            f"/api/v2/... itself. {fix}"
        )
    # Loopback never leaves the machine, so the embedded server needs no opt-in.
    if parts.scheme == "http" and not allow_http and not _is_loopback(parts.hostname):
        raise OcpConfigurationError(
            f"ocp:url {raw!r} uses plain http to a remote host, which would send the password "
            "unencrypted. Use https://, or set ocp:allowHttp to true to accept the risk."
        )
    return url


def resolve_settings(
    config_get: Callable[[str], Any], environ: Mapping[str, str] | None = None
) -> OcpSettings:
    """Builds the settings from stack config (through `config_get`) and the environment."""
    env = os.environ if environ is None else environ

    def lookup(setting: str) -> str | None:
        config_key, env_key = _SOURCES[setting]
        value = config_get(config_key)
        if value is None or value == "":
            value = env.get(env_key)
        return None if value is None or value == "" else str(value)

    def required(setting: str, alternative: str = "") -> str:
        value = lookup(setting)
        if value is None:
            config_key, env_key = _SOURCES[setting]
            secret = " --secret" if "password" in setting or "secret" in setting else ""
            raise OcpConfigurationError(
                f"{config_key} is not set. Run `pulumi config set{secret} {config_key} ...` "
                f"or export {env_key}{alternative}."
            )
        return value

    def flag(setting: str) -> bool:
        value = lookup(setting)
        if value is None or value.strip().lower() in _FALSE:
            return False
        if value.strip().lower() in _TRUE:
            return True
        config_key, env_key = _SOURCES[setting]
        raise OcpConfigurationError(
            f"{config_key} (or {env_key}) is {value!r}; set it to true or false."
        )

    allow_http = flag("allow_http")
    skip_tls_verify = flag("skip_tls_verify")
    url = _check_url(required("url"), allow_http)
    # Stack config decides first, so a key exported in the shell cannot override it.
    if config_get("ocp:accessKeyId"):
        use_access_key = True
    elif config_get("ocp:username") or config_get("ocp:password"):
        use_access_key = False
    else:
        use_access_key = bool(env.get("OCP_ACCESS_KEY_ID"))
    access_key_id = lookup("access_key_id") if use_access_key else None
    if access_key_id is not None:
        credentials: dict[str, Any] = {
            "access_key_id": access_key_id.strip(),
            "access_key_secret": SecretStr(required("access_key_secret")),
        }
    else:
        instead = "; or sign requests with ocp:accessKeyId and ocp:accessKeySecret"
        credentials = {
            "username": required("username", instead).strip(),
            "password": SecretStr(required("password", instead)),
        }

    ca_bundle = lookup("ca_bundle")
    if ca_bundle is not None and not Path(ca_bundle).is_file():
        raise OcpConfigurationError(
            f"ocp:caBundle {ca_bundle!r} is not a readable file. Point it at the PEM file of the "
            "CA that signed OCP's certificate."
        )

    timeout_text = lookup("timeout_seconds")
    timeout = DEFAULT_TIMEOUT_SECONDS
    if timeout_text is not None:
        try:
            timeout = float(timeout_text)
        except ValueError:
            timeout = -1.0
        if not 1 <= timeout <= 3600:
            raise OcpConfigurationError(
                f"ocp:timeoutSeconds {timeout_text!r} must be a number of seconds from 1 to 3600: "
                "how long one operation may take, retries included."
            )

    return OcpSettings(
        url=url,
        **credentials,
        ca_bundle=ca_bundle,
        timeout_seconds=timeout,
        skip_tls_verify=skip_tls_verify,
        allow_http=allow_http,
    )
