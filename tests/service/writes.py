"""A writable htkg server for the write tests, and a way to compare the whole store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import ADMIN, ADMIN_TOKEN, ServerProcess, as_admin, htkg_server

TOKEN = ADMIN_TOKEN
AUTH = ADMIN


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("writable")
    server = htkg_server(root / "store", root / "server.log", HTKG_ADMIN_TOKEN=TOKEN).start()
    yield server
    server.stop()


PROVENANCE = "https://w3id.org/htkg/graph/provenance"


def snapshot(server: ServerProcess, *, with_provenance: bool = True) -> list[str]:
    """Every quad of the store, sorted: equal snapshots mean nothing changed."""
    skip = "" if with_provenance else f"FILTER(?g != <{PROVENANCE}>)"
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {skip} }}"
    response = as_admin.post(f"{server.base_url}/sparql", data={"query": query},
                          headers={"Accept": "application/n-triples", **AUTH})
    graphs = as_admin.get(f"{server.base_url}/sparql",
                       params={"query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } "
                                        f"{skip} }} GROUP BY ?g"},
                       headers={"Accept": "text/csv", **AUTH})
    default = as_admin.get(f"{server.base_url}/graph-store?default",
                        headers={"Accept": "application/n-triples", **AUTH})
    return sorted(response.text.splitlines() + graphs.text.splitlines()
                  + default.text.splitlines())
