"""TLS: verified by default, against a CA bundle when given, off only when asked, with a warning."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from ocp_provider.errors import OcpUnavailableError
from ocp_provider.provider import ObLinksProvider
from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, SEED, USERNAME


@pytest.fixture
def ca(tmp_path: Path) -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_ocp(ca: trustme.CA, tmp_path: Path) -> Iterator[EmbeddedOcpServer]:
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    with EmbeddedOcpServer(
        username=USERNAME,
        password=PASSWORD,
        seed=SEED,
        ssl_certfile=cert_file,
        ssl_keyfile=key_file,
    ) as server:
        yield server


def provider_for(url: str, **extra: str) -> ObLinksProvider:
    provider = ObLinksProvider()
    config = {"ocp:url": url, "ocp:username": USERNAME, "ocp:password": PASSWORD, **extra}
    provider.configure(ConfigureRequest(Config(config, "ocp-provider")))
    return provider


PROPS = {"obproxy_cluster_id": 2, "links": [{"cluster_name": "ob-dev", "ob_cluster_id": 3001}]}


def test_self_signed_certificate_is_refused_by_default(tls_ocp: EmbeddedOcpServer) -> None:
    assert tls_ocp.url.startswith("https://")

    with pytest.raises(OcpUnavailableError, match="TLS verification failed: set ocp:caBundle"):
        provider_for(tls_ocp.url).create(PROPS)

    assert tls_ocp.store.links(2) == []


def test_ca_bundle_lets_the_provider_verify_ocp(
    tls_ocp: EmbeddedOcpServer, ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))

    provider_for(tls_ocp.url, **{"ocp:caBundle": str(bundle)}).create(PROPS)

    assert [link.cluster_name for link in tls_ocp.store.links(2)] == ["ob-dev"]


def test_skipping_verification_needs_a_setting_and_warns_once(
    tls_ocp: EmbeddedOcpServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ocp_provider"):
        provider = provider_for(tls_ocp.url, **{"ocp:skipTlsVerify": "true"})
        provider.create(PROPS)
        provider.read("2/x", {**PROPS, "links": [{**PROPS["links"][0], "username": "proxyro"}]})

    warnings = [r.getMessage() for r in caplog.records if "skipTlsVerify" in r.getMessage()]
    assert warnings == ["ocp-provider: ocp:skipTlsVerify is on: OCP's certificate is not verified"]
    assert [link.cluster_name for link in tls_ocp.store.links(2)] == ["ob-dev"]
