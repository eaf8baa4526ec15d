"""SPARQL 1.1 Graph Store HTTP Protocol tests (``sparql11/graph-store-protocol``).

Request paths start with ``/gsp``; the runner puts the endpoint's Graph Store URL in its
place, so ``/gsp?graph=...`` is indirect identification and ``/gsp/person/1.ttl`` direct
identification (a graph named by its own URL under the store). Query strings are sent exactly
as written, because two tests check that percent-encoding is decoded once and only once. A
``mf:expectedLocation`` variable takes the ``Location`` header (made absolute) and replaces
that variable in later requests of the same test. The older ``sparql11/http-rdf-update``
manifest describes the same operations in prose only (and is deprecated in favour of this
one), so it is not run.
"""

from __future__ import annotations

from urllib.parse import urljoin

import httpx

from .client import Session
from .comparison import compare_graphs
from .evaluation import judge
from .httpspec import HttpRequest, describe, read_requests, status_matches
from .manifest import Case
from .model import Status, Verdict
from .rdfio import parse_triples, rdf_format


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _header_problem(name: str, value: str, response: httpx.Response) -> str | None:
    actual = response.headers.get(name)
    if name.lower() == "content-type":
        if _media_type(actual) != _media_type(value):
            return f"expected Content-Type {value!r}, got {actual!r}"
    elif actual != value:
        return f"expected header {name}: {value!r}, got {actual!r}"
    return None


def _body_verdict(request: HttpRequest, response: httpx.Response, url: str) -> Verdict:
    """Graph isomorphism between the expected body and the one received."""
    expected_type = next((v for k, v in request.expect.headers if k.lower() == "content-type"),
                         "text/turtle")
    expected_fmt = rdf_format(expected_type)
    actual_fmt = rdf_format(response.headers.get("content-type"))
    if expected_fmt is None or actual_fmt is None or request.expect.body is None:
        return Verdict.failed(f"cannot read body as RDF ({response.headers.get('content-type')})")
    try:
        expected = parse_triples(request.expect.body.encode(), expected_fmt, url)
        actual = parse_triples(response.content, actual_fmt, url)
    except SyntaxError as error:
        return Verdict.failed(f"unreadable body: {error}")
    return judge(lambda mode: compare_graphs(expected, actual, mode=mode))


def _substitute(text: str | None, variables: dict[str, str]) -> str | None:
    if text is None:
        return None
    for name, value in variables.items():
        text = text.replace(name, value)
    return text


def _exchange(session: Session, request: HttpRequest, variables: dict[str, str]) -> tuple[
        str, httpx.Response]:
    path = _substitute(request.path, variables) or ""
    url = session.endpoint.graph_store_url + path.removeprefix("/gsp")
    body = request.encoded_body(_substitute(request.body, variables))
    headers = dict(request.headers)
    if request.method == "HEAD":
        # a server that wrongly sends a body with HEAD would poison the pooled connection
        # for the next, unrelated test; closing it keeps tests independent
        headers["Connection"] = "close"
    response = session.http.request(request.method, url, headers=headers, content=body)
    session.dirty = True
    return url, response


def _check(request: HttpRequest, url: str, response: httpx.Response,
           variables: dict[str, str]) -> str | None:
    """Status, Location and headers: differences that no literal mode can excuse."""
    expect = request.expect
    if expect.statuses and not status_matches(expect.statuses, response.status_code):
        return (f"{request.method} {url}: expected {describe(expect.statuses)}, "
                f"got {response.status_code}: {response.text[:200]}")
    if expect.location_variable is not None:
        location = response.headers.get("location")
        if not location:
            return f"{request.method} {url}: no Location header"
        variables[expect.location_variable] = urljoin(url, location)
    for name, value in expect.headers:
        if problem := _header_problem(name, value, response):
            return f"{request.method} {url}: {problem}"
    return None


def run_graph_store(case: Case, session: Session) -> Verdict:
    """Send each request in order; report strict and value-based body comparison apart."""
    session.reset()
    variables: dict[str, str] = {}
    strict_reason = ""
    value_ok = True
    for request in read_requests(case):
        url, response = _exchange(session, request, variables)
        if problem := _check(request, url, response, variables):
            return Verdict.failed(problem)
        if request.expect.body is not None and request.method != "HEAD":
            verdict = _body_verdict(request, response, url)
            if verdict.strict is Status.FAIL and not strict_reason:
                strict_reason = f"{request.method} {url}: {verdict.reason}"
            value_ok = value_ok and verdict.value is Status.PASS
    if not strict_reason:
        return Verdict.passed()
    return Verdict(Status.FAIL, Status.PASS if value_ok else Status.FAIL, strict_reason)
