"""CORS on the read endpoints: which origins a browser lets read our answers, and preflights
answered without a token (issue #7)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from flask import Flask

from service.cors import PREFLIGHT_MAX_AGE_S, CorsPolicy
from service.settings import SettingsError, load_settings
from tests.live import ADMIN, ServerProcess

CORS_PATHS = ["/sparql?query=ASK%7B%7D", "/.well-known/void", "/id/resolution/2388",
              "/search?q=cted", "/export"]
OTHER_PATHS = ["/graph-store?default", "/health", "/admin/tokens", "/ontology"]
PAGE = "https://yasgui.example"
PREFLIGHT = {"Origin": PAGE, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type"}


@pytest.mark.parametrize("path", CORS_PATHS)
def test_get_cors_endpoints_allow_any_origin_by_default(make_app: Callable[..., Flask],
                                                        path: str) -> None:
    response = make_app().test_client().get(path, headers={"Origin": PAGE, **ADMIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "HTKG-Result-Truncated" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" not in response.vary  # the same answer for every origin


@pytest.mark.parametrize("path", CORS_PATHS)
def test_options_preflight_is_204_without_a_token(make_app: Callable[..., Flask],
                                                  path: str) -> None:
    client = make_app(anonymous_read=False).test_client()
    response = client.options(path, headers=PREFLIGHT)
    assert response.status_code == 204 and response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert response.headers["Access-Control-Allow-Headers"] == (
        "Accept, Content-Type, Authorization")
    assert response.headers["Access-Control-Max-Age"] == str(PREFLIGHT_MAX_AGE_S)
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert client.get(path).status_code == 401  # the preflight opened nothing else


@pytest.mark.parametrize("path", OTHER_PATHS)
def test_other_endpoints_have_no_cors(make_app: Callable[..., Flask], path: str) -> None:
    client = make_app(anonymous_read=False).test_client()
    response = client.get(path, headers={"Origin": PAGE, **ADMIN})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options(path, headers=PREFLIGHT)
    assert preflight.status_code != 204
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_errors_of_cors_endpoints_are_readable_by_the_page(
    make_app: Callable[..., Flask],
) -> None:
    """A page must see the 401 (to ask for a token) and the 404, not a network error."""
    client = make_app(anonymous_read=False).test_client()
    refused = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": PAGE})
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    missing = client.get("/id/nothing/here", headers={"Origin": PAGE, **ADMIN})
    assert missing.status_code == 404
    assert missing.headers["Access-Control-Allow-Origin"] == "*"


def test_listed_origins_are_echoed_and_others_get_nothing(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(cors_origins=(PAGE, "http://localhost:3000")).test_client()
    allowed = client.get("/.well-known/void", headers={"Origin": PAGE})
    assert allowed.headers["Access-Control-Allow-Origin"] == PAGE
    assert "Origin" in allowed.vary and "Accept" in allowed.vary
    other = client.get("/.well-known/void", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200  # CORS is the browser's rule; the server still answers
    assert "Access-Control-Allow-Origin" not in other.headers and "Origin" in other.vary
    assert client.options("/sparql", headers=PREFLIGHT).headers[
        "Access-Control-Allow-Origin"] == PAGE
    denied = client.options("/sparql", headers={**PREFLIGHT, "Origin": "https://evil.example"})
    assert denied.status_code == 204
    assert not [h for h in denied.headers.keys() if h.startswith("Access-Control-")]


def test_empty_cors_origins_turns_cors_off(make_app: Callable[..., Flask]) -> None:
    client = make_app(cors_origins=(), anonymous_read=False).test_client()
    response = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": PAGE, **ADMIN})
    assert response.status_code == 200
    assert not [h for h in response.headers.keys() if h.startswith("Access-Control-")]
    assert client.options("/sparql", headers=PREFLIGHT).status_code == 401


def test_cors_origins_from_the_environment() -> None:
    assert load_settings().cors_origins == ("*",)
    assert load_settings(environ={"HTKG_CORS_ORIGINS": ""}).cors_origins == ()
    both = load_settings(environ={"HTKG_CORS_ORIGINS": f"{PAGE} http://localhost:3000"})
    assert both.cors_origins == (PAGE, "http://localhost:3000")


@pytest.mark.parametrize("origin", ["https://a.example/path", "a.example", "ftp://a.example",
                                    "https://a.example?x=1", "https://user@a.example"])
def test_an_origin_that_can_never_match_is_refused(origin: str) -> None:
    with pytest.raises(SettingsError, match="cors_origins"):
        CorsPolicy([origin])


def test_origins_are_compared_as_browsers_send_them() -> None:
    policy = CorsPolicy(["https://A.example:8443/"])
    assert policy.allow_origin("https://a.example:8443") == "https://a.example:8443"
    assert policy.allow_origin("https://a.example") is None
    assert policy.allow_origin(None) is None


def test_preflight_then_request_against_a_real_server(live_server: ServerProcess) -> None:
    """What a browser does before a POST with a token: preflight, then the request."""
    url = f"{live_server.base_url}/sparql"
    preflight = httpx.options(url, headers=PREFLIGHT)
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-methods"] == "GET, POST"
    answer = httpx.post(url, data={"query": "ASK {}"},
                        headers={"Origin": PAGE, "Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    assert answer.headers["access-control-allow-origin"] == "*"
