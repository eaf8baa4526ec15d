"""``/shacl``: validate an uploaded document, or a stored graph, against the shapes.

Like Fuseki's SHACL service: ``POST /shacl`` with an RDF document as the body (its
Content-Type names the format) or ``POST /shacl?graph=IRI`` with no body; the answer is the
``sh:ValidationReport`` in the RDF format the ``Accept`` header asks for (Turtle by default),
with status 200 whether the data conforms or not. Nothing is fetched: the body is parsed by
pyoxigraph (no remote JSON-LD contexts, no external XML entities, entity bombs refused) and
``owl:imports`` is never followed. Nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest, NotFound, UnsupportedMediaType

from kg.access import Action
from kg.validation_context import parse_document
from kg.validation_report import write_report
from service.access import ensure_allowed, missing_graph_message
from service.negotiation import choose_graph_format, rdf_input_format
from service.params import parse_params
from service.state import htkg

bp = Blueprint("shacl", __name__)


@bp.route("/shacl", methods=["POST"])
def shacl() -> Response:
    """Dispatch on (``?graph`` given, body given): validate a stored graph or the body."""
    graph = parse_params(request.query_string, where="URL").at_most_once("graph")
    choice = choose_graph_format(request.headers.get("Accept"))
    state = htkg()
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if graph is not None:
        if has_body:
            raise BadRequest("give either ?graph=IRI or a document in the body, not both")
        ensure_allowed(Action.READ, graph)  # before existence: a denial looks like absence
        if not state.store.has_graph(graph):
            raise NotFound(missing_graph_message(graph))
        report = state.validator.validate_stored_graph(state.store, graph)
    else:
        if not has_body:
            raise BadRequest("POST an RDF document to validate, or name a graph with ?graph=IRI")
        format = rdf_input_format(request.mimetype or "")
        if format is None:
            raise UnsupportedMediaType(
                f"cannot read {request.mimetype or 'a body without Content-Type'} as RDF; "
                "send Turtle, N-Triples, RDF/XML, JSON-LD, TriG or N-Quads")
        document = parse_document(request.get_data(), format, base_iri=request.base_url,
                                  name="the request body")
        report = state.validator.validate_graph(document)
    return Response(write_report(report, choice.format), content_type=choice.media_type)
