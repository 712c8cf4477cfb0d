"""A table of bad stack inputs and bad configuration: each is refused with an error that names
the field and the fix, before any HTTP call is made."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi import automation as auto
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from ocp_provider.errors import OcpConfigurationError
from ocp_provider.provider import ObLinksProvider
from ocp_provider.simulator import EmbeddedOcpServer

from .conftest import PASSWORD, USERNAME
from .engine_driver import Driver

GOOD = {"cluster_name": "ob-staging", "ob_cluster_id": 2001}


def links(*items: dict[str, Any]) -> dict[str, Any]:
    return {"obproxy_cluster_id": 2, "links": list(items)}


def good(**changes: Any) -> dict[str, Any]:
    link = {**GOOD, **changes}
    return {key: value for key, value in link.items() if value is not _DROP}


_DROP = object()

# (id, inputs, property path the failure names, a fragment of the reason)
BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("proxy-id-missing", {"links": [GOOD]}, "obproxy_cluster_id", "is required: set"),
    (
        "proxy-id-string",
        {"obproxy_cluster_id": "2", "links": [GOOD]},
        "obproxy_cluster_id",
        "without quotes",
    ),
    (
        "proxy-id-word",
        {"obproxy_cluster_id": "two", "links": [GOOD]},
        "obproxy_cluster_id",
        "not the string",
    ),
    (
        "proxy-id-empty-string",
        {"obproxy_cluster_id": "", "links": [GOOD]},
        "obproxy_cluster_id",
        "not the string",
    ),
    ("proxy-id-zero", {"obproxy_cluster_id": 0, "links": [GOOD]}, "obproxy_cluster_id", "positive"),
    (
        "proxy-id-negative",
        {"obproxy_cluster_id": -1, "links": [GOOD]},
        "obproxy_cluster_id",
        "positive",
    ),
    (
        "proxy-id-fraction",
        {"obproxy_cluster_id": 2.5, "links": [GOOD]},
        "obproxy_cluster_id",
        "whole number",
    ),
    (
        "proxy-id-oversized",
        {"obproxy_cluster_id": 2**60, "links": [GOOD]},
        "obproxy_cluster_id",
        "at most 2**53 - 1",
    ),
    (
        "proxy-id-bool",
        {"obproxy_cluster_id": True, "links": [GOOD]},
        "obproxy_cluster_id",
        "not a boolean",
    ),
    (
        "proxy-id-null",
        {"obproxy_cluster_id": None, "links": [GOOD]},
        "obproxy_cluster_id",
        "is required",
    ),
    (
        "proxy-id-list",
        {"obproxy_cluster_id": [2], "links": [GOOD]},
        "obproxy_cluster_id",
        "must be an integer",
    ),
    (
        "proxy-id-object",
        {"obproxy_cluster_id": {"id": 2}, "links": [GOOD]},
        "obproxy_cluster_id",
        "must be an integer",
    ),
    ("links-string", {"obproxy_cluster_id": 2, "links": "ob-staging"}, "links", "must be a list"),
    ("links-object", {"obproxy_cluster_id": 2, "links": GOOD}, "links", "must be a list"),
    ("links-number", {"obproxy_cluster_id": 2, "links": 5}, "links", "must be a list"),
    ("links-null", {"obproxy_cluster_id": 2, "links": None}, "links", "must be a list"),
    ("link-string", links("ob-staging"), "links[0]", "must be a mapping of link fields"),
    ("link-number", links(GOOD, 7), "links[1]", "must be a mapping of link fields"),
    ("link-null", links(None), "links[0]", "must be a mapping of link fields"),
    ("name-missing", links(good(cluster_name=_DROP)), "links[0].cluster_name", "is required: set"),
    ("name-empty", links(good(cluster_name="")), "links[0].cluster_name", "must not be empty"),
    (
        "name-leading-space",
        links(good(cluster_name=" ob-staging")),
        "links[0].cluster_name",
        "remove them",
    ),
    (
        "name-trailing-space",
        links(good(cluster_name="ob-staging ")),
        "links[0].cluster_name",
        "remove them",
    ),
    ("name-only-spaces", links(good(cluster_name="   ")), "links[0].cluster_name", "remove them"),
    (
        "name-slash",
        links(good(cluster_name="ob/staging")),
        "links[0].cluster_name",
        "does not allow",
    ),
    (
        "name-question-mark",
        links(good(cluster_name="ob?x")),
        "links[0].cluster_name",
        "does not allow",
    ),
    (
        "name-newline",
        links(good(cluster_name="ob\nstaging")),
        "links[0].cluster_name",
        "does not allow",
    ),
    ("name-dot", links(good(cluster_name=".")), "links[0].cluster_name", "must not be '.'"),
    ("name-dot-dot", links(good(cluster_name="..")), "links[0].cluster_name", "must not be '..'"),
    (
        "name-too-long",
        links(good(cluster_name="o" * 129)),
        "links[0].cluster_name",
        "longer than 128",
    ),
    ("name-number", links(good(cluster_name=7)), "links[0].cluster_name", "must be a string"),
    ("name-null", links(good(cluster_name=None)), "links[0].cluster_name", "must be a string"),
    (
        "proxy-id-and-name",
        {**links(GOOD), "obproxy_cluster_name": "obproxy-staging"},
        "obproxy_cluster_name",
        "keep one of them",
    ),
    (
        "proxy-name-empty",
        {"obproxy_cluster_name": "", "links": [GOOD]},
        "obproxy_cluster_name",
        "must not be empty",
    ),
    ("ob-id-string", links(good(ob_cluster_id="2001")), "links[0].ob_cluster_id", "without quotes"),
    ("ob-id-zero", links(good(ob_cluster_id=0)), "links[0].ob_cluster_id", "positive"),
    ("ob-id-negative", links(good(ob_cluster_id=-2001)), "links[0].ob_cluster_id", "positive"),
    ("ob-id-fraction", links(good(ob_cluster_id=2001.5)), "links[0].ob_cluster_id", "whole number"),
    ("ob-id-oversized", links(good(ob_cluster_id=2.0**64)), "links[0].ob_cluster_id", "at most"),
    ("ob-id-bool", links(good(ob_cluster_id=False)), "links[0].ob_cluster_id", "not a boolean"),
    ("exclusive-string", {**links(GOOD), "exclusive": "true"}, "exclusive", "valid boolean"),
    ("exclusive-number", {**links(GOOD), "exclusive": 1}, "exclusive", "valid boolean"),
    ("username-empty", links(good(username="")), "links[0].username", "must not be empty"),
    (
        "username-space",
        links(good(username="proxy ro")),
        "links[0].username",
        "must not contain spaces",
    ),
    ("username-padded", links(good(username=" proxyro")), "links[0].username", "remove them"),
    ("username-number", links(good(username=1)), "links[0].username", "must be a string"),
    ("username-too-long", links(good(username="u" * 200)), "links[0].username", "longer than 128"),
    ("cluster-id-string", links(good(cluster_id="4")), "links[0].cluster_id", "without quotes"),
    ("cluster-id-negative", links(good(cluster_id=-4)), "links[0].cluster_id", "positive"),
    (
        "camel-case-field",
        links({"clusterName": "ob-staging", "ob_cluster_id": 2001}),
        "links[0].clusterName",
        "did you mean 'cluster_name'",
    ),
    (
        "camel-case-ob-id",
        links({"cluster_name": "ob-staging", "obClusterId": 2001}),
        "links[0].obClusterId",
        "did you mean 'ob_cluster_id'",
    ),
    ("unknown-link-field", links(good(password="x")), "links[0].password", "not a known property"),
    (
        "unknown-resource-field",
        {**links(GOOD), "exclusiv": True},
        "exclusiv",
        "did you mean 'exclusive'",
    ),
    (
        "camel-case-proxy-id",
        {"obproxyClusterId": 2, "links": [GOOD]},
        "obproxyClusterId",
        "did you mean 'obproxy_cluster_id'",
    ),
    ("duplicate-names", links(GOOD, GOOD), "links[1].cluster_name", "declare it once"),
    (
        "duplicate-names-other-ids",
        links(GOOD, good(ob_cluster_id=9)),
        "links[0].cluster_name",
        "declare it once",
    ),
    (
        "second-link-bad",
        links(GOOD, good(cluster_name="ob-dev", ob_cluster_id="x")),
        "links[1].ob_cluster_id",
        "without quotes",
    ),
]

FIX_WORDS = (
    "set ",
    "expected",
    "remove",
    "did you mean",
    "without quotes",
    "declare it once",
    "known:",
    "must be",
)


@pytest.fixture
def provider(ocp: EmbeddedOcpServer) -> ObLinksProvider:
    provider = ObLinksProvider()
    config = {"ocp:url": ocp.url, "ocp:username": USERNAME, "ocp:password": PASSWORD}
    provider.configure(ConfigureRequest(Config(config, "ocp-provider")))
    return provider


@pytest.mark.parametrize(
    ("case", "news", "path", "fragment"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_is_a_check_failure_naming_field_and_fix(
    provider: ObLinksProvider,
    ocp: EmbeddedOcpServer,
    case: str,
    news: dict[str, Any],
    path: str,
    fragment: str,
) -> None:
    result = provider.check({}, {**news, "__provider": "blob"})

    reasons = {failure.property: failure.reason for failure in result.failures}
    assert path in reasons, reasons
    assert fragment in reasons[path]
    assert any(word in reasons[path] for word in FIX_WORDS)
    assert ocp.store.requests() == []


FULL = {"ocp:url": "URL", "ocp:username": USERNAME, "ocp:password": PASSWORD}

# (id, stack config over a good one, environment, fragment of the error)
BAD_CONFIG: list[tuple[str, dict[str, Any], dict[str, str], str]] = [
    ("url-missing", {"ocp:url": None}, {}, "ocp:url is not set"),
    ("username-missing", {"ocp:username": None}, {}, "ocp:username is not set"),
    ("password-missing", {"ocp:password": None}, {}, "pulumi config set --secret ocp:password"),
    ("url-no-scheme", {"ocp:url": "ocp.example.com:8080"}, {}, "is not an http(s) URL"),
    ("url-ftp", {"ocp:url": "ftp://ocp.example.com"}, {}, "is not an http(s) URL"),
    ("url-with-api-path", {"ocp:url": "https://ocp.example.com/api/v2"}, {}, "without a path"),
    ("url-with-query", {"ocp:url": "https://ocp.example.com?x=1"}, {}, "without a path"),
    (
        "url-with-credentials",
        {"ocp:url": "https://admin:pw@ocp.example.com"},
        {},
        "must not carry credentials",
    ),
    (
        "url-with-password-and-path",
        {"ocp:url": f"https://admin:{PASSWORD}@ocp.example.com/ocp"},
        {},
        "must not carry credentials",
    ),
    (
        "ftp-url-with-password",
        {"ocp:url": f"ftp://admin:{PASSWORD}@ocp.example.com"},
        {},
        "must not carry credentials",
    ),
    ("remote-http-no-opt-in", {"ocp:url": "http://ocp.example.com:8080"}, {}, "set ocp:allowHttp"),
    ("allow-http-not-boolean", {"ocp:allowHttp": "maybe"}, {}, "set it to true or false"),
    ("skip-verify-not-boolean", {}, {"OCP_SKIP_TLS_VERIFY": "sure"}, "set it to true or false"),
    (
        "ca-bundle-missing-file",
        {"ocp:caBundle": "/nonexistent/ca.pem"},
        {},
        "is not a readable file",
    ),
    ("timeout-not-number", {"ocp:timeoutSeconds": "soon"}, {}, "ocp:timeoutSeconds"),
    ("timeout-too-small", {"ocp:timeoutSeconds": "0.5"}, {}, "from 1 to 3600"),
    ("timeout-too-large", {}, {"OCP_TIMEOUT_SECONDS": "86400"}, "from 1 to 3600"),
]


@pytest.mark.parametrize(
    ("case", "config", "env", "fragment"), BAD_CONFIG, ids=[c[0] for c in BAD_CONFIG]
)
def test_bad_configuration_fails_before_any_call(
    ocp: EmbeddedOcpServer,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    config: dict[str, Any],
    env: dict[str, str],
    fragment: str,
) -> None:
    for name in ("OCP_URL", "OCP_USERNAME", "OCP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    merged = {**FULL, "ocp:url": ocp.url, **config}
    provider = ObLinksProvider()
    provider.configure(
        ConfigureRequest(Config({k: v for k, v in merged.items() if v is not None}, "p"))
    )

    with pytest.raises(OcpConfigurationError) as caught:
        provider.create({"obproxy_cluster_id": 2, "links": [{**GOOD, "username": "proxyro"}]})

    assert fragment in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert ocp.store.requests() == []


ENGINE_CASES = [
    ("proxy-id-string", "2", [GOOD], "obproxy_cluster_id", "without quotes"),
    ("negative-ob-id", 2, [good(ob_cluster_id=-1)], "links[0].ob_cluster_id", "positive"),
    ("padded-name", 2, [good(cluster_name="ob-staging ")], "links[0].cluster_name", "remove them"),
    (
        "camel-case-field",
        2,
        [{"clusterName": "ob-staging", "ob_cluster_id": 2001}],
        "links[0].clusterName",
        "did you mean",
    ),
    ("duplicate-names", 2, [GOOD, GOOD], "links[1].cluster_name", "declare it once"),
]


@pytest.mark.engine
@pytest.mark.parametrize(
    ("case", "proxy_id", "declared", "path", "fragment"),
    ENGINE_CASES,
    ids=[c[0] for c in ENGINE_CASES],
)
def test_bad_input_stops_the_preview_through_the_engine(
    driver: Driver, case: str, proxy_id: Any, declared: Any, path: str, fragment: str
) -> None:
    driver.declare_raw(proxy_id, declared)

    with pytest.raises(auto.CommandError) as caught:
        driver.stack.preview(color="never")

    assert path in str(caught.value) and fragment in str(caught.value)
    assert driver.ocp.store.requests() == []


@pytest.mark.engine
def test_missing_credentials_stop_up_before_any_call(ocp: EmbeddedOcpServer, tmp_path: Any) -> None:
    from .engine_driver import start_driver

    driver = start_driver(ocp, tmp_path, {"OCP_PASSWORD": ""})
    driver.declare(("ob-staging", 2001))

    driver.stack.preview(color="never")
    with pytest.raises(auto.CommandError) as caught:
        driver.stack.up(color="never")

    assert "ocp:password is not set" in str(caught.value)
    assert driver.ocp.store.requests() == []
