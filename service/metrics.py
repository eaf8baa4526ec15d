"""Request metrics and the access log, recorded when a response is fully sent.

A WSGI wrapper rather than Flask hooks, because a streamed answer is only finished when the
server closes its body: timing at ``after_request`` would measure the first byte only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from kg.federation import CallOutcome

access_log = logging.getLogger("htkg.access")

# first path segment -> metric label; anything else is "other", so labels stay few
ENDPOINTS = ("sparql", "graph-store", "shacl", "id", "health", "metrics", "ontology")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Metrics:
    """A Prometheus registry of one app (never the process-global default registry)."""

    def __init__(self, triple_count: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "htkg_http_requests",
            "HTTP requests answered, by endpoint, method and status.",
            ["endpoint", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "htkg_http_request_duration_seconds",
            "Time from request to the last byte sent, by endpoint and status.",
            ["endpoint", "status"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.federation_calls = Counter(
            "htkg_federation_calls",
            "Requests to partner endpoints (SERVICE and harvest), by partner and outcome.",
            ["partner", "outcome"],
            registry=self.registry,
        )
        self.federation_latency = Histogram(
            "htkg_federation_call_duration_seconds",
            "Time to a partner's whole answer, by partner.",
            ["partner"],
            registry=self.registry,
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.restricted_queries = Counter(
            "htkg_restricted_queries",
            "Queries of callers who read some graphs only, by what answered them: a view of "
            "their graphs or the store with their graphs listed.",
            ["dataset"],
            registry=self.registry,
        )
        triples = Gauge("htkg_store_triples", "Quads in the store.", registry=self.registry)
        triples.set_function(lambda: float(triple_count()))

    def federation_call(self, call: CallOutcome) -> None:
        self.federation_calls.labels(call.partner, call.outcome).inc()
        self.federation_latency.labels(call.partner).observe(call.duration_s)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def wrap(self, app: WsgiApp) -> WsgiApp:
        """Wrap a WSGI app so each finished response is counted, timed and logged."""

        def recorded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            started = time.perf_counter()
            seen: dict[str, str] = {}

            def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
                seen["status"] = status.split(" ", 1)[0]
                return start_response(status, headers, *exc)

            body = app(environ, start)
            return _Finished(body, lambda sent: self._record(environ, seen, started, sent))

        return recorded

    def _record(
        self, environ: dict[str, Any], seen: dict[str, str], started: float, sent: int
    ) -> None:
        elapsed = time.perf_counter() - started
        status = seen.get("status", "000")
        endpoint = _endpoint(environ.get("PATH_INFO", "/"))
        method = environ.get("REQUEST_METHOD", "GET")
        self.requests.labels(endpoint, method, status).inc()
        self.latency.labels(endpoint, status).observe(elapsed)
        access_log.info(
            '%s "%s %s" %s %d %.1fms',
            environ.get("REMOTE_ADDR", "-"),
            method,
            environ.get("PATH_INFO", "/"),
            status,
            sent,
            elapsed * 1000,
        )


class _Finished:
    """A response body that reports, once closed, how many bytes went out."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self._body = body
        self._done = done
        self._sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._body:
            self._sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._done(self._sent)


def _endpoint(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    if not first:
        return "root"
    return first if first in ENDPOINTS else "other"
