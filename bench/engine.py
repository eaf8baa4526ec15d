"""The query mix evaluated in-process with pyoxigraph on a store directory: the engine's floor.

Why: a server's latency is engine time plus protocol overhead. Timing the same query texts
(query + JSON serialisation, no HTTP) on a store directory separates the two, and comparing
directories (htkg's checkpoint, the oxigraph peer's store, the same after Store.optimize())
shows whether a gap is the server's code or the store's on-disk layout. Open only stores no
server is using (or a copy), since Oxigraph does not support a reader beside a writer.

Example:
    cp -r bench/results/work-100000/oxigraph-store /tmp/ox
    python -m bench.engine /tmp/ox --triples 100000 --read-only
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from bench.generate import Manifest, data_paths
from bench.queries import load_templates
from bench.run import RESULTS


def time_queries(store: ox.Store, texts: list[str], repeats: int) -> list[float]:
    """Seconds per evaluation and serialisation of each text, after one unmeasured pass."""
    samples = []
    for rep in range(repeats + 1):
        for text in texts:
            started = time.perf_counter()
            answer = store.query(text, use_default_graph_as_union=True)
            answer.serialize(format=ox.QueryResultsFormat.JSON)
            if rep:
                samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a store directory no process is using")
    parser.add_argument("--triples", type=int, required=True, help="which generated data")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--variants", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--read-only", action="store_true", help="open as htkg's workers do")
    parser.add_argument("--optimize", action="store_true",
                        help="run Store.optimize() first (changes the directory)")
    args = parser.parse_args(argv)
    manifest = Manifest.read(data_paths(RESULTS, args.triples, args.seed)[1])
    if args.optimize:
        writable = ox.Store(str(args.store))
        writable.optimize()
        del writable
    store = ox.Store.read_only(str(args.store)) if args.read_only else ox.Store(str(args.store))
    print("| query | p50 ms | mean ms |\n|---|--:|--:|")
    for template in load_templates():
        texts = template.variants(manifest, args.variants, seed=args.seed)
        samples = time_queries(store, texts, args.repeats)
        print(f"| {template.name} | {1000 * statistics.median(samples):.3f} | "
              f"{1000 * statistics.fmean(samples):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
