"""The ontology and shapes at their own IRIs: HTML for people, RDF for programs."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from tests.live import ServerProcess

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HTKG = rdflib.Namespace("https://w3id.org/htkg/ontology#")


def test_get_ontology_as_html_is_the_reference(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/ontology", headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    assert "<table>" in response.text and "htkg:Resolution" in response.text


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"),
                                             ("application/rdf+xml", "xml"),
                                             ("application/ld+json", "json-ld")])
def test_get_ontology_as_rdf(live_server: ServerProcess, accept: str, fmt: str) -> None:
    response = httpx.get(f"{live_server.base_url}/ontology", headers={"Accept": accept})
    graph = rdflib.Graph().parse(data=response.content, format=fmt)
    assert (HTKG.Resolution, rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_get_shapes_as_turtle(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/shapes", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    shacl = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(graph.subjects(rdflib.RDF.type, shacl.NodeShape))) > 40
