"""Outgoing federation: every SERVICE call and every harvest request leaves htkg from here.

pyoxigraph evaluates ``SERVICE <url>`` by itself, with no allow-list, no credentials, no time
limit and no row limit. So before a query runs, each allowed ``SERVICE`` endpoint in its text
is replaced by a route back into this server (``/federation/{call}/{n}``, loopback only, the
call id an unguessable capability that exists only while the query runs); the route forwards
the request here, which adds the partner's headers, enforces its time limit (on the whole
answer, not only between bytes), never follows a redirect, cuts the answer at the partner's
row limit, and records the outcome. A failure answers pyoxigraph with an error, so ``SERVICE
SILENT`` goes on without that partner while a plain ``SERVICE`` fails; the caller then gets
the failure as recorded here, naming the partner and the cause.

Measured with pyoxigraph 0.5.13: it sends ``POST`` with ``application/sparql-query``, accepts
SPARQL JSON or XML, does not follow redirects, and needs a ``Content-Length`` answer.
"""

from __future__ import annotations

import io
import logging
import secrets
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from kg.access_query import is_allowed_url
from kg.answers import write_bounded
from kg.errors import FederationError
from kg.partners import Partner, PartnerRegistry
from kg.results import SolutionsResult
from kg.sparql_text import IriResolver, has_keyword, tokens

log = logging.getLogger(__name__)

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
MAX_ANSWER_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class CallOutcome:
    """One outgoing request, as logged and counted."""

    partner: str
    endpoint: str
    duration_s: float
    rows: int
    outcome: str  # "ok", "cut", "timeout", "http 503", "redirect", "unparsable", "unreachable"
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome not in ("ok", "cut")

    def message(self) -> str:
        return f"partner {self.partner} ({self.endpoint}): {self.detail or self.outcome}"


@dataclass
class _Call:
    endpoints: list[str]
    failures: list[CallOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class Routed:
    """A query whose SERVICE endpoints now point at this server's federation route."""

    text: str
    call_id: str


class Federation:
    """Routes SERVICE calls of running queries to partners, within their limits."""

    def __init__(self, registry: PartnerRegistry, *, allow_list: Collection[str],
                 route_base: str, on_call: Callable[[CallOutcome], None] = lambda c: None
                 ) -> None:
        self.registry = registry
        self._allow_list = tuple(allow_list)
        self._route_base = route_base.rstrip("/")
        self._on_call = on_call
        self._calls: dict[str, _Call] = {}
        self._lock = threading.Lock()
        self._http = httpx.Client(follow_redirects=False, headers={"User-Agent": "htkg"})

    def allowed(self) -> tuple[str, ...]:
        """The SERVICE allow-list: the configured endpoints and every registered partner's."""
        return self._allow_list + self.registry.endpoints()

    def route(self, sparql: str, *, base_iri: str | None) -> Routed | None:
        """Point the query's SERVICE endpoints at the federation route (``None``: no SERVICE).

        The caller has checked them against ``allowed()``; call ``finish`` when the query ends.
        """
        if not has_keyword(sparql, "SERVICE"):  # most queries: a substring test, no lexing
            return None
        resolver: IriResolver | None = None
        found = [t for t in tokens(sparql) if t.kind != "comment"]
        edits: list[tuple[int, int, str]] = []
        endpoints: list[str] = []
        call_id = secrets.token_urlsafe(24)
        for i, token in enumerate(found):
            if not token.is_keyword("SERVICE"):
                continue
            j = i + 2 if i + 1 < len(found) and found[i + 1].is_keyword("SILENT") else i + 1
            resolver = resolver or IriResolver(sparql, base_iri)
            endpoint = resolver.resolve(found[j]) if j < len(found) else None
            if endpoint is None:
                continue  # refused before routing; nothing to rewrite
            target = found[j]
            route = f"<{self._route_base}/federation/{call_id}/{len(endpoints)}>"
            edits.append((target.start, target.start + len(target.text), route))
            endpoints.append(endpoint)
        if not endpoints:
            return None
        for start, end, replacement in reversed(edits):
            sparql = sparql[:start] + replacement + sparql[end:]
        with self._lock:
            self._calls[call_id] = _Call(endpoints)
        return Routed(sparql, call_id)

    def finish(self, call_id: str) -> list[CallOutcome]:
        """Forget a query's routes; return the failures its SERVICE calls met."""
        with self._lock:
            call = self._calls.pop(call_id, None)
        return call.failures if call is not None else []

    def forward(self, call_id: str, index: int, query: str) -> tuple[int, bytes, str]:
        """Answer one SERVICE request of a running query: (status, body, media type).

        :raises KeyError: for a call id that is not running (the route does not exist).
        """
        with self._lock:
            call = self._calls[call_id]
            endpoint = call.endpoints[index]
        outcome, body = self.select(endpoint, query)
        if outcome.failed:
            with self._lock:
                call.failures.append(outcome)
            return 502, outcome.message().encode(), "text/plain; charset=utf-8"
        return 200, body, "application/sparql-results+json"

    def select(self, endpoint: str, query: str) -> tuple[CallOutcome, bytes]:
        """Send a SELECT to an allowed endpoint; its answer as SPARQL JSON, bounded."""
        partner = self.registry.by_endpoint(endpoint)
        max_rows = partner.max_rows if partner else DEFAULT_MAX_ROWS
        started = time.monotonic()
        name = partner.id if partner else (urlsplit(endpoint).hostname or endpoint)
        try:
            media_type, raw = self.fetch(endpoint, query, accept=RESULTS_ACCEPT,
                                         partner=partner)
        except FederationError as exc:
            outcome = CallOutcome(name, endpoint, time.monotonic() - started, 0, exc.kind,
                                  exc.message)
            self._record(outcome)
            return outcome, b""
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        output = io.BytesIO()
        try:
            if fmt is None:
                raise ValueError(f"an answer in {media_type or 'no format'}")
            solutions = ox.parse_query_results(raw, format=fmt)
            if not isinstance(solutions, ox.QuerySolutions):
                raise ValueError("a boolean where solutions were expected")
            result = SolutionsResult(tuple(v.value for v in solutions.variables), solutions)
            cut = write_bounded(result, output, ox.QueryResultsFormat.JSON, max_rows=max_rows)
        except (SyntaxError, ValueError, OSError) as exc:
            outcome = CallOutcome(name, endpoint, time.monotonic() - started, 0, "unparsable",
                                  f"unparsable answer: {str(exc)[:200]}")
            self._record(outcome)
            return outcome, b""
        rows = sum(1 for _ in ox.parse_query_results(  # type: ignore[union-attr]
            output.getvalue(), format=ox.QueryResultsFormat.JSON))
        outcome = CallOutcome(name, endpoint, time.monotonic() - started, rows,
                              "cut" if cut else "ok")
        self._record(outcome)
        return outcome, output.getvalue()

    def fetch(self, endpoint: str, query: str, *, accept: str, partner: Partner | None
              ) -> tuple[str, bytes]:
        """POST a query to an allowed endpoint and read the whole answer within the time limit.

        :raises FederationError: naming the cause: not allowed, unreachable, redirect, HTTP
            status, too large, or no complete answer in time.
        """
        if not is_allowed_url(endpoint, self.allowed()):
            raise FederationError("not on the allow-list", kind="refused")
        limit = partner.timeout_s if partner else DEFAULT_TIMEOUT_S
        deadline = time.monotonic() + limit
        headers = {"Accept": accept, **dict(partner.headers if partner else ())}
        try:
            with self._http.stream("POST", endpoint, data={"query": query}, headers=headers,
                                   timeout=httpx.Timeout(limit)) as response:
                if response.is_redirect:
                    where = response.headers.get("Location", "?")
                    raise FederationError(f"redirected to {where}; redirects are not followed",
                                          kind="redirect")
                if response.status_code != 200:
                    raise FederationError(f"HTTP {response.status_code} from the endpoint",
                                          kind=f"http {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline")
                    if len(body) > MAX_ANSWER_BYTES:
                        raise FederationError(f"answer over {MAX_ANSWER_BYTES} bytes",
                                              kind="too large")
                return response.headers.get("Content-Type", "").split(";")[0], bytes(body)
        except httpx.TimeoutException:
            raise FederationError(f"no complete answer within its time limit of {limit:g} s",
                                  kind="timeout") from None
        except httpx.TransportError as exc:
            raise FederationError(f"unreachable ({type(exc).__name__})",
                                  kind="unreachable") from None

    def _record(self, outcome: CallOutcome) -> None:
        log.info("federation partner=%s endpoint=%s duration=%.3fs rows=%d outcome=%s %s",
                 outcome.partner, outcome.endpoint, outcome.duration_s, outcome.rows,
                 outcome.outcome, outcome.detail)
        self._on_call(outcome)

