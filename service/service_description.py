"""The SPARQL 1.1 Service Description answered on ``GET /sparql`` without a query.

https://www.w3.org/TR/sparql11-service-description/ : what the endpoint is (the URL the
client used), which languages and result formats it supports, and which named graphs it has.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "TriG",
    "N-Quads",
)


def describe_service(
    endpoint: str,
    *,
    named_graphs: Iterable[str],
    union_default_graph: bool,
    languages: Iterable[str] = ("SPARQL11Query",),
) -> list[ox.Triple]:
    """The triples of the service description of the endpoint at ``endpoint``."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    triples += [ox.Triple(service, _sd("supportedLanguage"), _sd(lang)) for lang in languages]
    triples += [
        ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + name))
        for name in RESULT_FORMATS
    ]
    if union_default_graph:
        triples.append(ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")))
    for index, iri in enumerate(named_graphs):
        node = ox.BlankNode(f"namedGraph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), ox.NamedNode(iri)),
        ]
    return triples


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(SD + local)
