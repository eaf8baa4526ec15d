"""Validation cost against store size: incremental validation of a 1,000-triple batch, and
pyshacl on the whole data graph.

(a) For stores of 10k, 100k and 1M generated triples (``bench.generate``) plus the shipped
graphs, a batch of 1,000 valid triples (100 new pieces of evidence, 10 triples each, pointing
to curated actors and paragraphs) is inserted and validated with ``validate_change`` (the
precise rule: exactly the added triples) and ``validate_nodes`` (the node-level rule: every
touched node, as the write path computes them). (b) pyshacl on the whole data graph, at the
sizes given by ``--full-sizes``; when the largest is under 1M the time at 1M is extrapolated
linearly from it and the output says so (measured: 517 s at 100k, so about 86 min at 1M).
Timings are the median of ``--repeat`` runs; no timing is asserted anywhere.

Example:
    python -m bench.validation --sizes 10000 100000 1000000 --full-sizes 100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from bench.generate import ensure_data
from kg.curated import load_curated_graphs
from kg.store import EmbeddedStore
from kg.validation import Validator

RESULTS = Path(__file__).parent / "results"
ID = "https://w3id.org/htkg/id/"
H = "https://w3id.org/htkg/ontology#"
GRAPH = ox.NamedNode("https://w3id.org/htkg/graph/bench-batch")


def batch(size: int = 1000) -> list[ox.Quad]:
    """``size`` triples of valid evidence (10 triples each) citing curated nodes."""
    section = f"{ID}document/cted-briefing-ht-terrorism/section/some-findings-ii"
    quads = []
    for i in range(size // 10):
        e = ox.NamedNode(f"{ID}evidence/bench-{i}")
        rows: list[tuple[str, ox.NamedNode | ox.Literal]] = [
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(H + "Evidence")),
            ("http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(f"Bench evidence {i}")),
            ("http://purl.org/dc/terms/description", ox.Literal("What the case file shows")),
            ("http://www.w3.org/ns/prov#wasDerivedFrom", ox.NamedNode(section)),
            (H + "reliability", ox.NamedNode(f"{ID}concept/reliability/B")),
            (H + "credibility", ox.NamedNode(f"{ID}concept/credibility/2")),
            (H + "sharingLevel", ox.NamedNode(f"{ID}concept/tlp/amber")),
            (H + "involves", ox.NamedNode(f"{ID}actor/al-shabaab")),
            (H + "relevantTo", ox.NamedNode(f"{ID}resolution/2388/op/financial-flows-data")),
            (H + "relevanceNote", ox.Literal("judged relevant by the bench")),
        ]
        quads += [ox.Quad(e, ox.NamedNode(p), o, GRAPH) for p, o in rows]
    return quads


def timed(action: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def store_of(size: int, directory: Path) -> ox.Store:
    data, _ = ensure_data(RESULTS, size, 42)
    location = directory / f"validation-{size}"
    embedded = EmbeddedStore.open(location)
    if embedded.triple_count() < size:
        embedded._store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        load_curated_graphs(embedded)
        embedded.optimize()
    return embedded._store


def touched(quads: list[ox.Quad]) -> set[ox.NamedNode | ox.BlankNode]:
    nodes: set[ox.NamedNode | ox.BlankNode] = set()
    for q in quads:
        nodes.add(q.subject)  # type: ignore[arg-type]
        if isinstance(q.object, ox.NamedNode | ox.BlankNode):
            nodes.add(q.object)
    return nodes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--full-sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=RESULTS / "work-validation")
    args = parser.parse_args(argv)
    validator = Validator.from_package()
    quads = batch()
    rows = []
    for size in args.sizes:
        store = store_of(size, args.work)
        store.extend(quads)
        precise = validator.validate_change(store, added=quads)
        assert precise.conforms, precise.summary()[:3]
        change_s = timed(lambda s=store: validator.validate_change(s, added=quads), args.repeat)
        nodes_s = timed(lambda s=store: validator.validate_nodes(s, touched(quads)), args.repeat)
        for quad in quads:
            store.remove(quad)
        rows.append((size, len(store), change_s, nodes_s))
        print(f"incremental at {size}: change {change_s:.3f} s, nodes {nodes_s:.3f} s",
              file=sys.stderr)
    full = []
    for size in args.full_sizes:
        store = store_of(size, args.work)
        started = time.perf_counter()
        graph = validator.data_graph(store)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        report = validator.validate_graph(graph, with_ontology=False)
        full_s = time.perf_counter() - started
        full.append((size, len(graph), load_s, full_s, len(report.results)))
        print(f"full at {size}: load {load_s:.1f} s, pyshacl {full_s:.1f} s", file=sys.stderr)
    print("| store triples | quads with shipped graphs | validate_change (1,000-triple batch) "
          "| validate_nodes (same batch) |")
    print("|---:|---:|---:|---:|")
    for size, quads_n, change_s, nodes_s in rows:
        print(f"| {size:,} | {quads_n:,} | {change_s * 1000:.0f} ms | {nodes_s * 1000:.0f} ms |")
    print()
    print("| data triples | rdflib graph triples | read into rdflib | pyshacl full | results |")
    print("|---:|---:|---:|---:|---:|")
    for size, n, load_s, full_s, results in full:
        print(f"| {size:,} | {n:,} | {load_s:.1f} s | {full_s:.1f} s | {results:,} |")
    if full and full[-1][0] < 1_000_000:
        size, _, _, seconds, _ = full[-1]
        estimate = seconds * 1_000_000 / size  # pyshacl's work grows with the focus nodes
        print(f"\npyshacl on 1M triples, extrapolated linearly from {size:,}: about "
              f"{estimate / 60:.0f} min ({estimate:.0f} s); not measured.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
