"""Views (kg.views): a restricted caller's queries answered from a copy of its graphs give
exactly what the listed dataset gives, never more, and never miss a committed write.

Two servers hold the same data, one with views (the default) and one without; a partner of
organisation B sends the same queries to both once its view is ready.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import ADMIN, ServerProcess, htkg_server

BASE = "https://w3id.org/htkg/"
GRAPH_A = f"{BASE}graph/org/org-a/cases"
GRAPH_B = f"{BASE}graph/org/org-b/notes"
SECRET = "SECRET-A"
QUERIES = (
    "SELECT * { ?s ?p ?o }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?g { GRAPH ?g { } }",
    f"SELECT * {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}",
    "SELECT ?s (COUNT(*) AS ?n) { ?s (<urn:x>|!<urn:x>)* ?o } GROUP BY ?s",
    f"SELECT * {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), '{SECRET}')) }}",
    "SELECT ?type (COUNT(*) AS ?n) { ?s a ?type ; ?p ?o } GROUP BY ?type",
)


def _start(root: Path, views: str) -> tuple[ServerProcess, str]:
    server = htkg_server(root / "store", root / "server.log", HTKG_QUERY_VIEWS=views,
                         HTKG_ADMIN_TOKEN="test-admin-token").start()
    tokens = {}
    for org in ("org-a", "org-b"):
        created = httpx.post(f"{server.base_url}/admin/tokens", headers=ADMIN,
                             json={"role": "partner", "org": org})
        assert created.status_code == 201, created.text
        tokens[org] = created.json()["token"]
    for org, graph, body in (
            ("org-a", GRAPH_A, f'<urn:a:1> <urn:a:p> "{SECRET} case" .'),
            ("org-b", GRAPH_B, '<urn:b:1> <urn:b:p> "B note" .')):
        put = httpx.put(f"{server.base_url}/graph-store", params={"graph": graph}, content=body,
                        headers={"Content-Type": "text/turtle",
                                 "Authorization": f"Bearer {tokens[org]}"})
        assert put.status_code == 201, put.text
    return server, tokens["org-b"]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[ServerProcess, str, ServerProcess, str]]:
    with_views, token = _start(tmp_path_factory.mktemp("views"), "8")
    listed, listed_token = _start(tmp_path_factory.mktemp("listed"), "0")
    yield with_views, token, listed, listed_token
    with_views.stop()
    listed.stop()


def _rows(server: ServerProcess, token: str, query: str) -> Counter[tuple[str, ...]]:
    response = httpx.post(f"{server.base_url}/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json",
                                   "Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert SECRET not in response.text
    document = response.json()
    names = document["head"]["vars"]
    return Counter(tuple(_value(row.get(name)) for name in names)
                   for row in document["results"]["bindings"])


def _value(term: dict[str, str] | None) -> str | None:
    """A term as compared across two stores: blank nodes by position only (each store
    labels them its own way)."""
    if term is None:
        return None
    return "_:" if term["type"] == "bnode" else term["value"]


def _answered_from_views(server: ServerProcess) -> float:
    metrics = httpx.get(f"{server.base_url}/metrics", headers=ADMIN).text
    for line in metrics.splitlines():
        if line.startswith('htkg_restricted_queries_total{dataset="view"}'):
            return float(line.split()[-1])
    return 0.0


def _wait_for_view(server: ServerProcess, token: str) -> None:
    deadline = time.monotonic() + 30
    before = _answered_from_views(server)
    while _answered_from_views(server) == before:
        assert time.monotonic() < deadline, "no query was answered from a view in 30 s"
        _rows(server, token, "SELECT * { <urn:none> ?p ?o }")
        time.sleep(0.1)


@pytest.mark.parametrize("query", QUERIES)
def test_a_view_answers_what_the_listed_dataset_does(
        servers: tuple[ServerProcess, str, ServerProcess, str], query: str) -> None:
    with_views, token, listed, listed_token = servers
    _wait_for_view(with_views, token)
    before = _answered_from_views(with_views)
    rows = _rows(with_views, token, query)
    assert _answered_from_views(with_views) == before + 1, "not answered from the view"
    assert rows == _rows(listed, listed_token, query)
    if GRAPH_A not in query and SECRET not in query:  # it reads the shipped graphs, its own
        assert rows


def test_a_write_is_seen_at_once_and_the_view_follows(
        servers: tuple[ServerProcess, str, ServerProcess, str]) -> None:
    with_views, token, _, _ = servers
    _wait_for_view(with_views, token)
    query = "SELECT ?o { <urn:b:2> <urn:b:p> ?o }"
    for n in range(3):
        post = httpx.post(f"{with_views.base_url}/graph-store", params={"graph": GRAPH_B},
                          content=f'<urn:b:2> <urn:b:p> "note {n}" .',
                          headers={"Content-Type": "text/turtle",
                                   "Authorization": f"Bearer {token}"})
        assert post.status_code == 204, post.text
        assert len(_rows(with_views, token, query)) == n + 1  # the write, before any view
    _wait_for_view(with_views, token)
    assert len(_rows(with_views, token, query)) == 3
