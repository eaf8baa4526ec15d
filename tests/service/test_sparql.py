"""The SPARQL 1.1 Protocol query endpoint, over HTTP against a real htkg server."""

from __future__ import annotations

import io
from urllib.parse import quote

import httpx
import pytest
import rdflib
from rdflib.query import Result

from tests.live import ServerProcess, as_admin

ONTOLOGY = "https://w3id.org/htkg/graph/ontology"
SYSTEM = "https://w3id.org/htkg/graph/system"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT = (
    "CONSTRUCT { ?g <http://example.org/name> ?d } "
    f"WHERE {{ GRAPH <{SYSTEM}> {{ ?g ?p ?d }} }}"
)
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_get_sparql_query_answers_json(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql", params={"query": COUNT})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert count(response) > 0


def test_post_sparql_form_answers_like_get(live_server: ServerProcess) -> None:
    url = f"{live_server.base_url}/sparql"
    by_get = count(as_admin.get(url, params={"query": COUNT}))
    assert count(as_admin.post(url, data={"query": COUNT})) == by_get


def test_post_sparql_direct_answers_like_get(live_server: ServerProcess) -> None:
    url = f"{live_server.base_url}/sparql"
    by_get = count(as_admin.get(url, params={"query": COUNT}))
    direct = as_admin.post(url, content=COUNT, headers={"Content-Type": "application/sparql-query"})
    assert count(direct) == by_get


def test_get_sparql_default_graph_uri_restricts_the_default_graph(
    live_server: ServerProcess,
) -> None:
    url = f"{live_server.base_url}/sparql"
    in_graph = count(as_admin.get(url, params={
        "query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{SYSTEM}> {{ ?s ?p ?o }} }}"}))
    restricted = count(as_admin.get(url, params={"query": COUNT, "default-graph-uri": SYSTEM}))
    assert restricted == in_graph < count(as_admin.get(url, params={"query": COUNT}))


def test_post_sparql_named_graph_uri_limits_graph_patterns(live_server: ServerProcess) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = as_admin.post(f"{live_server.base_url}/sparql?named-graph-uri={quote(SYSTEM)}",
                          content=query, headers={"Content-Type": "application/sparql-query"})
    graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
    assert graphs == [SYSTEM]
    only_named = as_admin.get(f"{live_server.base_url}/sparql",
                           params={"query": COUNT, "named-graph-uri": SYSTEM})
    assert count(only_named) == 0  # the protocol's dataset has an empty default graph


def test_get_sparql_query_from_clause_is_not_overridden_by_union(
    live_server: ServerProcess,
) -> None:
    url = f"{live_server.base_url}/sparql"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{SYSTEM}> WHERE {{ ?s ?p ?o }}"
    expected = count(as_admin.get(url, params={"query": COUNT, "default-graph-uri": SYSTEM}))
    assert count(as_admin.get(url, params={"query": query})) == expected


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
    ],
)
def test_get_sparql_select_in_each_results_format(
    live_server: ServerProcess, accept: str, media_type: str, rdflib_format: str
) -> None:
    query = f"SELECT ?s ?p ?o {{ GRAPH <{SYSTEM}> {{ ?s ?p ?o }} }} ORDER BY ?s"
    response = as_admin.get(f"{live_server.base_url}/sparql", params={"query": query},
                         headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    parsed = Result.parse(io.BytesIO(response.content), format=rdflib_format)
    rows = list(parsed)
    assert len(rows) == 3
    assert {str(row[0]) for row in rows} == {
        f"https://w3id.org/htkg/graph/{name}" for name in ("ontology", "shapes", "briefing")}


@pytest.mark.parametrize("accept", ["application/sparql-results+json",
                                    "application/sparql-results+xml", "text/csv",
                                    "text/tab-separated-values"])
def test_get_sparql_ask_in_each_results_format(live_server: ServerProcess, accept: str) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql",
                         params={"query": f"ASK {{ GRAPH <{SYSTEM}> {{ ?s ?p ?o }} }}"},
                         headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    if accept.endswith(("json", "xml")):
        fmt = "json" if accept.endswith("json") else "xml"
        assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is True
    else:
        assert b"true" in response.content


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_get_sparql_construct_in_each_rdf_format(
    live_server: ServerProcess, accept: str, rdflib_format: str
) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql", params={"query": CONSTRUCT},
                         headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Dataset(default_union=True)
    graph.parse(data=response.content, format=rdflib_format)
    named = set(graph.subjects(rdflib.URIRef("http://example.org/name"), None))
    assert len(named) == 3


def test_get_sparql_describe_answers_a_graph(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql",
                         params={"query": f"DESCRIBE <{ONTOLOGY}>"},
                         headers={"Accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    assert (rdflib.URIRef(ONTOLOGY), None, None) in graph


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0.1, text/tab-separated-values",
         "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("application/*", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json"),
    ],
)
def test_get_sparql_select_negotiates_with_q_values(
    live_server: ServerProcess, accept: str, media_type: str
) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql", params={"query": "SELECT * {}"},
                         headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_get_sparql_without_query_is_the_service_description(live_server: ServerProcess) -> None:
    url = f"{live_server.base_url}/sparql"
    response = as_admin.get(url, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = graph.value(None, rdflib.RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(url)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert {ONTOLOGY, SYSTEM} <= names
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph


def test_get_sparql_service_description_uses_the_host_the_client_used(
    live_server: ServerProcess,
) -> None:
    host = f"htkg.example.org:{live_server.port}"
    response = as_admin.get(f"{live_server.base_url}/sparql", headers={"Host": host})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    endpoints = set(graph.objects(None, SD.endpoint))
    assert endpoints == {rdflib.URIRef(f"http://{host}/sparql")}


def test_get_sparql_service_description_in_rdf_xml(live_server: ServerProcess) -> None:
    response = as_admin.get(f"{live_server.base_url}/sparql",
                         headers={"Accept": "application/rdf+xml"})
    graph = rdflib.Graph().parse(data=response.content, format="xml")
    assert graph.value(None, rdflib.RDF.type, SD.Service) is not None


def test_plain_default_graph_setting_hides_named_graphs(start_server) -> None:  # type: ignore[no-untyped-def]
    server = start_server(HTKG_UNION_DEFAULT_GRAPH="false")
    url = f"{server.base_url}/sparql"
    assert count(as_admin.get(url, params={"query": COUNT})) == 0
    graph = rdflib.Graph().parse(data=as_admin.get(url).text, format="turtle")
    assert (None, SD.feature, SD.UnionDefaultGraph) not in graph


def test_inferred_triples_can_be_left_out(live_server: ServerProcess) -> None:
    """The curated graph's transitive htkg:partOf gives inferred triples; inference=false hides
    them (and the inferred graph) without touching what the query names itself."""
    url = f"{live_server.base_url}/sparql"
    inferred = "https://w3id.org/htkg/graph/inferred"
    query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }}"
    assert count(as_admin.get(url, params={"query": query})) > 0
    assert count(as_admin.get(url, params={"query": query, "inference": "false"})) == 0
    everything = count(as_admin.get(url, params={"query": COUNT}))
    asserted = count(as_admin.get(url, params={"query": COUNT, "inference": "false"}))
    assert 0 < asserted < everything
    assert as_admin.get(url, params={"query": COUNT, "inference": "maybe"}).status_code == 400
