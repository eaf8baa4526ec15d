"""``/graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol.

https://www.w3.org/TR/sparql11-http-rdf-update/ : a graph is named by ``?graph=IRI`` or
``?default``. GET and HEAD read it, PUT replaces it, POST adds to it (or, sent to the store
itself, creates a new graph and answers its ``Location``), DELETE drops it. Bodies are
streamed into the store, never held whole in memory.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest, NotFound, UnsupportedMediaType

from kg.access import Action, org_namespace
from kg.ingest import Document, GraphTarget, WriteOutcome
from kg.results import ResultKind
from service.access import audit_write, current_actor, ensure_allowed, missing_graph_message
from service.negotiation import Choice, choose_graph_format, rdf_input_format
from service.params import Params, parse_params, require_utf8_charset
from service.sparql import QueryRequest, run_for_caller
from service.state import htkg
from service.updates import ensure_may_write, writer_of
from service.write_response import write_response

bp = Blueprint("graph_store", __name__)

READ_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


@bp.route("/graph-store", methods=METHODS)
@bp.route("/graph-store/<path:name>", methods=METHODS)
def graph_store(name: str | None = None) -> Response:
    """Dispatch a Graph Store request on (method, graph named or not).

    ``/graph-store/...`` is direct graph identification (GSP 4.1): the graph IRI is the
    request URL itself; ``/graph-store?graph=IRI`` and ``?default`` are indirect (4.2).
    """
    if name is not None:
        if request.query_string:
            raise BadRequest("a directly identified graph takes no ?graph or ?default")
        target: GraphTarget | None = GraphTarget(request.base_url)
    else:
        target = _target(parse_params(request.query_string, where="URL"))
    if request.method in ("GET", "HEAD"):
        if target is None:
            raise BadRequest("name a graph with ?graph=IRI or ?default")
        return read_graph(target, head=request.method == "HEAD")
    ensure_may_write()
    new = GraphTarget(_new_graph()) if target is None and request.method == "POST" else None
    if target is not None or new is not None:
        ensure_allowed(Action.WRITE, (target or new).iri)  # type: ignore[union-attr]
    ingest = htkg().ingest
    writer = writer_of(current_actor())
    if request.method == "DELETE":
        if target is None:
            raise BadRequest("name the graph to delete with ?graph=IRI or ?default")
        dropped = ingest.drop_graph(target, writer=writer)
        if dropped is None:
            raise NotFound(missing_graph_message(target.iri))
        return _written(dropped, target.iri, status=204)
    if request.method == "PUT":
        if target is None:
            raise BadRequest("name the graph to replace with ?graph=IRI or ?default")
        outcome = ingest.replace_graph(target, _documents(target), writer=writer)
        return _written(outcome, target.iri, status=201 if outcome.created else 204)
    if new is not None:  # POST to the store itself: a new graph, its IRI in Location (GSP 5.5)
        created = ingest.add_to_graph(new, _documents(new), writer=writer)
        response = _written(created, new.iri, status=201)
        response.headers["Location"] = new.iri
        return response
    assert target is not None
    outcome = ingest.add_to_graph(target, _documents(target), writer=writer)
    return _written(outcome, target.iri, status=201 if outcome.created else 204)


def read_graph(target: GraphTarget, *, head: bool) -> Response:
    """Answer a graph in the negotiated RDF format (Turtle by default).

    Access is decided before existence, and a graph the caller may not read is answered
    exactly as a missing one.
    """
    ensure_allowed(Action.READ, target.iri)
    state = htkg()
    if target.iri is not None and not state.store.has_graph(target.iri):
        raise NotFound(missing_graph_message(target.iri))
    choice = choose_graph_format(request.headers.get("Accept"))
    if head:
        return Response(status=200, content_type=choice.media_type)

    def choose(kind: ResultKind) -> Choice[ox.RdfFormat]:
        return choice

    query = QueryRequest(READ_GRAPH, default_graphs=(target.iri,), named_graphs=())
    answer = run_for_caller(query, choose=choose, unlimited_rows=True)
    return Response(answer.body, content_type=choice.media_type)


def _new_graph() -> str:
    """The IRI of a graph created by a POST to the store: in the writer's organisation's
    namespace, which is where a non-admin may create graphs."""
    actor = current_actor()
    assert actor is not None
    return f"{org_namespace(actor.org, base_iri=htkg().settings.base_iri)}{uuid.uuid4()}"


def _written(outcome: WriteOutcome, graph: str | None, *, status: int) -> Response:
    htkg().gatekeeper.claim_new_graphs(current_actor(), [graph])
    audit_write(operation=f"Graph Store {request.method}", graphs=[graph or "default"],
                record=outcome.record.id)
    return write_response(outcome, status=status)


def _target(url: Params) -> GraphTarget | None:
    graph = url.at_most_once("graph")
    if graph is not None and "default" in url:
        raise BadRequest("give either ?graph=IRI or ?default, not both")
    if "default" in url:
        return GraphTarget(None)
    if graph is None:
        return None
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise BadRequest(f"the graph parameter is not an absolute IRI: {exc}") from None
    return GraphTarget(graph)


def _documents(target: GraphTarget) -> list[Document]:
    """The request's RDF documents: its body, or each file of a multipart form."""
    base = target.iri or request.base_url
    if request.mimetype == "multipart/form-data":
        documents = [
            Document(part.stream, _part_format(part.mimetype, part.filename), base, part.filename)
            for part in request.files.values()
        ]
        if not documents:
            raise BadRequest("the multipart body has no file part")
        return documents
    require_utf8_charset(request.mimetype_params, what="an RDF body")
    return [Document(request.stream, _body_format(request.mimetype), base)]


def _body_format(media_type: str) -> ox.RdfFormat:
    if not media_type:
        raise UnsupportedMediaType("the body has no Content-Type; say which RDF format it is in")
    found = rdf_input_format(media_type)
    if found is None:
        raise UnsupportedMediaType(f"cannot read {media_type!r} as RDF")
    return found


def _part_format(media_type: str, filename: str | None) -> ox.RdfFormat:
    found = rdf_input_format(media_type) if media_type else None
    if found is None and filename and "." in filename:
        found = ox.RdfFormat.from_extension(filename.rsplit(".", 1)[1])
    if found is None:
        raise UnsupportedMediaType(f"cannot tell the RDF format of the part {filename!r}")
    return found
