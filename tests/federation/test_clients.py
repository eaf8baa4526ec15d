"""Real SPARQL clients against a real htkg: each gets the right answers, and only what its
token may read (issue #7: htkg as the endpoint other tools federate).

SPARQLWrapper and rdflib send the partner's token; Oxigraph's ``SERVICE`` and the
``comunica-sparql`` command line cannot send one, so they query a server that lets anonymous
callers read the CLEAR graphs, and must get exactly those; Comunica used as a library sends
the token through its ``fetch`` option (``comunica/query-with-token.mjs``, which prints CSV).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, RDFXML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import Unauthorized

from tests.federation.partners import (
    CASE_A,
    CASE_B,
    CLEAR_GRAPHS,
    GRAPH_A,
    GRAPH_B,
    LABEL_A,
    RDFS_LABEL,
    RESOLUTION,
    RESOLUTION_LABEL,
    Partners,
    comunica_installed,
    open_htkg,
    strict_htkg,
)
from tests.live import oxigraph_server

__all__ = ["open_htkg", "strict_htkg"]  # the fixtures, imported for their side effect

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
CASE_LABELS = (f"SELECT ?case ?label WHERE {{ ?case <{RDFS_LABEL}> ?label "
               'FILTER(STRSTARTS(STR(?case), "https://example.org/")) }')
RESOLUTION_QUERY = f"SELECT ?label WHERE {{ <{RESOLUTION}> <{RDFS_LABEL}> ?label }}"


def column(results: dict[str, object], name: str) -> list[str]:
    """The values of one variable in SPARQL JSON results (a parsed document)."""
    bindings = results["results"]["bindings"]  # type: ignore[index]
    return [row[name]["value"] for row in bindings if name in row]  # type: ignore[union-attr]


def sparqlwrapper(partners: Partners, token: str) -> SPARQLWrapper:
    client = SPARQLWrapper(partners.endpoint)
    client.addCustomHttpHeader("Authorization", f"Bearer {token}")
    return client


def test_sparqlwrapper_select_json_sees_its_own_graph_and_not_the_others(
    strict_htkg: Partners,
) -> None:
    client = sparqlwrapper(strict_htkg, strict_htkg.token_a)
    client.setReturnFormat(JSON)
    client.setQuery(GRAPH_SIZES)
    sizes = client.queryAndConvert()
    graphs = dict(zip(column(sizes, "g"), column(sizes, "n"), strict=True))
    assert graphs[GRAPH_A] == "1"
    assert GRAPH_B not in graphs
    assert "https://w3id.org/htkg/graph/briefing" in graphs
    client.setQuery(CASE_LABELS)
    assert column(client.queryAndConvert(), "label") == [LABEL_A]
    client.setQuery(RESOLUTION_QUERY)
    assert column(client.queryAndConvert(), "label") == [RESOLUTION_LABEL]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # inside SPARQLWrapper
def test_sparqlwrapper_construct_gives_the_triples_of_its_own_graph_only(
    strict_htkg: Partners,
) -> None:
    client = sparqlwrapper(strict_htkg, strict_htkg.token_a)
    client.setReturnFormat(RDFXML)  # SPARQLWrapper parses RDF/XML into an rdflib graph
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                    f"VALUES ?g {{ <{GRAPH_A}> <{GRAPH_B}> }} }}")
    graph = client.queryAndConvert()
    assert isinstance(graph, rdflib.Graph)
    assert set(graph) == {(rdflib.URIRef(CASE_A), rdflib.RDFS.label, rdflib.Literal(LABEL_A))}


def test_sparqlwrapper_without_a_token_is_refused(strict_htkg: Partners) -> None:
    client = SPARQLWrapper(strict_htkg.endpoint)
    client.setReturnFormat(JSON)
    client.setQuery(RESOLUTION_QUERY)
    with pytest.raises(Unauthorized):
        client.query()


def test_rdflib_sparqlstore_reads_what_the_token_reads(strict_htkg: Partners) -> None:
    # rdflib passes keyword arguments other than auth (which is Basic only) to each request
    store = SPARQLStore(strict_htkg.endpoint, headers=strict_htkg.auth(strict_htkg.token_b))
    graphs = {str(context) for context in store.contexts()}
    assert GRAPH_B in graphs and GRAPH_A not in graphs
    assert {g for g in graphs if "/graph/org/" not in g} <= CLEAR_GRAPHS
    graph = rdflib.Graph(store=store)  # a union graph: queries see every readable graph
    assert graph.value(rdflib.URIRef(RESOLUTION), rdflib.RDFS.label) == rdflib.Literal(
        RESOLUTION_LABEL)
    assert [str(row[1]) for row in graph.query(CASE_LABELS)] == ["Case 1 of org-b"]
    assert list(graph.triples((rdflib.URIRef(CASE_A), None, None))) == []
    own = rdflib.Graph(store=store, identifier=rdflib.URIRef(GRAPH_B))
    assert [str(o) for _, _, o in own] == ["Case 1 of org-b"]
    assert list(rdflib.Graph(store=store, identifier=rdflib.URIRef(GRAPH_A))) == []


def test_oxigraph_service_clause_gets_the_clear_graphs_and_nothing_else(
    open_htkg: Partners, tmp_path: Path,
) -> None:
    """Oxigraph's SERVICE sends no token: it reads as an anonymous caller, CLEAR graphs only."""
    oxigraph = oxigraph_server(tmp_path / "oxigraph", tmp_path / "oxigraph.log").start()
    try:
        local = httpx.post(f"{oxigraph.base_url}/store?default",
                           content=f'<{RESOLUTION}> <https://example.org/note> "ours" .',
                           headers={"Content-Type": "text/turtle"})
        assert local.status_code in (201, 204), local.text

        def federated(query: str) -> dict[str, object]:
            response = httpx.post(f"{oxigraph.base_url}/query", content=query, timeout=60,
                                  headers={"Content-Type": "application/sparql-query",
                                           "Accept": "application/sparql-results+json"})
            assert response.status_code == 200, response.text
            return response.json()  # type: ignore[no-any-return]

        service = f"SERVICE <{open_htkg.endpoint}>"
        joined = federated(f"SELECT ?label ?note WHERE {{ ?r <https://example.org/note> ?note "
                           f"{service} {{ ?r <{RDFS_LABEL}> ?label }} }}")
        assert (column(joined, "label"), column(joined, "note")) == ([RESOLUTION_LABEL],
                                                                     ["ours"])
        graphs = set(column(federated(f"SELECT ?g WHERE {{ {service} {{ {GRAPHS} }} }}"),
                            "g"))
        assert graphs <= CLEAR_GRAPHS
        assert "https://w3id.org/htkg/graph/briefing" in graphs
        for hidden in (f"SELECT * WHERE {{ {service} {{ {CASE_LABELS} }} }}",
                       f"SELECT * WHERE {{ {service} {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }} }}",
                       f"SELECT * WHERE {{ {service} {{ <{CASE_B}> ?p ?o }} }}"):
            assert federated(hidden)["results"]["bindings"] == [], hidden  # type: ignore[index]
    finally:
        oxigraph.stop()


def comunica_sparql(endpoint: str, query: str) -> subprocess.CompletedProcess[str]:
    """Run the ``comunica-sparql`` command line on one SPARQL endpoint, as a user would."""
    folder = comunica_installed()
    return subprocess.run(
        [str(folder / "node_modules" / ".bin" / "comunica-sparql"), f"sparql@{endpoint}",
         "-q", query, "-t", "application/sparql-results+json"],
        capture_output=True, text=True, timeout=120, check=False)


def test_comunica_cli_reads_the_clear_graphs_anonymously(open_htkg: Partners) -> None:
    """The CLI sends Basic credentials at most, never a bearer token: anonymous CLEAR access."""
    done = comunica_sparql(open_htkg.endpoint, RESOLUTION_QUERY)
    assert done.returncode == 0, done.stderr
    assert column(json.loads(done.stdout), "label") == [RESOLUTION_LABEL]
    done = comunica_sparql(open_htkg.endpoint, GRAPHS)
    assert done.returncode == 0, done.stderr
    graphs = set(column(json.loads(done.stdout), "g"))
    assert "https://w3id.org/htkg/graph/briefing" in graphs and graphs <= CLEAR_GRAPHS
    done = comunica_sparql(open_htkg.endpoint, CASE_LABELS)
    assert done.returncode == 0, done.stderr
    assert column(json.loads(done.stdout), "label") == []


def test_comunica_cli_without_a_token_is_refused_by_a_strict_server(
    strict_htkg: Partners,
) -> None:
    done = comunica_sparql(strict_htkg.endpoint, RESOLUTION_QUERY)
    assert done.returncode != 0
    assert "401" in done.stderr


def test_comunica_library_sends_the_token_through_its_fetch_option(
    strict_htkg: Partners,
) -> None:
    folder = comunica_installed()
    done = subprocess.run(
        ["node", "query-with-token.mjs", strict_htkg.endpoint, GRAPH_SIZES], cwd=folder,
        env={**os.environ, "HTKG_TOKEN": strict_htkg.token_a},
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))  # Comunica writes IRIs as <...>
    graphs = {row["g"].strip("<>"): row["n"] for row in rows}
    assert graphs[GRAPH_A] == "1" and GRAPH_B not in graphs
    assert "https://w3id.org/htkg/graph/briefing" in graphs
