"""``/ontology`` and ``/shapes``: the vocabulary documents at their own IRIs.

``https://w3id.org/htkg/ontology`` and ``.../shapes`` resolve here (the server answers the
path under the base IRI, whatever host it runs on): a browser gets the generated reference as
HTML, an RDF client the graph in the format it asks for.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.curated import graph_iri
from kg.ingest import GraphTarget
from service.graph_store import read_graph
from service.negotiation import GRAPH_FORMATS
from service.state import htkg

bp = Blueprint("ontology", __name__)

@bp.route("/ontology", methods=["GET", "HEAD"])
def ontology() -> Response:
    """The ontology and its concept schemes: HTML reference or RDF, by ``Accept``."""
    return _vocabulary("ontology")


@bp.route("/shapes", methods=["GET", "HEAD"])
def shapes() -> Response:
    """The SHACL shapes: HTML reference or RDF, by ``Accept``."""
    return _vocabulary("shapes")


def _vocabulary(name: str) -> Response:
    if _prefers_html(request.headers.get("Accept")):
        return Response(htkg().reference.html(), content_type="text/html; charset=utf-8")
    target = GraphTarget(graph_iri(name, base_iri=htkg().settings.base_iri))
    return read_graph(target, head=request.method == "HEAD")


def _prefers_html(accept: str | None) -> bool:
    parsed = parse_accept_header(accept, MIMEAccept)
    return parsed.best_match(["text/html", *GRAPH_FORMATS]) == "text/html" and any(
        value.split(";")[0].strip() == "text/html" for value, _ in parsed
    )
