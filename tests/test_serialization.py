"""The provider as the engine stores it: a small pickle, importable anywhere, with no credential."""

from __future__ import annotations

import base64
import subprocess
import sys

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from ocp_provider.provider import ObLinksProvider

from .conftest import PASSWORD, USERNAME

LOAD_IN_FRESH_INTERPRETER = """
import base64, sys
import dill
provider = dill.loads(base64.b64decode(sys.stdin.read()))
print(type(provider).__module__, type(provider).__qualname__, vars(provider))
"""


def test_provider_round_trips_through_a_fresh_interpreter() -> None:
    blob = serialize_provider(ObLinksProvider())

    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_IN_FRESH_INTERPRETER],
        input=blob,
        capture_output=True,
        text=True,
        check=True,
    )

    assert loaded.stdout.split() == ["ocp_provider.provider", "ObLinksProvider", "{}"]


def test_blob_is_a_class_reference_and_never_holds_configuration() -> None:
    provider = ObLinksProvider()
    config = {
        "ocp:url": "https://ocp.example.com",
        "ocp:username": USERNAME,
        "ocp:password": PASSWORD,
    }
    provider.configure(ConfigureRequest(Config(config, "ocp-provider")))

    blob = serialize_provider(provider)
    raw = base64.b64decode(blob)

    assert blob == serialize_provider(ObLinksProvider())
    assert len(raw) < 200
    for secret in (PASSWORD, USERNAME, "ocp.example.com"):
        assert secret.encode() not in raw
        assert secret not in blob
