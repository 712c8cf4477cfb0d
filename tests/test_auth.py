"""OCP's AccessKey signature: fixed vectors worked out by hand, and the embedded server's check."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
import requests
from pydantic import SecretStr

from ocp_provider import auth
from ocp_provider.client import OcpClient
from ocp_provider.config import OcpSettings
from ocp_provider.errors import OcpAuthenticationError
from ocp_provider.models import ObLink
from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, SEED, USERNAME
from .engine_driver import start_driver

SECRET = "test-secret-key"
ACCESS_KEY_ID = "AKTEST0001"
BODY = b'[{"clusterName":"ob-a","obClusterId":1,"username":"proxyro"}]'

# Worked out with coreutils and openssl, not with this package:
#   printf '%s' "$BODY" | md5sum                       (then upper-cased)
#   printf '%s' "$STRING_TO_SIGN" | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
POST_MD5 = "EB6B243868BBD154A3425A5E37E69CB8"
POST_STRING_TO_SIGN = (
    "POST\n"
    f"{POST_MD5}\n"
    "application/json\n"
    "Thu, 03 Dec 2026 14:30:00 GMT\n"
    "127.0.0.1:8080\n"
    "x-ocp-origin:ocp-provider\n"
    "/api/v2/obproxy/clusters/1/obLinks/batchAdd?a=x%20y&b=2"
)
POST_SIGNATURE = "JVFzykqAHa4+m4F+1BaaNh8ht5U="
GET_STRING_TO_SIGN = (
    "GET\n\n\nThu, 03 Dec 2026 14:30:00 GMT\n127.0.0.1:8080\n\n/api/v2/obproxy/clusters/2"
)
GET_SIGNATURE = "QJvqLTpJOEp9vp9IvHGihzBuPMc="


def test_string_to_sign_of_a_write_matches_the_hand_worked_vector() -> None:
    text = auth.string_to_sign(
        method="post",
        body=BODY,
        content_type="application/json",
        date="Thu, 03 Dec 2026 14:30:00 GMT",
        host="127.0.0.1:8080",
        headers=[("Accept", "*/*"), ("X-OCP-Origin", " ocp-provider ")],
        path="/api/v2/obproxy/clusters/1/obLinks/batchAdd",
        query="b=2&a=x%20y",
    )

    assert text == POST_STRING_TO_SIGN
    assert auth.signature(SECRET, text) == POST_SIGNATURE
    assert auth.authorization(ACCESS_KEY_ID, SECRET, text) == (
        f"OCP-ACCESS-KEY-HMACSHA1 {ACCESS_KEY_ID}:{POST_SIGNATURE}"
    )


def test_string_to_sign_of_a_read_matches_the_hand_worked_vector() -> None:
    text = auth.string_to_sign(
        method="GET",
        body=b"",
        content_type="",
        date="Thu, 03 Dec 2026 14:30:00 GMT",
        host="127.0.0.1:8080",
        headers=[],
        path="/api/v2/obproxy/clusters/2",
        query="",
    )

    assert text == GET_STRING_TO_SIGN
    assert auth.signature(SECRET, text) == GET_SIGNATURE


@pytest.fixture
def signed_ocp() -> Iterator[EmbeddedOcpServer]:
    server = EmbeddedOcpServer(
        username=USERNAME, password=PASSWORD, seed=SEED, access_keys={ACCESS_KEY_ID: SECRET}
    )
    with server:
        yield server


def ak_settings(url: str, secret: str = SECRET) -> OcpSettings:
    return OcpSettings(url=url, access_key_id=ACCESS_KEY_ID, access_key_secret=SecretStr(secret))


def test_signed_requests_are_accepted(signed_ocp: EmbeddedOcpServer) -> None:
    with OcpClient(ak_settings(signed_ocp.url)) as client:
        client.batch_add_ob_links(2, [ObLink(cluster_name="ob-dev", ob_cluster_id=3001)])
        assert [x.cluster_name for x in client.get_obproxy_cluster(2).ob_links] == ["ob-dev"]
        assert client.list_ob_clusters(name="prod", page=1, size=5).contents


def test_a_wrong_secret_is_refused(signed_ocp: EmbeddedOcpServer) -> None:
    with (
        OcpClient(ak_settings(signed_ocp.url, "other")) as client,
        pytest.raises(OcpAuthenticationError) as caught,
    ):
        client.get_obproxy_cluster(2)

    assert "HTTP 401" in str(caught.value) and "AccessKey pair" in str(caught.value)


def test_signed_delete_of_a_name_that_needs_encoding(signed_ocp: EmbeddedOcpServer) -> None:
    name = "ob:hz@team+1 b"
    signed_ocp.store.add_links(2, [ObLink(cluster_name=name, ob_cluster_id=9)])

    with OcpClient(ak_settings(signed_ocp.url)) as client:
        client.delete_ob_link(2, name)

    assert signed_ocp.store.links(2) == []


@pytest.mark.parametrize("minutes", [-16, 16])
def test_a_stale_date_is_refused(signed_ocp: EmbeddedOcpServer, minutes: int) -> None:
    import time

    date = formatdate(time.time() + minutes * 60, usegmt=True)
    path = "/api/v2/obproxy/clusters/2"
    text = auth.string_to_sign(
        method="GET",
        body=b"",
        content_type="",
        date=date,
        host=signed_ocp.url.split("//")[1],
        headers=[],
        path=path,
        query="",
    )
    headers = {"Date": date, "Authorization": auth.authorization(ACCESS_KEY_ID, SECRET, text)}

    answer = requests.get(signed_ocp.url + path, headers=headers, timeout=5)
    fresh = dict(headers, Date=formatdate(usegmt=True))
    fresh["Authorization"] = auth.authorization(
        ACCESS_KEY_ID, SECRET, text.replace(date, fresh["Date"])
    )

    assert answer.status_code == 401
    assert requests.get(signed_ocp.url + path, headers=fresh, timeout=5).status_code == 200


@pytest.mark.engine
def test_access_keys_through_the_engine(signed_ocp: EmbeddedOcpServer, tmp_path: Path) -> None:
    env = {
        "OCP_USERNAME": "",
        "OCP_PASSWORD": "",
        "OCP_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "OCP_ACCESS_KEY_SECRET": SECRET,
    }
    driver = start_driver(signed_ocp, tmp_path, env)
    driver.declare(("ob-staging", 2001))

    driver.stack.up(color="never")

    assert driver.links_in_ocp() == {"ob-staging": 2001}
