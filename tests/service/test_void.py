"""``/.well-known/void``: the VoID description of what the caller may read, and only that."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.void import VOID
from tests.live import ADMIN, ServerProcess

SD_NAME = ox.NamedNode("http://www.w3.org/ns/sparql-service-description#name")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GRAPH_A = "https://w3id.org/htkg/graph/org/org-a/x"
GRAPH_B = "https://w3id.org/htkg/graph/org/org-b/y"
SYSTEM = "https://w3id.org/htkg/graph/system"


def void(local: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + local)


@dataclass(frozen=True)
class Description:
    """A parsed VoID answer: the dataset node and its triples."""

    triples: list[ox.Triple]

    @property
    def dataset(self) -> ox.NamedNode:
        found = [t.subject for t in self.triples
                 if t.predicate == RDF_TYPE and t.object == void("Dataset")
                 and isinstance(t.subject, ox.NamedNode)]
        assert len(found) == 1
        return found[0]

    def values(self, subject: object, predicate: ox.NamedNode) -> list[object]:
        return [t.object for t in self.triples
                if t.subject == subject and t.predicate == predicate]

    def value(self, subject: object, predicate: ox.NamedNode) -> str:
        (found,) = self.values(subject, predicate)
        return str(getattr(found, "value", found))

    def subsets(self) -> dict[str, int]:
        """Graph IRI -> void:triples, for every subset."""
        sizes = {}
        for subset in self.values(self.dataset, void("subset")):
            sizes[self.value(subset, SD_NAME)] = int(self.value(subset, void("triples")))
        return sizes

    @property
    def total(self) -> int:
        return int(self.value(self.dataset, void("triples")))


def described(client: FlaskClient, headers: dict[str, str] | None = None,
              fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> Description:
    response = client.get("/.well-known/void", headers=headers or {})
    assert response.status_code == 200, response.data
    return Description(list(ox.parse(response.data, fmt)))


def graph_sizes_in_store(app: Flask, readable: set[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in app.extensions["htkg"].store.raw.quads_for_pattern(None, None, None):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value in readable:
            counts[graph.value] = counts.get(graph.value, 0) + 1
    return counts


def test_get_void_describes_the_anonymous_callers_dataset(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    response = app.test_client().get("/.well-known/void")
    assert response.content_type == "text/turtle; charset=utf-8"
    assert "Accept" in response.vary
    description = Description(list(ox.parse(response.data, ox.RdfFormat.TURTLE)))
    dataset = description.dataset
    assert description.value(dataset, void("sparqlEndpoint")) == "http://localhost/sparql"
    assert description.value(dataset, void("uriSpace")) == "https://w3id.org/htkg/"
    assert description.value(dataset, void("dataDump")) == "http://localhost/export"
    features = {str(f) for f in description.values(dataset, void("feature"))}
    assert {f"<http://www.w3.org/ns/formats/{name}>" for name in
            ("Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads")} == features
    vocabularies = {str(v) for v in description.values(dataset, void("vocabulary"))}
    assert {"<https://w3id.org/htkg/ontology#>", "<http://www.w3.org/ns/prov#>"} <= vocabularies
    readable = app.extensions["htkg"].gatekeeper.readable(None)
    expected = graph_sizes_in_store(app, set(readable))
    assert description.subsets() == expected
    assert "https://w3id.org/htkg/graph/briefing" in expected and SYSTEM not in expected
    assert description.total == sum(expected.values())
    assert b"graph/system" not in response.data and b"graph/provenance" not in response.data


@pytest.mark.parametrize("fmt", [ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                                 ox.RdfFormat.JSON_LD, ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS])
def test_get_void_in_every_rdf_format(make_app: Callable[..., Flask],
                                      fmt: ox.RdfFormat) -> None:
    client = make_app().test_client()
    turtle = described(client)
    other = described(client, {"Accept": fmt.media_type}, fmt)
    assert other.subsets() == turtle.subsets() and other.total == turtle.total


def test_get_void_with_an_unknown_accept_is_406(client: FlaskClient) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert b"text/turtle" in response.data


def test_head_void_answers_headers_only(client: FlaskClient) -> None:
    response = client.head("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.data == b""
    assert response.content_type == "application/n-triples"


def test_get_void_needs_a_token_unless_anonymous_read(make_app: Callable[..., Flask]) -> None:
    client = make_app(anonymous_read=False).test_client()
    assert client.get("/.well-known/void").status_code == 401
    assert described(client, ADMIN).subsets()  # the bootstrap admin reads everything
    assert SYSTEM in described(client, ADMIN).subsets()


def test_get_void_shows_a_partner_its_graphs_and_nothing_of_the_others(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(anonymous_read=False)
    client = app.test_client()
    tokens = {}
    for org in ("org-a", "org-b"):
        created = client.post("/admin/tokens", headers=ADMIN,
                              json={"role": "partner", "org": org})
        assert created.status_code == 201, created.data
        tokens[org] = {"Authorization": f"Bearer {created.json['token']}"}  # type: ignore[index]
    for graph, org, triples in ((GRAPH_A, "org-a", 1), (GRAPH_B, "org-b", 3)):
        body = "".join(f'<https://example.org/{org}/{n}> <https://example.org/p> "{n}" .\n'
                       for n in range(triples))
        put = client.put(f"/graph-store?graph={graph}", data=body,
                         headers={"Content-Type": "text/turtle", **tokens[org]})
        assert put.status_code == 201, put.data
    seen_by_a = described(client, tokens["org-a"])
    assert seen_by_a.subsets()[GRAPH_A] == 1 and GRAPH_B not in seen_by_a.subsets()
    raw = client.get("/.well-known/void", headers=tokens["org-a"]).data
    assert b"org-b" not in raw
    gate = app.extensions["htkg"].gatekeeper
    partner_a = gate.tokens.authenticate(tokens["org-a"]["Authorization"].split()[1],
                                         verified_only=False)
    readable = set(gate.readable(partner_a))
    assert seen_by_a.subsets() == graph_sizes_in_store(app, readable)
    assert seen_by_a.total == sum(graph_sizes_in_store(app, readable).values())
    counted = client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "text/csv", **tokens["org-a"]})
    assert counted.data.decode().split()[1] == str(seen_by_a.total)
    everything = described(client, ADMIN)
    assert everything.subsets()[GRAPH_B] == 3
    assert everything.total > seen_by_a.total + 3


def test_void_leads_a_client_to_the_sparql_endpoint(live_server: ServerProcess) -> None:
    """Discovery as a federating tool does it: the well-known URL, then the endpoint it names."""
    response = httpx.get(f"{live_server.base_url}/.well-known/void",
                         headers={"Accept": "application/n-triples"})
    description = Description(list(ox.parse(response.content, ox.RdfFormat.N_TRIPLES)))
    endpoint = description.value(description.dataset, void("sparqlEndpoint"))
    assert endpoint == f"{live_server.base_url}/sparql"
    count = httpx.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) "
                                                 "WHERE { GRAPH ?g { ?s ?p ?o } }"},
                      headers={"Accept": "text/csv"})
    assert count.text.split()[1] == str(description.total)
