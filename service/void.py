"""``/.well-known/void``: a VoID description of the dataset as the caller may read it.

Federating tools (and people choosing a source) ask a SPARQL service what it holds before
they query it: which endpoint, which vocabularies, how big, which graphs. VoID
(https://www.w3.org/TR/void/, section 7.2 for the well-known URL) is how they ask. The answer
here is a ``void:Dataset`` with the endpoint the client used, the RDF formats served, the
vocabularies, the base IRI as ``void:uriSpace``, a ``void:dataDump`` (``/export``) and one
``void:subset`` per named graph, each with its ``sd:name`` and size.

The description is the caller's: sizes come from one SPARQL ``COUNT ... GROUP BY ?g`` run
through ``run_for_caller`` (via ``select_for_caller``), so it sees exactly the graphs the
caller's queries see, under the same time limit, and a graph the caller may not read adds
nothing, not even to the total. The result is then intersected with the gatekeeper's
readable set, so nothing else can appear even if the dataset rules changed. Counting is a
scan of every readable quad: not free on a big store, but bounded like any other query, and
it tells the truth after every write. The store's unnamed default graph is not described
(htkg keeps its data in named graphs, as ``/export`` does), and an empty graph has no subset.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for

from service.access import current_actor, gatekeeper
from service.linked_data import select_for_caller
from service.negotiation import GRAPH_FORMATS
from service.service_description import FORMATS, RDF_TYPE, SD
from service.state import htkg

bp = Blueprint("void", __name__)

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
PREFIXES = {"void": VOID, "sd": SD, "dcterms": DCTERMS, "formats": FORMATS}
TITLE = "htkg: the human trafficking and terrorism knowledge graph"
#: vocabularies the ontology and the curated graphs use (DESIGN section 6); the ontology's
#: own namespace is added from the base IRI
VOCABULARIES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/ns/dcat#",
    "http://xmlns.com/foaf/0.1/",
    "https://schema.org/",
    "http://data.europa.eu/eli/ontology#",
    "https://schema.followthemoney.tech/#",
    "http://www.w3.org/ns/shacl#",
)


@bp.after_request
def _vary_on_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void() -> Response:
    """The VoID description (VoID 7.2), in the RDF format ``Accept`` asks for (Turtle first).

    The format is chosen first (406 when none fits); HEAD stops there, without counting.
    """
    choice = htkg().negotiator.graph(request.headers.get("Accept"))
    if request.method == "HEAD":
        return Response(status=200, content_type=choice.media_type)
    body = ox.serialize(describe_dataset(graph_sizes()), format=choice.format,
                        prefixes=PREFIXES)
    return Response(body, content_type=choice.media_type)


def graph_sizes() -> dict[str, int]:
    """Triples per named graph the caller reads, counted by one query for the caller."""
    readable = gatekeeper().readable(current_actor())
    sizes: dict[str, int] = {}
    for row in select_for_caller(COUNT_QUERY):
        graph, count = row["g"], row["n"]
        if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal) \
                and graph.value in readable:
            sizes[graph.value] = int(count.value)
    return sizes


def describe_dataset(sizes: dict[str, int]) -> list[ox.Triple]:
    """The VoID triples for a request to this server, given the caller's graph sizes."""
    settings = htkg().settings
    dataset = ox.NamedNode(request.base_url + "#dataset")
    triples = [
        ox.Triple(dataset, RDF_TYPE, _void("Dataset")),
        ox.Triple(dataset, _dcterms("title"), ox.Literal(TITLE, language="en")),
        ox.Triple(dataset, _void("sparqlEndpoint"),
                  ox.NamedNode(url_for("sparql.sparql", _external=True))),
        ox.Triple(dataset, _void("dataDump"),
                  ox.NamedNode(url_for("export.export", _external=True))),
        ox.Triple(dataset, _void("uriSpace"), ox.Literal(settings.base_iri)),
        ox.Triple(dataset, _void("triples"), ox.Literal(sum(sizes.values()))),
    ]
    triples += [ox.Triple(dataset, _void("feature"), ox.NamedNode(FORMATS + name))
                for name in served_format_names()]
    vocabularies = (f"{settings.base_iri}ontology#", *VOCABULARIES)
    triples += [ox.Triple(dataset, _void("vocabulary"), ox.NamedNode(iri))
                for iri in vocabularies]
    for index, graph in enumerate(sorted(sizes)):
        subset = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _void("subset"), subset),
            ox.Triple(subset, RDF_TYPE, _void("Dataset")),
            ox.Triple(subset, ox.NamedNode(SD + "name"), ox.NamedNode(graph)),
            ox.Triple(subset, _void("triples"), ox.Literal(sizes[graph])),
            ox.Triple(subset, _void("dataDump"), ox.NamedNode(
                url_for("graph_store.graph_store", graph=graph, _external=True))),
        ]
    return triples


def served_format_names() -> list[str]:
    """The W3C format names (``http://www.w3.org/ns/formats/``) of the RDF formats served.

    >>> served_format_names()
    ['Turtle', 'N-Triples', 'RDF_XML', 'JSON-LD', 'TriG', 'N-Quads']
    """
    names = dict.fromkeys(fmt.name.replace("/", "_") for fmt in GRAPH_FORMATS.values())
    return list(names)


def _void(local: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + local)


def _dcterms(local: str) -> ox.NamedNode:
    return ox.NamedNode(DCTERMS + local)
