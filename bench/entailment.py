"""Entailment cost: refresh after a 1,000-triple write, and a full rebuild, at several sizes.

For each size the benchmark data (bench/generate.py, seed 42) is restored into a fresh on-disk
store with the shipped graphs, the inferred graph is built, then two writes of 1,000 triples
are made and undone, each followed by `Entailment.refresh`:

* types: 1,000 `rdf:type` triples on new nodes, of classes with superclasses;
* parts: 200 new sub-paragraphs (5 triples each) hung under existing paragraphs, so each
  refresh walks the part-of tree of the resolutions it touches.

After each step a rebuild must find nothing to change (the refresh was exact). Refresh time
should not grow with the store; rebuild time does.

Example:
    .venv/bin/python -m bench.entailment --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench import vocabulary as v
from bench.generate import ensure_data
from kg.curated import load_curated_graphs
from kg.entailment import Entailment, InferenceChange, touched_nodes
from kg.store import EmbeddedStore

GRAPH = v.GRAPH + "entailment"
TYPES = ("Finding", "SubParagraph", "TerroristGroup", "Person", "TypologyReport")


@dataclass(frozen=True)
class Row:
    triples: int
    rebuild_s: float
    inferred: int
    steps: list[tuple[str, float, float, InferenceChange]]  # name, write s, refresh s, change


def _typed_batch() -> list[ox.Triple]:
    rdf_type = ox.NamedNode(v.RDF_TYPE)
    return [ox.Triple(ox.NamedNode(f"{v.ID}bench-new/{i}"), rdf_type,
                      ox.NamedNode(v.HTKG + TYPES[i % len(TYPES)])) for i in range(1000)]


def _parts_batch() -> list[ox.Triple]:
    """Under the first 8 resolutions, which every size has: the same write at every size."""
    h = v.HTKG
    triples = []
    for i in range(200):
        number = v.FIRST_RESOLUTION + i % 8
        res = f"{v.ID}resolution/{number}"
        para, sub = f"{res}/op/{1 + i % 8}", f"{res}/op/{1 + i % 8}/new{i}"
        for p, o in ((v.RDF_TYPE, h + "SubParagraph"), (h + "subParagraphOf", para),
                     (h + "paragraphOf", res), (h + "partOf", para)):
            triples.append(ox.Triple(ox.NamedNode(sub), ox.NamedNode(p), ox.NamedNode(o)))
        triples.append(ox.Triple(ox.NamedNode(sub), ox.NamedNode(h + "subParagraphLabel"),
                                 ox.Literal(f"new{i}")))
    return triples


def _write(store: EmbeddedStore, verb: str, triples: list[ox.Triple]) -> float:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    started = time.perf_counter()
    store.update(f"{verb} DATA {{ GRAPH <{GRAPH}> {{ {data} }} }}")
    return time.perf_counter() - started


def measure(triples: int, data_dir: Path) -> Row:
    data, _ = ensure_data(data_dir, triples, 42)
    with tempfile.TemporaryDirectory(prefix="htkg-entailment-") as tmp:
        store = EmbeddedStore.open(Path(tmp) / "store")
        with data.open("rb") as source:
            store.restore(source, format=ox.RdfFormat.N_QUADS)
        load_curated_graphs(store)
        entailment = Entailment.from_store(store)
        started = time.perf_counter()
        built = entailment.rebuild(store)
        rebuild_s = time.perf_counter() - started
        steps = []
        batches = (("types", _typed_batch()),
                   ("parts", _parts_batch()))
        for name, batch in batches:
            for verb in ("INSERT", "DELETE"):
                write_s = _write(store, verb, batch)
                started = time.perf_counter()
                change = entailment.refresh(store, touched_nodes(batch))
                refresh_s = time.perf_counter() - started
                check = entailment.rebuild(store)
                assert (check.added, check.removed) == (0, 0), f"{name} {verb}: {check}"
                steps.append((f"{name} {verb.lower()}", write_s, refresh_s, change))
        return Row(triples, rebuild_s, built.added, steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path("bench/results"),
                        help="where generated data files are cached")
    args = parser.parse_args(argv)
    rows = [measure(size, args.data) for size in args.sizes]
    print("| store triples | rebuild s | inferred | step | write ms | refresh ms "
          "| +inferred | -inferred | nodes |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        for name, write_s, refresh_s, change in row.steps:
            print(f"| {row.triples:,} | {row.rebuild_s:.2f} | {row.inferred:,} | {name} "
                  f"| {write_s * 1000:.0f} | {refresh_s * 1000:.0f} | {change.added:,} "
                  f"| {change.removed:,} | {change.nodes:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
