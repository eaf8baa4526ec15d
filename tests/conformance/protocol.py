"""SPARQL 1.1 Protocol tests (``mf:ProtocolTest``): requests sent as the manifest writes them.

Every request path starts with ``/sparql/``; the runner replaces that prefix with the query or
the update URL of the endpoint, choosing the update URL when the request carries an update
(an ``application/sparql-update`` body, or an ``update`` / ``using-graph-uri`` /
``using-named-graph-uri`` parameter). A service with one URL for both gets the same URL.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from .client import Session
from .evaluation import graph_files, payload
from .httpspec import HttpRequest, describe, read_requests, status_matches
from .manifest import UT, Case
from .model import Endpoint, Verdict
from .rdfio import parse_triples, rdf_format
from .results import Boolean, Solutions, parse_results, results_format

_UPDATE_PARAMETERS = {"update", "using-graph-uri", "using-named-graph-uri"}
_BOOLEAN_FORMATS = {"xml", "json"}


def is_update(request: HttpRequest) -> bool:
    content_type = (request.header("content-type") or "").lower()
    if content_type.startswith("application/sparql-update"):
        return True
    names = set(parse_qs(urlsplit(request.path).query, keep_blank_values=True))
    if content_type.startswith("application/x-www-form-urlencoded") and request.body:
        names |= set(parse_qs(request.body, keep_blank_values=True))
    return bool(names & _UPDATE_PARAMETERS)


def target_url(endpoint: Endpoint, request: HttpRequest) -> str:
    """The manifest's ``/sparql/...`` path on the endpoint's query or update URL."""
    base = endpoint.update_url if is_update(request) else endpoint.query_url
    rest = request.path.removeprefix("/sparql").removeprefix("/")
    if rest.startswith("?") and "?" in base:
        rest = "&" + rest[1:]
    return base + rest


def format_problem(expected: str, response: httpx.Response) -> str | None:
    """Whether the answer is in a syntax of the ``boolean``/``tabular``/``RDF`` class."""
    media_type = response.headers.get("content-type", "")
    try:
        if expected == "RDF":
            fmt = rdf_format(media_type)
            if fmt is None:
                return f"expected RDF, got Content-Type {media_type!r}"
            parse_triples(response.content, fmt, str(response.request.url))
            return None
        fmt_name = results_format(media_type)
        if fmt_name is None or (expected == "boolean" and fmt_name not in _BOOLEAN_FORMATS):
            return f"expected {expected} results, got Content-Type {media_type!r}"
        answer = parse_results(response.content, fmt_name)
    except (ValueError, SyntaxError) as error:
        return f"unreadable {expected} answer: {error}"
    wanted = Boolean if expected == "boolean" else Solutions
    if not isinstance(answer, wanted):
        return f"expected a {expected} answer, got {type(answer).__name__}"
    return None


def boolean_problem(expected: bool, response: httpx.Response) -> str | None:
    fmt = results_format(response.headers.get("content-type"))
    try:
        answer = parse_results(response.content, fmt) if fmt else None
    except ValueError as error:
        return str(error)
    if not isinstance(answer, Boolean) or answer.value != expected:
        return f"expected boolean {expected}, got {answer!r}"
    return None


def check(request: HttpRequest, response: httpx.Response) -> str | None:
    expect = request.expect
    if expect.statuses and not status_matches(expect.statuses, response.status_code):
        return (f"expected {describe(expect.statuses)}, got {response.status_code}: "
                f"{response.text[:200]}")
    if expect.format is not None and (problem := format_problem(expect.format, response)):
        return problem
    if expect.boolean is not None:
        return boolean_problem(expect.boolean, response)
    return None


def run_protocol(case: Case, session: Session) -> Verdict:
    """Send each request in order; the first unmet expectation fails the test."""
    session.reset()
    session.load(payload(graph_files(case, case.node, UT.data, UT.graphData)))
    for number, request in enumerate(read_requests(case), start=1):
        url = target_url(session.endpoint, request)
        response = session.http.request(request.method, url, headers=dict(request.headers),
                                        content=request.encoded_body())
        session.dirty = True
        if problem := check(request, response):
            return Verdict.failed(f"request {number} ({request.method} {url}): {problem}")
    return Verdict.passed()
