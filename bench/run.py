"""Run the query mix against htkg and `oxigraph serve` side by side, on the same data.

What one run does:
1. generates the data for --triples (or reuses bench/results/data-*.nq);
2. restores it into an htkg store and starts `htkg serve`; copies the graphs htkg adds on start
   into the oxigraph peer's data, loads that with `oxigraph load`, starts `oxigraph serve`;
3. checks that both peers hold the same quads and give the same answers;
4. for 1 and 4 clients, runs each query alone and then the whole mix, alternating which peer
   goes first (ABBA over rounds) so drifting noise hits both equally;
5. prints the tables and writes bench/results/run-*.json and run-*.md;
6. with --profile, samples htkg with py-spy during one more mix at the highest client count.

Examples:
    python -m bench.run --triples 100000
    python -m bench.run --triples 1000000 --profile
    python -m bench.run --triples 100000 --candidate oxigraph   # harness check: ratio ~1.0
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/run.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import peers as p
from bench import profile, report, verify
from bench.clients import ClientPool, Task
from bench.generate import Manifest, ensure_data
from bench.machine import describe_machine
from bench.queries import load_templates
from bench.stats import Cell

RESULTS = Path(__file__).resolve().parent / "results"
JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Workload:
    """What the clients of one cell send: (query index, query text) pairs in order."""

    name: str
    queries: list[tuple[int, str]]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--triples", type=int, required=True, help="size of the generated data")
    add("--seed", type=int, default=42, help="seed of the data and of the query parameters")
    add("--clients", type=int, nargs="+", default=[1, 4], help="concurrent clients per cell")
    add("--duration", type=float, default=2.0, help="measured seconds per query cell and round")
    add("--mix-passes", type=float, default=1.0,
        help="the mix cell runs this many passes over its queries (all variants of all "
             "queries, shared by the clients), the same requests for both peers")
    add("--warmup", type=float, default=0.5, help="unmeasured seconds before each cell")
    add("--rounds", type=int, default=2, help="rounds per cell, alternating the peers' order")
    add("--warmup-passes", type=int, default=1,
        help="passes over the whole mix per peer, unmeasured, before the first cell")
    add("--min-requests", type=int, default=3, help="per client and cell, however slow")
    add("--variants", type=int, default=50, help="parameter sets per query")
    add("--queries", nargs="+", help="only these queries (file stems of bench/queries)")
    add("--mix-only", action="store_true", help="skip the one-query cells")
    add("--candidate", choices=["htkg", "oxigraph"], default="htkg",
        help="the server compared with oxigraph; 'oxigraph' checks the harness (ratio ~1)")
    add("--optimize-oxigraph", action="store_true",
        help="run `oxigraph optimize` on the baseline's store after loading it")
    add("--htkg-header", action="append", default=[], metavar="'NAME: VALUE'",
        help="extra header on every htkg request, e.g. an Authorization bearer token")
    add("--profile", action="store_true", help="sample the candidate with py-spy on the mix")
    add("--profile-duration", type=float, default=20.0)
    add("--results", type=Path, default=RESULTS, help="data cache, stores, logs and results")
    args = parser.parse_args(argv)
    if args.triples < 10_000:
        parser.error("--triples must be at least 10000 for the data to have every section")
    return args


def start_peers(args: argparse.Namespace, data: Path, work: Path,
                info: dict[str, Any]) -> tuple[p.Peer, p.Peer]:
    """Load and start (candidate, baseline); the baseline gets whatever the candidate added."""
    files = [data]
    if args.candidate == "htkg":
        headers = dict(h.split(":", 1) for h in args.htkg_header)
        headers = {k.strip(): val.strip() for k, val in headers.items()}
        info["load_s"] = {"htkg": p.load_htkg(data, work / "htkg-store", work / "htkg.log")}
        candidate = p.start_htkg(work / "htkg-store", work / "htkg.log", headers)
        info["ready_s"] = {"htkg": p.wait_until_ready(candidate)}
        extra = work / "htkg-own-graphs.nq"
        info["htkg_own_quads"] = verify.export_extra_graphs(candidate, extra)
        if info["htkg_own_quads"]:
            files.append(extra)
    else:
        info["load_s"] = {"oxigraph-b": p.load_oxigraph(files, work / "oxigraph-b-store",
                                                        work / "oxigraph-b.log")}
        candidate = p.start_oxigraph("oxigraph-b", work / "oxigraph-b-store",
                                     work / "oxigraph-b.log")
        info["ready_s"] = {"oxigraph-b": p.wait_until_ready(candidate)}
    try:
        info["load_s"]["oxigraph"] = p.load_oxigraph(files, work / "oxigraph-store",
                                                     work / "oxigraph.log")
        if args.optimize_oxigraph:
            info["optimize_s"] = p.optimize_oxigraph(work / "oxigraph-store",
                                                     work / "oxigraph.log")
        baseline = p.start_oxigraph("oxigraph", work / "oxigraph-store", work / "oxigraph.log")
        info["ready_s"]["oxigraph"] = p.wait_until_ready(baseline)
    except Exception:
        candidate.stop()
        raise
    return candidate, baseline


def run_cell(pool: ClientPool, peer: p.Peer, workload: Workload, clients: int,
             args: argparse.Namespace, *, duration_s: float = 0.0,
             requests: int | None = None) -> tuple[list[Any], tuple[float, float], float]:
    """One round of one cell: the clients cycle through the workload for duration_s each, or
    share exactly `requests` requests. Returns the outcomes, and the CPU seconds meanwhile of
    the server (main process, descendants) and of the whole machine."""
    targets = [(i, peer.query_target(text)) for i, text in workload.queries]
    start_at = time.monotonic() + 0.3
    headers = {"Accept": JSON, **peer.headers}
    pool.start([Task(peer.host, peer.port, headers, targets, start_at, args.warmup,
                     offset=k * len(targets) // clients, duration_s=duration_s,
                     min_requests=args.min_requests, requests=requests)
                for k in range(clients)])
    time.sleep(max(0.0, start_at + args.warmup - time.monotonic()))
    (main_before, rest_before), machine_before = peer.cpu_s(), p.machine_busy_s()
    outcomes = pool.collect(clients)
    main_after, rest_after = peer.cpu_s()
    return (outcomes, (main_after - main_before, rest_after - rest_before),
            p.machine_busy_s() - machine_before)


def measure(pool: ClientPool, peers: list[p.Peer], workloads: list[Workload],
            names: list[str], args: argparse.Namespace,
            progress: Callable[[list[Cell]], None]) -> list[Cell]:
    """Every (clients, workload) cell for both peers, ABBA over rounds.

    One-query cells run for a fixed time; the mix runs a fixed list of requests, because its
    queries differ in cost by 1000x and a time window would catch a different share of slow
    ones on each peer.
    """
    cells: list[Cell] = []
    for clients in args.clients:
        for w_index, workload in enumerate(workloads):
            if workload.name == report.MIX:
                size = {"requests": round(args.mix_passes * len(workload.queries))}
            else:
                size = {"duration_s": args.duration}
            by_peer = {peer.name: Cell(peer.name, clients, workload.name) for peer in peers}
            for round_index in range(args.rounds):
                order = peers if (round_index + w_index) % 2 == 0 else peers[::-1]
                for peer in order:
                    outcomes, cpu, machine = run_cell(pool, peer, workload, clients, args, **size)
                    by_peer[peer.name].add_round(outcomes, names, cpu, machine)
            for cell in by_peer.values():
                s = cell.summary()
                print(f"  {clients} client(s) {workload.name:20s} {cell.peer:10s} "
                      f"{s['qps']:9.1f} qps  p50 {s['p50_ms']:8.2f} ms  p95 {s['p95_ms']:8.2f} ms"
                      f"  rounds {s['rounds_qps']}  other load {s['other_cpu_cores']:.2f} cores"
                      f"  errors {s['errors']}", file=sys.stderr, flush=True)
            cells.extend(by_peer.values())
            progress(cells)
    return cells


def warm_up(peers: list[p.Peer], pool: ClientPool, mix: Workload, args: argparse.Namespace,
            setup: dict[str, Any]) -> None:
    """Fill both servers' caches with the whole mix, then wait until both are idle."""
    started = time.perf_counter()
    for peer in peers:
        for _ in range(args.warmup_passes):
            run_cell(pool, peer, mix, 1, args, requests=len(mix.queries))
    setup["warmup_s"] = round(time.perf_counter() - started, 1)
    setup["quiet_wait_s"] = round(p.wait_until_quiet(peers), 1)
    print(f"warmed up in {setup['warmup_s']} s, quiet after {setup['quiet_wait_s']} s",
          file=sys.stderr, flush=True)


def run_profile(pool: ClientPool, peer: p.Peer, workload: Workload, names: list[str],
                args: argparse.Namespace, stem: Path) -> dict[str, Any]:
    """One more cell on the candidate alone, under py-spy: the summary and where stacks went."""
    clients = max(args.clients)
    stacks = stem.with_name(f"{stem.name}-{workload.name}.stacks.txt")
    spy = profile.record(peer.process.pid, stacks, args.profile_duration + args.warmup)
    time.sleep(1.0)  # py-spy attaches
    cell = Cell(peer.name, clients, workload.name)
    outcomes, cpu, machine = run_cell(pool, peer, workload, clients, args,
                                      duration_s=args.profile_duration)
    cell.add_round(outcomes, names, cpu, machine)
    _, err = spy.communicate()
    if not stacks.exists():
        return {"error": f"py-spy wrote nothing: {err.decode(errors='replace')[-500:]}"}
    summary = profile.summarise(stacks)
    figures = cell.summary()
    return {"stacks": str(stacks), "clients": clients, "qps_while_profiled": figures["qps"],
            "server_cpu_ms_per_query": figures["server_cpu_ms_per_query"], **summary}


def build_workloads(texts: dict[str, list[str]], seed: int, mix_only: bool) -> list[Workload]:
    """One workload per query, then the mix: all variants of all queries in a seeded order."""
    indexed = [(i, text) for i, name in enumerate(texts) for text in texts[name]]
    singles = [Workload(name, [(i, t) for t in texts[name]]) for i, name in enumerate(texts)]
    mix = list(indexed)
    random.Random(seed).shuffle(mix)
    return [*([] if mix_only else singles), Workload(report.MIX, mix)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    data, manifest = ensure_data(args.results, args.triples, args.seed)
    templates = load_templates(args.queries)
    names = [t.name for t in templates]
    texts = {t.name: t.variants(manifest, args.variants, seed=args.seed) for t in templates}
    workloads = build_workloads(texts, args.seed, args.mix_only)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    stem = args.results / f"run-{args.triples}-{args.candidate}-{stamp}"
    work = args.results / f"work-{args.triples}"
    work.mkdir(exist_ok=True)
    result = base_result(args, manifest, names, data)
    print(f"data: {data} ({manifest.triples:,} quads)", file=sys.stderr)
    candidate, baseline = start_peers(args, data, work, result["setup"])
    pool = ClientPool(max(args.clients))
    try:
        check_peers(candidate, baseline, texts, result["setup"])
        warm_up([candidate, baseline], pool, workloads[-1], args, result["setup"])
        partial = stem.with_suffix(".partial.json")

        def progress(cells: list[Cell]) -> None:  # a run cut short still leaves its figures
            partial.write_text(json.dumps({**result, "cells": [c.summary() for c in cells]}))

        cells = measure(pool, [candidate, baseline], workloads, names, args, progress)
        partial.unlink(missing_ok=True)
        result["cells"] = [c.summary() for c in cells]
        result["acceptance"] = report.acceptance(result["cells"], candidate.name, baseline.name)
        if args.profile:  # the mix, and the cheapest query where overhead shows most
            profiled = [w for w in workloads if w.name in (report.MIX, report.LOOKUP)]
            result["profile"] = {w.name: run_profile(pool, candidate, w, names, args, stem)
                                 for w in profiled}
    finally:
        pool.close()
        candidate.stop()
        baseline.stop()
    return write_results(result, stem)


def base_result(args: argparse.Namespace, manifest: Manifest, names: list[str],
                data: Path) -> dict[str, Any]:
    baseline = "oxigraph"
    candidate = "htkg" if args.candidate == "htkg" else "oxigraph-b"
    settings = {k: (str(val) if isinstance(val, Path) else val) for k, val in vars(args).items()
                if k != "htkg_header"}  # headers may carry a token
    return {"machine": describe_machine(), "load_average_at_start": os.getloadavg(),
            "settings": settings, "data": str(data),
            "manifest": vars(manifest), "queries": names, "clients": args.clients,
            "candidate": candidate, "baseline": baseline, "setup": {}, "cells": []}


def check_peers(candidate: p.Peer, baseline: p.Peer, texts: dict[str, list[str]],
                setup: dict[str, Any]) -> None:
    """Equal quad counts and equal answers, or the run stops: a ratio between peers that
    hold different data or answer differently measures nothing."""
    setup["quads"] = {peer.name: verify.count_quads(peer) for peer in (candidate, baseline)}
    setup["answer_differences"] = verify.compare_answers(
        candidate, baseline, {name: variants[:3] for name, variants in texts.items()})
    print(f"quads: {setup['quads']}", file=sys.stderr)
    if len(set(setup["quads"].values())) != 1 or setup["answer_differences"]:
        raise SystemExit("the peers differ: " + ", ".join(
            [f"quads {setup['quads']}", *setup["answer_differences"]]))


def write_results(result: dict[str, Any], stem: Path) -> int:
    result["load_average_at_end"] = os.getloadavg()
    text = report.render(result)
    for workload, summary in result.get("profile", {}).items():
        clients = summary.get("clients")
        text += f"\n### Profile of {result['candidate']}: {workload}, {clients} clients\n\n"
        if "error" in summary:
            text += f"{summary['error']}\n"
        else:
            text += (f"{summary['qps_while_profiled']} qps while profiled, "
                     f"{summary['server_cpu_ms_per_query']} ms of server CPU per query. ")
            text += profile.render(summary)
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(text)
    print(f"results: {stem}.json, {stem}.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
