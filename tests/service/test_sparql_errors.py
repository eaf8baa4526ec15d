"""Every malformed /sparql request gets the protocol's status and a message a person can use."""

from __future__ import annotations

import http.client
from urllib.parse import quote

import pytest

from tests.live import ServerProcess, as_admin


def assert_still_serving(server: ServerProcess) -> None:
    response = as_admin.get(f"{server.base_url}/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200


def test_get_sparql_syntax_error_is_400_with_line_and_column(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql",
                         params={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER( }"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "line 3, column" in response.text
    assert_still_serving(live_server)


def test_get_sparql_syntax_error_as_json_carries_the_position(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql", params={"query": "SELECT ?x {"},
                         headers={"Accept": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["line"] == 1 and body["column"] >= 11
    assert "SPARQL syntax error" in body["error"]


def test_post_sparql_unknown_content_type_is_415(live_server: ServerProcess) -> None:
    response = as_admin.post(f"{live_server.base_url}/sparql", content="ASK {}",
                          headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_post_sparql_without_content_type_is_400(live_server: ServerProcess) -> None:
    response = as_admin.post(f"{live_server.base_url}/sparql", content=b"query=ASK%7B%7D")
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_sparql_wrong_method_is_405(live_server: ServerProcess, method: str) -> None:
    response = as_admin.request(method, f"{live_server.base_url}/sparql", params={"query": "ASK{}"})
    assert response.status_code == 405
    assert "GET" in response.headers["allow"] and "POST" in response.headers["allow"]


def test_get_sparql_unacceptable_format_is_406(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql", params={"query": "SELECT * {}"},
                         headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_get_sparql_construct_unacceptable_format_is_406(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql",
                         params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_get_sparql_repeated_query_is_400(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400
    assert "'query'" in response.text


def test_post_sparql_query_in_url_and_body_is_400(live_server: ServerProcess) -> None:
    response = as_admin.post(f"{live_server.base_url}/sparql?query=ASK%7B%7D",
                          data={"query": "ASK {}"})
    assert response.status_code == 400


def test_post_sparql_ten_megabyte_query_is_413(live_server: ServerProcess) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000_000
    response = as_admin.post(f"{live_server.base_url}/sparql", content=huge,
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "limit" in response.text
    assert_still_serving(live_server)


def test_get_sparql_ten_megabyte_query_string_is_4xx(live_server: ServerProcess) -> None:
    huge = quote("SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000_000)
    connection = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
    try:
        connection.request("GET", f"/sparql?query={huge}")
        status = connection.getresponse().status
    except (ConnectionError, http.client.RemoteDisconnected):
        status = None  # waitress may close the connection on an oversized request line
    finally:
        connection.close()
    assert status is None or 400 <= status < 500
    assert_still_serving(live_server)


def test_post_sparql_non_utf8_body_is_400(live_server: ServerProcess) -> None:
    response = as_admin.post(f"{live_server.base_url}/sparql",
                          content="ASK { <http://ex/é> ?p ?o }".encode("latin-1"),
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "UTF-8" in response.text
    assert_still_serving(live_server)


def test_post_sparql_non_utf8_form_is_400(live_server: ServerProcess) -> None:
    response = as_admin.post(f"{live_server.base_url}/sparql", content=b"query=ASK%7B%3C%E9%3E%7D",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_post_sparql_utf16_charset_is_415(live_server: ServerProcess) -> None:
    response = as_admin.post(f"{live_server.base_url}/sparql", content="ASK {}".encode("utf-16"),
                          headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert response.status_code == 415


def test_get_sparql_update_is_400(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql",
                         params={"update": "CLEAR ALL"})
    assert response.status_code == 400


def test_unknown_path_is_404_in_the_error_shape(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/nowhere",
                            headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["status"] == 404
