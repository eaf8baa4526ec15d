"""SPARQL 1.1 Update through the protocol at /sparql."""

from __future__ import annotations

import httpx
import pytest

from tests.live import ServerProcess, as_admin
from tests.service.writes import AUTH, snapshot, writable

__all__ = ["writable"]

G = "http://example.org/update-tests"


def ask(server: ServerProcess, pattern: str) -> bool:
    response = as_admin.get(f"{server.base_url}/sparql", params={"query": f"ASK {{ {pattern} }}"})
    return bool(response.json()["boolean"])


def test_post_sparql_update_form_inserts(writable: ServerProcess) -> None:
    response = as_admin.post(f"{writable.base_url}/sparql", headers=AUTH, data={
        "update": f"INSERT DATA {{ GRAPH <{G}> {{ <http://ex/a> <http://ex/p> 1 }} }}"})
    assert response.status_code == 204
    assert ask(writable, f"GRAPH <{G}> {{ <http://ex/a> <http://ex/p> 1 }}")


def test_post_sparql_update_direct_deletes(writable: ServerProcess) -> None:
    as_admin.post(f"{writable.base_url}/sparql", headers=AUTH, data={
        "update": f"INSERT DATA {{ GRAPH <{G}> {{ <http://ex/b> <http://ex/p> 2 }} }}"})
    delete = f"DELETE DATA {{ GRAPH <{G}> {{ <http://ex/b> <http://ex/p> 2 }} }}"
    response = as_admin.post(f"{writable.base_url}/sparql", content=delete,
                          headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204
    assert not ask(writable, "<http://ex/b> ?p ?o")


def test_post_sparql_update_using_graph_uri_sets_the_where_dataset(
    writable: ServerProcess,
) -> None:
    as_admin.post(f"{writable.base_url}/sparql", headers=AUTH, data={
        "update": f"INSERT DATA {{ GRAPH <{G}> {{ <http://ex/c> <http://ex/p> 3 }} }}"})
    update = "INSERT { GRAPH <http://ex/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o FILTER(?o = 3) }"
    response = as_admin.post(f"{writable.base_url}/sparql?using-graph-uri={G}", headers=AUTH,
                          data={"update": update})
    assert response.status_code == 204
    assert ask(writable, "GRAPH <http://ex/copy> { <http://ex/c> <http://ex/p> 3 }")


def test_update_is_atomic(writable: ServerProcess) -> None:
    before = snapshot(writable)
    update = (f"INSERT DATA {{ GRAPH <{G}> {{ <http://ex/atomic> <http://ex/p> 1 }} }} ;"
              " DROP GRAPH <http://ex/missing>")  # fails: no such graph
    response = as_admin.post(f"{writable.base_url}/sparql", headers=AUTH, data={"update": update})
    assert response.status_code == 500  # valid but not executable (Protocol 2.2.4)
    assert "does not exist" in response.text
    assert snapshot(writable) == before


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic eDp5"}, 401),
     ({"Authorization": "Bearer"}, 401)],
)
def test_post_sparql_update_without_a_valid_token_is_refused(
    writable: ServerProcess, headers: dict[str, str], status: int
) -> None:
    before = snapshot(writable)
    response = httpx.post(f"{writable.base_url}/sparql", headers=headers,
                          data={"update": "CLEAR ALL"})
    assert response.status_code == status
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert snapshot(writable) == before


def test_anonymous_readers_cannot_update(live_server: ServerProcess) -> None:
    """Anonymous reading is on for this server; writing never is."""
    response = httpx.post(f"{live_server.base_url}/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, "POST"),
        ({"method": "POST", "data": {"update": "INSERT DATA { <a> }"}}, 400, "line 1"),
        ({"method": "POST", "params": {"update": "CLEAR ALL"}, "data": {"update": "CLEAR ALL"}},
         400, "both"),
        ({"method": "POST", "params": {"using-graph-uri": G},
          "data": {"update": f"WITH <{G}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"}},
         400, "WITH"),
        ({"method": "POST", "content": "CLEAR ALL".encode("utf-16"),
          "headers": {"Content-Type": "application/sparql-update; charset=UTF-16"}}, 415, "UTF"),
        ({"method": "POST", "data": {"update": "LOAD <file:///etc/passwd>"}}, 403, "LOAD"),
        ({"method": "POST", "data": {"update": "INSERT { ?s ?p ?o } WHERE { SERVICE "
                                               "<http://169.254.169.254/> { ?s ?p ?o } }"}},
         403, "SERVICE"),
    ],
)
def test_bad_updates_get_their_status_and_change_nothing(
    writable: ServerProcess, request_kwargs: dict[str, object], status: int, message: str
) -> None:
    before = snapshot(writable)
    kwargs = dict(request_kwargs)
    method = str(kwargs.pop("method"))
    headers = {**AUTH, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    response = as_admin.request(method, f"{writable.base_url}/sparql", headers=headers,
                             **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert message in response.text
    assert snapshot(writable) == before


def test_load_silent_is_a_no_op_when_load_is_disabled(writable: ServerProcess) -> None:
    before = snapshot(writable, with_provenance=False)
    response = as_admin.post(f"{writable.base_url}/sparql", headers=AUTH,
                          data={"update": "LOAD SILENT <http://169.254.169.254/latest>"})
    assert response.status_code == 204
    assert snapshot(writable, with_provenance=False) == before
