"""The runner's HTTP side: one ``httpx.Client`` per endpoint, reset, load, query, update, dump.

Everything goes through the three URLs of the ``Endpoint``, so any SPARQL 1.1 service can be
tested. Test data reaches the service through a ``Loader``: by default the Graph Store HTTP
Protocol (a PUT per graph), which is standard; a fixture can pass another loader (for
example one that writes to the store directly) without touching the rest of the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import quote

import httpx

from .model import Endpoint
from .rdfio import Quad
from .results import Solutions, parse_results

#: Graph name -> N-Triples payload; ``None`` is the default graph.
Dataset = Mapping[str | None, bytes]
Loader = Callable[["Session", Dataset], None]

ANSWER_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "*/*;q=0.1"
)
DUMP_QUERY = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


class EndpointError(Exception):
    """The service refused a request the runner needs in order to set up a test."""


def graph_store_url(endpoint: Endpoint, graph: str | None) -> str:
    """The indirect-identification URL of a graph (``?default`` or ``?graph=IRI``)."""
    suffix = "default" if graph is None else "graph=" + quote(graph, safe="")
    separator = "&" if "?" in endpoint.graph_store_url else "?"
    return f"{endpoint.graph_store_url}{separator}{suffix}"


def gsp_loader(session: Session, dataset: Dataset) -> None:
    """Load each graph with an HTTP PUT of N-Triples to the Graph Store endpoint."""
    for graph, payload in dataset.items():
        response = session.http.put(graph_store_url(session.endpoint, graph), content=payload,
                                    headers={"Content-Type": "application/n-triples"})
        session.dirty = True
        if not response.is_success:
            raise EndpointError(f"loading graph {graph or 'default'} answered "
                                f"{response.status_code}: {response.text[:200]}")


class Session:
    """A connection pool to one endpoint, plus whether the store may hold test data."""

    def __init__(self, endpoint: Endpoint, *, loader: Loader = gsp_loader,
                 timeout_s: float = 30.0) -> None:
        self.endpoint = endpoint
        self.loader = loader
        self.http = httpx.Client(headers=dict(endpoint.headers), timeout=timeout_s,
                                 follow_redirects=False)
        self.dirty = True

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def reset(self) -> None:
        """Empty the store (``DROP ALL``) unless nothing can have written since the last reset.

        A service without an update URL cannot be reset; the runner only gives it tests
        that neither write nor need test data.
        """
        if not self.dirty or not self.endpoint.update_url:
            return
        response = self.update("DROP ALL")
        if not response.is_success:
            raise EndpointError(f"DROP ALL answered {response.status_code}: "
                                f"{response.text[:200]}")
        self.dirty = False

    def load(self, dataset: Dataset) -> None:
        if dataset:
            self.loader(self, dataset)
            self.dirty = True

    def query(self, text: str, *, accept: str = ANSWER_ACCEPT) -> httpx.Response:
        """A query by POST with a URL-encoded body, the form every service must accept."""
        return self.http.post(self.endpoint.query_url, data={"query": text},
                              headers={"Accept": accept})

    def update(self, text: str) -> httpx.Response:
        self.dirty = True
        return self.http.post(self.endpoint.update_url, data={"update": text})

    def dump(self) -> list[Quad]:
        """Every quad in the store, read back through a plain SELECT over all graphs."""
        response = self.query(DUMP_QUERY, accept="application/sparql-results+json")
        if not response.is_success:
            raise EndpointError(f"reading the store back answered {response.status_code}: "
                                f"{response.text[:200]}")
        answer = parse_results(response.content, "json")
        if not isinstance(answer, Solutions):
            raise EndpointError("reading the store back did not give solutions")
        return [(row["s"], row["p"], row["o"], row.get("g")) for row in answer.rows]
