"""``/sparql``: the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/).

One dispatch function reads the request like the protocol's table of operations (sections
2.1 and 2.2): GET with ``query``, POST with a URL-encoded form carrying ``query`` or
``update``, POST with a direct ``application/sparql-query`` or ``application/sparql-update``
body, and GET with no query for the Service Description.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox
from flask import Blueprint, Request, Response, after_this_request, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from kg.access_query import refuse_unlisted_services, restricted_dataset
from kg.curated import graph_iri
from kg.entailment import inferred_graph_iri
from kg.errors import FederationError, QueryFailedError
from kg.federation import CallOutcome
from kg.query import Dataset
from kg.results import ResultKind
from kg.sparql_text import refuse_fetching
from kg.update import with_using_clauses
from kg.workers import Answer, FormatChoice
from service.access import audit_write, current_actor
from service.negotiation import Choice, choose_graph_format
from service.params import Params, decode_utf8, parse_params, require_utf8_charset
from service.service_description import SD, describe_service
from service.settings import Settings
from service.state import htkg
from service.updates import authorize_update, ensure_may_write, writer_of
from service.write_response import write_response

bp = Blueprint("sparql", __name__)
C = TypeVar("C", bound=FormatChoice)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


@dataclass(frozen=True)
class QueryRequest:
    """A query operation as the protocol delivered it."""

    text: str
    default_graphs: tuple[str | None, ...] | None = None  # None in it: the unnamed graph
    named_graphs: tuple[str, ...] | None = None
    inference: bool = True
    timeout_s: float | None = None


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Dispatch a SPARQL Protocol request to a query or the Service Description."""
    url = parse_params(request.query_string, where="URL")
    if request.method == "GET":
        if "update" in url:
            raise BadRequest("SPARQL Update must be sent with POST, not GET (protocol 2.2)")
        text = url.at_most_once("query")
        if text is None:
            return service_description()
        return answer_query(_query_request(text, url))
    content_type = request.mimetype
    if not content_type:
        raise BadRequest(f"a POST to /sparql needs a Content-Type: {FORM} or {QUERY_BODY}")
    require_utf8_charset(request.mimetype_params, what="a SPARQL request")
    if content_type == FORM:
        form = parse_params(_body(request), where="form")
        for name in ("query", "update"):
            if name in url and name in form:
                raise BadRequest(f"parameter '{name}' cannot be set both in the URL and the body")
        if "query" in form and "update" in form:
            raise BadRequest("a request carries either 'query' or 'update', not both")
        text = form.at_most_once("query")
        if text is not None:
            return answer_query(_query_request(text, _merged(url, form)))
        update = form.at_most_once("update")
        if update is not None:
            return answer_update(update, _merged(url, form))
        raise BadRequest("the form has neither a 'query' nor an 'update' parameter")
    if content_type == QUERY_BODY:
        if "query" in url:
            raise BadRequest("parameter 'query' cannot be set both in the URL and the body")
        text = decode_utf8(_body(request), what="query")
        return answer_query(_query_request(text, url))
    if content_type == UPDATE_BODY:
        if "update" in url:
            raise BadRequest("parameter 'update' cannot be set both in the URL and the body")
        ensure_may_write()  # before reading a body that only a writer may send
        return answer_update(decode_utf8(_body(request), what="update"), url)
    raise UnsupportedMediaType(
        f"unsupported Content-Type {content_type!r} for /sparql; use {FORM} or {QUERY_BODY}"
    )


def answer_query(query: QueryRequest) -> Response:
    """Evaluate, negotiate, then stream: every error that has a status is raised before."""
    accept = request.headers.get("Accept")
    negotiator = htkg().negotiator

    def choose(kind: ResultKind) -> Choice[Any]:
        if kind is ResultKind.GRAPH:
            return negotiator.graph(accept)
        return negotiator.results(accept)

    answer = run_for_caller(query, choose=choose)
    response = Response(answer.body, content_type=answer.choice.media_type)
    if answer.truncated:
        limit = htkg().settings.max_result_rows
        response.headers["HTKG-Result-Truncated"] = "true"
        response.headers["Warning"] = f'199 htkg "the answer was cut at {limit} results"'
    return response


def run_for_caller(
    query: QueryRequest, *, choose: Callable[[ResultKind], C], unlimited_rows: bool = False
) -> Answer[C]:
    """Evaluate a query on behalf of the caller of this request, within their limits.

    Every view that answers from the store (``/sparql``, Graph Store reads, entity pages,
    search, exports) goes through here, so what the caller may see, how long it may run and
    how much it may return is decided in one place. ``unlimited_rows`` is for exports, which
    are whole graphs by definition.
    """
    state = htkg()
    settings = state.settings
    limit = settings.max_query_bytes
    size = len(query.text.encode())
    if size > limit:
        raise RequestEntityTooLarge(f"the query is {size} bytes; the limit is {limit} bytes")
    refuse_fetching(query.text, allow_load=True, allow_service=True)
    base_iri = request.base_url  # werkzeug rebuilds it on each access (0.1 ms): once
    federation = state.federation
    refuse_unlisted_services(query.text, allowed=federation.allowed(),
                             base_iri=base_iri)
    actor = current_actor()
    gate = state.gatekeeper
    hidden = _hidden_graphs(settings, inference=query.inference)
    if gate.reads_everything(actor):
        dataset = Dataset(
            default_graphs=query.default_graphs,
            named_graphs=query.named_graphs,
            union_default_graph=settings.union_default_graph,
            hidden_graphs=hidden,
        )
    else:
        dataset = restricted_dataset(
            query.text, readable=gate.readable(actor), hidden=hidden,
            default_graphs=query.default_graphs, named_graphs=query.named_graphs,
            union_default_graph=settings.union_default_graph, base_iri=base_iri,
        )
    timeout_s = min(settings.query_timeout_s, query.timeout_s or settings.query_timeout_s)
    routed = federation.route(query.text, base_iri=base_iri)
    release_slot = gate.queries.acquire(f"token:{actor.token_id}" if actor else
                                        f"address:{request.remote_addr}")

    def release() -> list[CallOutcome]:
        release_slot()
        return federation.finish(routed.call_id) if routed else []

    try:
        # relative IRIs in a query resolve against the endpoint's URL, as in Oxigraph's server
        answer = state.workers.run(
            routed.text if routed else query.text, dataset=dataset, choose=choose,
            base_iri=base_iri, timeout_s=timeout_s,
            max_rows=None if unlimited_rows else settings.max_result_rows,
        )
    except QueryFailedError as failed:
        failures = release()
        if failures:  # a SERVICE without SILENT failed: say which partner and why
            raise FederationError(failures[0].message(), kind=failures[0].outcome) from failed
        raise
    except BaseException:
        release()
        raise
    if dataset.view is not None:
        state.metrics.restricted_queries.labels("view" if answer.from_view else "listed").inc()
    if isinstance(answer.body, bytes):
        release()
    else:
        after_this_request(_released_on_close(release))
    return answer


def _released_on_close(release: Callable[[], object]) -> Callable[[Response], Response]:
    def attach(response: Response) -> Response:
        response.call_on_close(release)
        return response

    return attach


def answer_update(text: str, params: Params) -> Response:
    """Apply an update atomically; 204 on success (SPARQL 1.1 Protocol 2.2)."""
    state = htkg()
    limit = state.settings.max_query_bytes
    size = len(text.encode())
    if size > limit:
        raise RequestEntityTooLarge(f"the update is {size} bytes; the limit is {limit} bytes")
    actor = current_actor()
    using_graphs = params.all("using-graph-uri")
    using_named_graphs = params.all("using-named-graph-uri")
    plan = authorize_update(with_using_clauses(text, using_graphs=using_graphs,
                                               using_named_graphs=using_named_graphs))
    outcome = state.ingest.update(
        plan.text,
        writer=writer_of(actor),
        base_iri=request.base_url,
    )
    state.gatekeeper.claim_new_graphs(actor, plan.written)
    audit_write(operation="SPARQL Update", graphs=sorted(plan.written),
                record=outcome.record.id)
    return write_response(outcome, status=204)


def service_description() -> Response:
    """Describe this endpoint, with ``sd:endpoint`` the URL the client used."""
    state = htkg()
    choice = choose_graph_format(request.headers.get("Accept"))
    readable = state.gatekeeper.readable(current_actor())
    triples = describe_service(
        request.base_url,
        named_graphs=[g for g in state.store.named_graphs() if g in readable],
        union_default_graph=state.settings.union_default_graph,
        languages=("SPARQL11Query", "SPARQL11Update"),
    )
    body = ox.serialize(triples, format=choice.format, prefixes={"sd": SD})
    return Response(body, content_type=choice.media_type)


def _hidden_graphs(settings: Settings, *, inference: bool) -> frozenset[str]:
    """Graphs a query does not see unless it names them (FROM, FROM NAMED, the protocol).

    The inferred graph when inference is off. With a plain default graph (the SPARQL
    suites' setting) also htkg's own bookkeeping, ``graph/system`` and ``graph/provenance``,
    which a plain SPARQL service would not have. In the default union mode they stay
    visible: naming the remaining graphs one by one costs every query (measured: a lookup
    0.04 ms -> 0.10 ms), and access control will restrict the dataset anyway.
    """
    hidden = set() if inference else {inferred_graph_iri(settings.base_iri)}
    if not settings.union_default_graph:
        hidden |= {graph_iri("system", base_iri=settings.base_iri),
                   graph_iri("provenance", base_iri=settings.base_iri)}
    return frozenset(hidden)


def _query_request(text: str, params: Params) -> QueryRequest:
    default_graphs = params.all("default-graph-uri")
    named_graphs = params.all("named-graph-uri")
    inference = params.at_most_once("inference")
    if inference not in (None, "true", "false"):
        raise BadRequest(f"parameter 'inference' is true or false, not {inference!r}")
    return QueryRequest(
        text=text,
        default_graphs=tuple(default_graphs) if default_graphs else None,
        named_graphs=tuple(named_graphs) if named_graphs else None,
        inference=(inference or str(htkg().settings.inference).lower()) == "true",
        timeout_s=_timeout(params.at_most_once("timeout")),
    )


def _timeout(value: str | None) -> float | None:
    """The client's own time limit (seconds, as in Fuseki and QLever); it only lowers ours."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not seconds > 0 or seconds != seconds:
        raise BadRequest(f"parameter 'timeout' is a positive number of seconds, not {value!r}")
    return seconds


def _merged(url: Params, form: Params) -> Params:
    merged = Params({name: list(values) for name, values in url.values.items()})
    for name, values in form.values.items():
        merged.values.setdefault(name, []).extend(values)
    return merged


def _body(req: Request) -> bytes:
    limit = htkg().settings.max_query_bytes
    if req.content_length is not None and req.content_length > limit:
        raise RequestEntityTooLarge(
            f"the body is {req.content_length} bytes; the limit for a query is {limit} bytes"
        )
    body = req.get_data(cache=False)
    if len(body) > limit:
        raise RequestEntityTooLarge(f"the body is over the limit of {limit} bytes")
    return body

