"""What access control costs: the query mix as a partner beside the same mix as an admin.

An admin's queries run on the whole store (the union default graph); a partner's on the
graphs it may read: a view holding only them once it is built (kg/views.py), else an
explicit dataset listing them (kg/access_query.py, `restricted_dataset`). This runner
measures the difference on one `htkg serve`, in the same run:

1. generates the data for --triples (or reuses bench/results/data-*.nq) and restores it into
   a fresh htkg store; starts `htkg serve` with a bootstrap admin token, no rate limit,
   enough concurrent queries per token for the clients and a 600 s query time limit;
2. as admin, gives the four bench graphs to organisation org-bench at AMBER and creates a
   partner token of org-bench;
3. runs every query text of the mix as admin and as partner and stops, loudly, unless both
   get the same solutions (a partner that reads less would be faster for the wrong reason);
   this pass also warms the server up for both tokens; then waits until the partner's
   queries are answered from its view (the steady state; the wait is reported);
4. for each number of clients, runs the mix (and with --singles each query alone) with the
   admin token and with the partner token, alternating which goes first (ABBA over rounds);
5. prints the tables and the acceptance of issue #6 (mix throughput at 4 clients, partner /
   admin >= 0.9x) and writes bench/results/access-*.json and access-*.md;
6. with --profile, samples the server with py-spy during the mix for each token; with
   --engine, times the queries in-process on the stopped store with each dataset (engine only).

Examples:
    python -m bench.access --triples 100000
    python -m bench.access --triples 1000000 --variants 20 --rounds 2 --engine
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/access.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox

from bench import peers as p
from bench import profile, report
from bench import vocabulary as v
from bench.clients import ClientPool
from bench.generate import ensure_data
from bench.machine import describe_machine
from bench.queries import load_templates
from bench.run import RESULTS, build_workloads, measure, run_profile
from bench.stats import Cell

JSON = "application/sparql-results+json"
ADMIN, PARTNER = "admin", "partner"
LISTED = "every graph listed"
ORG = "org-bench"
TARGET_RATIO = 0.9
#: the server's query time limit: the slowest queries of the mix at 1M, several at a time on
#: a loaded machine, run past the default 30 s as a partner, and a 503 is not a measurement
QUERY_TIMEOUT_S = 600
GRAPHS_QUERY = "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"


class AnswersDifferError(RuntimeError):
    """The partner does not see what the admin sees: the comparison would be meaningless."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--triples", type=int, required=True, help="size of the generated data")
    add("--seed", type=int, default=42, help="seed of the data and of the query parameters")
    add("--clients", type=int, nargs="+", default=[1, 4], help="concurrent clients per cell")
    add("--rounds", type=int, default=4, help="rounds per cell, alternating the tokens' order")
    add("--variants", type=int, default=50, help="parameter sets per query")
    add("--queries", nargs="+", help="only these queries (file stems of bench/queries)")
    add("--singles", action="store_true", help="also run each query alone (2 s per cell)")
    add("--duration", type=float, default=2.0, help="measured seconds per one-query cell")
    add("--mix-passes", type=float, default=1.0, help="passes over the mix per mix cell")
    add("--warmup", type=float, default=0.5, help="unmeasured seconds before each cell")
    add("--min-requests", type=int, default=3, help="per client and cell, however slow")
    add("--profile", action="store_true", help="py-spy on the mix, once per token")
    add("--profile-duration", type=float, default=20.0)
    add("--engine", action="store_true",
        help="after the run, time the queries in-process on the store with each dataset")
    add("--engine-variants", type=int, default=3, help="texts per query for --engine")
    add("--results", type=Path, default=RESULTS, help="data cache, stores, logs and results")
    args = parser.parse_args(argv)
    if args.triples < 10_000:
        parser.error("--triples must be at least 10000 for the data to have every section")
    return args


@contextmanager
def server_environment(settings: dict[str, str]) -> Iterator[None]:
    """Only these HTKG_ settings in the environment a server started meanwhile inherits."""
    saved = dict(os.environ)
    for key in [k for k in os.environ if k.startswith("HTKG_")]:
        del os.environ[key]
    os.environ.update(settings)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def start_server(data: Path, work: Path, clients: int, info: dict[str, Any]) -> p.Peer:
    """A fresh store with the data and `htkg serve` on it, as a peer sending the admin token."""
    store = work / "htkg-store"
    for leftover in (Path(f"{store}.tokens.json"), Path(f"{store}.audit.jsonl")):
        leftover.unlink(missing_ok=True)
    info["load_s"] = round(p.load_htkg(data, store, work / "htkg.log"), 1)
    admin_token = secrets.token_urlsafe(24)
    settings = {"HTKG_ADMIN_TOKEN": admin_token, "HTKG_RATE_LIMIT_PER_MINUTE": "0",
                "HTKG_MAX_CONCURRENT_QUERIES": str(max(4, clients)),
                "HTKG_QUERY_TIMEOUT_S": str(QUERY_TIMEOUT_S)}
    info["server_settings"] = {k: v for k, v in settings.items() if k != "HTKG_ADMIN_TOKEN"}
    with server_environment(settings):
        peer = p.start_htkg(store, work / "htkg.log", {"Authorization": f"Bearer {admin_token}"})
    peer = dataclasses.replace(peer, name=ADMIN)
    try:
        info["ready_s"] = round(p.wait_until_ready(peer), 1)
    except Exception:
        peer.stop()
        raise
    return peer


def call(peer: p.Peer, method: str, target: str, body: object = None) -> tuple[int, Any]:
    """One JSON request to the admin API with the peer's token: (status, decoded answer)."""
    conn = http.client.HTTPConnection(peer.host, peer.port, timeout=60)
    try:
        conn.request(method, target, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json", **peer.headers})
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw.strip() else None
    finally:
        conn.close()


def partner_of_bench_graphs(admin: p.Peer) -> p.Peer:
    """Give the four bench graphs to org-bench at AMBER; the same server as a partner of it."""
    for name in v.GRAPHS:
        graph = v.graph_iri(name)
        status, answer = call(admin, "PUT", f"/admin/policies?graph={graph}",
                              {"owner": ORG, "tlp": "AMBER", "grants": []})
        if status != 200:
            raise RuntimeError(f"PUT /admin/policies?graph={graph}: {status} {answer}")
    status, answer = call(admin, "POST", "/admin/tokens", {"role": "partner", "org": ORG})
    if status != 201:
        raise RuntimeError(f"POST /admin/tokens: {status} {answer}")
    return dataclasses.replace(admin, name=PARTNER,
                               headers={"Authorization": f"Bearer {answer['token']}"})


def solutions(peer: p.Peer, text: str) -> Counter[tuple[tuple[str, str], ...]]:
    """The answer's solutions as a multiset; fails on any status but 200."""
    status, body = peer.get(text, JSON)
    if status != 200:
        raise AnswersDifferError(f"{peer.name} answered {status}: {body[:300]!r}")
    rows: Counter[tuple[tuple[str, str], ...]] = Counter()
    for binding in json.loads(body)["results"]["bindings"]:
        rows[tuple(sorted((name, term["value"]) for name, term in binding.items()))] += 1
    return rows


def check_same_answers(admin: p.Peer, partner: p.Peer,
                       texts: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """Every text as admin, then as partner: rows per query, or AnswersDifferError."""
    rows: dict[str, dict[str, int]] = {}
    problems = []
    for name, variants in texts.items():
        total = empty = 0
        for text in variants:
            a, b = solutions(admin, text), solutions(partner, text)
            if a != b:
                problems.append(f"{name}: {sum(a.values())} rows as admin, {sum(b.values())} "
                                f"as partner, {(a - b).total() + (b - a).total()} differ")
            total += sum(a.values())
            empty += not a
        rows[name] = {"texts": len(variants), "rows": total, "empty": empty}
    if problems:
        raise AnswersDifferError("the partner does not see what the admin sees:\n  "
                            + "\n  ".join(problems))
    return rows


def restricted_queries(admin: p.Peer) -> dict[str, float]:
    """The server's count of restricted queries by what answered them (a view or the listed
    dataset), from ``/metrics``."""
    conn = http.client.HTTPConnection(admin.host, admin.port, timeout=60)
    try:
        conn.request("GET", "/metrics", headers=admin.headers)
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    counts = {"view": 0.0, "listed": 0.0}
    for line in text.splitlines():
        if line.startswith("htkg_restricted_queries_total{"):
            counts[line.split('"')[1]] = float(line.split()[-1])
    return counts


def wait_for_view(admin: p.Peer, partner: p.Peer, *, limit_s: float = 600) -> float:
    """Send the partner's cheapest query until a view of its graphs answers it (kg.views):
    the mix is then timed on the steady state. Seconds waited."""
    started = time.perf_counter()
    before = restricted_queries(admin)["view"]
    while restricted_queries(admin)["view"] == before:
        if time.perf_counter() - started > limit_s:
            raise RuntimeError(f"no view of the partner's graphs after {limit_s} s")
        partner.get("ASK { }", JSON)
        time.sleep(0.2)
    return time.perf_counter() - started


def graphs_seen(peer: p.Peer) -> list[str]:
    status, body = peer.get(GRAPHS_QUERY, JSON)
    if status != 200:
        raise RuntimeError(f"{peer.name} answered {status}: {body[:300]!r}")
    return [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]


def engine_times(store_dir: Path, texts: dict[str, list[str]], partner_graphs: list[str],
                 every_graph: list[str]) -> dict[str, dict[str, float]]:
    """p50 ms per query, in-process on the stopped server's store, read-only as htkg's workers
    open it: the union default graph (the admin's dataset), every graph of the store listed
    explicitly (the same data as the admin's, given as a partner's is) and the partner's
    explicit dataset. Tells the engine's share of the difference from the server's."""
    store = ox.Store.read_only(str(store_dir))

    def listed(graphs: list[str]) -> dict[str, Any]:
        nodes = [ox.NamedNode(g) for g in graphs]
        return {"default_graph": nodes, "named_graphs": nodes}

    datasets = {ADMIN: {"use_default_graph_as_union": True}, LISTED: listed(every_graph),
                PARTNER: listed(partner_graphs)}
    times: dict[str, dict[str, float]] = {}
    for name, variants in texts.items():
        samples: dict[str, list[float]] = {who: [] for who in datasets}
        for rep in range(2):  # one unmeasured pass, then alternate the datasets per text
            for text in variants:
                for who, dataset in datasets.items():
                    started = time.perf_counter()
                    answer = store.query(text, **dataset)
                    answer.serialize(format=ox.QueryResultsFormat.JSON)
                    if rep:
                        samples[who].append(time.perf_counter() - started)
        times[name] = {who: round(1000 * statistics.median(s), 3) for who, s in samples.items()}
    return times


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    data, manifest = ensure_data(args.results, args.triples, args.seed)
    templates = load_templates(args.queries)
    names = [t.name for t in templates]
    texts = {t.name: t.variants(manifest, args.variants, seed=args.seed) for t in templates}
    workloads = build_workloads(texts, args.seed, mix_only=not args.singles)
    args.warmup_passes = 0  # the answer check is the warm-up pass (bench.run.warm_up's knob)
    stem = args.results / f"access-{args.triples}-{time.strftime('%Y%m%d-%H%M%S')}"
    work = args.results / f"work-access-{args.triples}"
    work.mkdir(exist_ok=True)
    settings = {k: (str(val) if isinstance(val, Path) else val) for k, val in vars(args).items()}
    result: dict[str, Any] = {
        "machine": describe_machine(), "load_average_at_start": os.getloadavg(),
        "settings": settings, "data": str(data), "manifest": vars(manifest), "queries": names,
        "clients": args.clients, "setup": {}, "cells": []}
    setup = result["setup"]
    print(f"data: {data} ({manifest.triples:,} quads)", file=sys.stderr)
    admin = start_server(data, work, max(args.clients), setup)
    pool = ClientPool(max(args.clients))
    try:
        partner = partner_of_bench_graphs(admin)
        setup["graphs"] = {peer.name: graphs_seen(peer) for peer in (admin, partner)}
        print(f"graphs: admin {len(setup['graphs'][ADMIN])}, partner "
              f"{len(setup['graphs'][PARTNER])}: {setup['graphs'][PARTNER]}", file=sys.stderr)
        started = time.perf_counter()
        setup["answers"] = check_same_answers(admin, partner, texts)
        setup["check_s"] = round(time.perf_counter() - started, 1)
        setup["view_wait_s"] = round(wait_for_view(admin, partner), 1)
        setup["quiet_wait_s"] = round(p.wait_until_quiet([admin]), 1)
        print(f"same answers for all {sum(len(t) for t in texts.values())} texts "
              f"({sum(r['rows'] for r in setup['answers'].values()):,} rows) in "
              f"{setup['check_s']} s", file=sys.stderr, flush=True)
        partial = stem.with_suffix(".partial.json")

        def progress(cells: list[Cell]) -> None:  # a run cut short still leaves its figures
            partial.write_text(json.dumps({**result, "cells": [c.summary() for c in cells]}))

        cells = measure(pool, [admin, partner], workloads, names, args, progress)
        setup["restricted_queries"] = restricted_queries(admin)
        print(f"partner queries answered from a view / listed: "
              f"{setup['restricted_queries']}", file=sys.stderr, flush=True)
        partial.unlink(missing_ok=True)
        result["cells"] = [c.summary() for c in cells]
        result["acceptance"] = acceptance(result["cells"])
        if args.profile:
            result["profile"] = {peer.name: run_profile(pool, peer, workloads[-1], names, args,
                                                        stem.with_name(f"{stem.name}-{peer.name}"))
                                 for peer in (partner, admin)}
    finally:
        pool.close()
        admin.stop()
    if args.engine:
        print("engine: the mix in-process with both datasets", file=sys.stderr, flush=True)
        firsts = {name: variants[:args.engine_variants] for name, variants in texts.items()}
        result["engine_p50_ms"] = engine_times(work / "htkg-store", firsts,
                                               setup["graphs"][PARTNER], setup["graphs"][ADMIN])
    return write_results(result, stem)


def acceptance(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Issue #6: mix throughput at 4 clients with a partner token >= 0.9x an admin token's."""
    index = {(c["peer"], c["clients"], c["workload"]): c for c in cells}
    verdict: dict[str, Any] = {}
    for clients in sorted({c["clients"] for c in cells}):
        a, b = index.get((PARTNER, clients, report.MIX)), index.get((ADMIN, clients, report.MIX))
        if a and b:
            verdict[f"mix_qps_ratio_{clients}_clients"] = round(a["qps"] / b["qps"], 3)
            verdict[f"mix_round_ratios_{clients}_clients"] = [
                round(x / y, 3) for x, y in zip(a["rounds_qps"], b["rounds_qps"], strict=True)]
    if "mix_qps_ratio_4_clients" in verdict:
        verdict["ok"] = verdict["mix_qps_ratio_4_clients"] >= TARGET_RATIO
    return verdict


def mix_latency_table(cells: list[dict[str, Any]], clients: int, names: list[str]) -> str:
    """Each query's latency inside the mix, partner beside admin (+ms and ratio: partner's
    p50 minus and over the admin's)."""
    index = {(c["peer"], c["clients"], c["workload"]): c for c in cells}
    a, b = index.get((ADMIN, clients, report.MIX)), index.get((PARTNER, clients, report.MIX))
    if a is None or b is None:
        return ""
    lines = ["| query in the mix | requests | partner p50 ms | p95 ms | admin p50 ms | p95 ms "
             "| p50 +ms | p50 ratio |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for name in [*names, report.MIX]:
        x = a if name == report.MIX else a["per_query"].get(name)
        y = b if name == report.MIX else b["per_query"].get(name)
        if not x or not y:
            continue
        label = f"**{name}**" if name == report.MIX else name
        lines.append(f"| {label} | {y['requests']:,} | {y['p50_ms']:,.2f} | {y['p95_ms']:,.2f} "
                     f"| {x['p50_ms']:,.2f} | {x['p95_ms']:,.2f} | "
                     f"{y['p50_ms'] - x['p50_ms']:+,.3f} | {y['p50_ms'] / x['p50_ms']:.2f} |")
    return "\n".join(lines) + "\n"


def render(result: dict[str, Any]) -> str:
    """The whole report (printed, and written to results/access-*.md)."""
    cells, names, setup = result["cells"], result["queries"], result["setup"]
    graphs = setup["graphs"]
    parts = [f"## {result['manifest']['triples']:,} triples: partner vs admin token\n",
             f"One `htkg serve` at commit {result['machine']['commit']}. The admin's queries "
             f"run on the union of all {len(graphs[ADMIN])} graphs; the partner's on the "
             f"{len(graphs[PARTNER])} graphs it reads (answered from a view / listed: "
             f"{setup.get('restricted_queries')}; first view ready after "
             f"{setup.get('view_wait_s')} s). Same answers for every text of the mix "
             f"({sum(r['texts'] for r in setup['answers'].values())} texts, "
             f"{sum(r['rows'] for r in setup['answers'].values()):,} rows).\n"]
    for clients in result["clients"]:
        parts.append(f"### {clients} client{'s' if clients > 1 else ''}\n")
        parts.append(report.comparison_table(cells, PARTNER, ADMIN, clients,
                                             [*names, report.MIX]))
        parts.append(mix_latency_table(cells, clients, names))
    parts.append("### CPU\n")
    parts.append(report.cpu_table(cells, [ADMIN, PARTNER], result["clients"], (report.MIX,)))
    engine = result.get("engine_p50_ms")
    if engine:
        parts.append("### Engine alone (in-process, p50 ms)\n")
        parts.append("| query | union default graph (admin) | every graph listed | ratio "
                     "| partner's graphs listed | ratio |\n|---|--:|--:|--:|--:|--:|")
        parts.extend(f"| {name} | {t[ADMIN]:,.3f} | {t[LISTED]:,.3f} | "
                     f"{t[LISTED] / t[ADMIN]:.2f} | {t[PARTNER]:,.3f} | "
                     f"{t[PARTNER] / t[ADMIN]:.2f} |" for name, t in engine.items())
        parts.append("")
    verdict = result.get("acceptance", {})
    if "ok" in verdict:
        parts.append("### Acceptance (issue #6)\n")
        parts.append(f"- mix throughput at 4 clients, partner / admin: "
                     f"{verdict['mix_qps_ratio_4_clients']}x (rounds "
                     f"{verdict['mix_round_ratios_4_clients']}; target >= {TARGET_RATIO}x): "
                     f"{'met' if verdict['ok'] else 'NOT met'}\n")
    return "\n".join(parts)


def write_results(result: dict[str, Any], stem: Path) -> int:
    result["load_average_at_end"] = os.getloadavg()
    text = render(result)
    for who, summary in result.get("profile", {}).items():
        text += f"\n### Profile: the mix as {who}, {summary.get('clients')} clients\n\n"
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
