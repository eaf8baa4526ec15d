"""Make both peers hold the same data, and check that they give the same answers.

htkg loads its own graphs (ontology, shapes, curated facts) when it starts, on top of the
benchmark data. Those graphs are copied into the oxigraph peer too, so the two stores are
equal quad for quad; then a throughput ratio compares servers, not datasets. The answer check
catches a server that is fast because it answers something else (a different default graph,
truncated results, an error body with status 200).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph

from bench import vocabulary as v
from bench.peers import Peer

JSON = "application/sparql-results+json"

COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _select(peer: Peer, query: str) -> dict[str, Any]:
    status, body = peer.get(query, JSON)
    if status != 200:
        raise RuntimeError(f"{peer.name} answered {status}: {body[:500]!r}")
    result: dict[str, Any] = json.loads(body)
    return result


def export_extra_graphs(peer: Peer, path: Path) -> int:
    """Write the peer's non-benchmark graphs as N-Quads to `path`; how many quads.

    Through htkg's ``/export``, which is never cut by the row limit (a SPARQL SELECT of the
    same quads is cut at ``max_result_rows``, 100,000 by default, fewer than htkg adds at 1M).
    """
    status, body = peer.fetch("/export", "application/n-quads")
    if status != 200:
        raise RuntimeError(f"{peer.name} answered {status}: {body[:500]!r}")
    quads = [quad for quad in pyoxigraph.parse(body, pyoxigraph.RdfFormat.N_QUADS)
             if not quad.graph_name.value.startswith(v.GRAPH)]
    pyoxigraph.serialize(quads, str(path), pyoxigraph.RdfFormat.N_QUADS)
    return len(quads)


def count_quads(peer: Peer) -> int:
    """Quads in the peer's named graphs (what both peers must agree on)."""
    return int(_select(peer, COUNT_QUERY)["results"]["bindings"][0]["n"]["value"])


def _rows(result: dict[str, Any]) -> Counter[tuple[tuple[str, str, str], ...]]:
    """Solutions as a multiset of (variable, type, value) tuples, order and datatype aside."""
    rows: Counter[tuple[tuple[str, str, str], ...]] = Counter()
    for binding in result["results"]["bindings"]:
        rows[tuple(sorted((name, term["type"], term["value"])
                          for name, term in binding.items()))] += 1
    return rows


def compare_answers(candidate: Peer, baseline: Peer, queries: dict[str, list[str]]) -> list[str]:
    """Run each query text on both peers; describe every difference (empty when equal)."""
    problems = []
    for name, texts in queries.items():
        for text in texts:
            try:
                a, b = _rows(_select(candidate, text)), _rows(_select(baseline, text))
            except RuntimeError as exc:
                problems.append(f"{name}: {exc}")
                continue
            if a != b:
                problems.append(f"{name}: {sum(a.values())} rows from {candidate.name}, "
                                f"{sum(b.values())} from {baseline.name}, "
                                f"{sum((a - b).values()) + sum((b - a).values())} differ")
    return problems
