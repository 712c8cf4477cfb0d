"""Resolving OCP's endpoint and credentials from stack config and the environment."""

from __future__ import annotations

from typing import Any

import pytest

from ocp_provider.config import resolve_settings
from ocp_provider.errors import OcpConfigurationError

FULL = {"ocp:url": "https://ocp.example.com:8080/", "ocp:username": "admin", "ocp:password": "pw1"}


def from_config(config: dict[str, Any], env: dict[str, str] | None = None) -> Any:
    return resolve_settings(config.get, env or {})


def test_stack_config_wins_over_the_environment() -> None:
    env = {"OCP_URL": "https://other.example.com", "OCP_USERNAME": "u", "OCP_PASSWORD": "p"}

    settings = from_config(FULL, env)

    assert settings.url == "https://ocp.example.com:8080"
    assert settings.username == "admin"
    assert settings.password.get_secret_value() == "pw1"
    assert settings.verify is True


def test_environment_fills_what_stack_config_leaves_out() -> None:
    env = {"OCP_URL": "https://ocp.example.com", "OCP_USERNAME": "u", "OCP_PASSWORD": "p"}

    settings = from_config({}, env)

    assert (settings.url, settings.username) == ("https://ocp.example.com", "u")


def test_password_never_shows_in_repr() -> None:
    settings = from_config(FULL)

    assert "pw1" not in repr(settings) and "pw1" not in str(settings)


def test_ca_bundle_is_what_tls_verifies_against(tmp_path: Any) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")

    settings = from_config({**FULL, "ocp:caBundle": str(bundle)})

    assert settings.verify == str(bundle)


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({**FULL, "ocp:url": None}, "ocp:url is not set"),
        ({**FULL, "ocp:password": ""}, "pulumi config set --secret ocp:password"),
        ({**FULL, "ocp:username": None}, "OCP_USERNAME"),
        ({**FULL, "ocp:url": "ocp.example.com"}, "is not an http(s) URL"),
        ({**FULL, "ocp:url": "ftp://ocp.example.com"}, "is not an http(s) URL"),
        ({**FULL, "ocp:url": "https://ocp.example.com/api/v2"}, "without a path"),
        ({**FULL, "ocp:url": "https://a:b@ocp.example.com"}, "must not carry credentials"),
        ({**FULL, "ocp:url": "http://ocp.example.com"}, "Use https://"),
        ({**FULL, "ocp:caBundle": "/nonexistent/ca.pem"}, "is not a readable file"),
        ({**FULL, "ocp:timeoutSeconds": "soon"}, "ocp:timeoutSeconds"),
        ({**FULL, "ocp:timeoutSeconds": "0"}, "from 1 to 3600"),
    ],
)
def test_bad_configuration_names_the_key_and_the_fix(config: dict[str, Any], fragment: str) -> None:
    with pytest.raises(OcpConfigurationError) as caught:
        from_config(config)

    assert fragment in str(caught.value)
    assert "pw1" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:80"]
)
def test_plain_http_is_accepted_for_loopback(url: str) -> None:
    assert from_config({**FULL, "ocp:url": url}).url == url


def test_stack_config_credentials_beat_an_access_key_in_the_environment() -> None:
    env = {"OCP_ACCESS_KEY_ID": "AK1", "OCP_ACCESS_KEY_SECRET": "sk"}

    settings = from_config(FULL, env)

    assert settings.username == "admin" and settings.access_key_id is None


def test_access_key_from_the_environment_needs_no_password() -> None:
    env = {
        "OCP_URL": "https://ocp.example.com",
        "OCP_ACCESS_KEY_ID": "AK1",
        "OCP_ACCESS_KEY_SECRET": "sk-123",
    }

    settings = from_config({}, env)

    assert settings.access_key_id == "AK1" and settings.password is None
    assert settings.access_key_secret is not None
    assert "sk-123" not in repr(settings)
