"""What federation costs: a query sent to a partner through htkg's SERVICE, beside the same
query sent to the partner directly (issue #7).

One run:
1. loads the data for --triples (bench/results/data-*.nq, generated if missing) into a real
   `oxigraph serve` (the partner), starts `htkg serve` on an empty store and registers the
   partner through `PUT /admin/partners/bench` (row limit 1,000,000, time limit 60 s);
2. sends every query text directly and in its federated forms and stops, loudly, unless
   each federated answer has exactly the direct answer's solutions (this pass warms up);
3. per query, runs rounds of: the query sent to the partner directly, and each federated
   form sent to htkg with the admin token (1 client, the same client code, the order
   alternating); htkg's /metrics, read around each federated cell, split its time into the
   /sparql request, the loopback route `/federation/{call}/{n}` and the outbound call;
4. times the steps alone, in-process: kg.federation's fetch, its re-serialisation, and
   pyoxigraph's own SERVICE call to the partner;
5. with --profile, samples htkg with py-spy while federated queries run; writes the report
   to bench/results/federation-*.md and every figure to a .json beside it.

The two federated forms:
    whole    SELECT * WHERE { SERVICE <partner> { <the original SELECT, as a subquery> } }
    pattern  <original SELECT clause> WHERE { SERVICE <partner> { <original WHERE> } }
             <original GROUP BY / ORDER BY / LIMIT>
`whole` makes the partner do exactly the work of the direct query, so the difference is
htkg's overhead alone. `pattern` is how an analyst usually writes it (join and aggregate
here, match there): the partner ships every match of the pattern and htkg aggregates; it is
run only for queries whose answer is smaller than their matches (GROUP BY, DISTINCT, LIMIT).

Examples:
    python -m bench.federation --triples 100000
    python -m bench.federation --triples 1000000 --variants 10 --profile
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/federation.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import peers as p
from bench import profile
from bench.clients import ClientPool, Task
from bench.generate import ensure_data
from bench.machine import describe_machine
from bench.queries import load_templates
from bench.run import RESULTS, Workload, run_profile
from bench.stats import Cell

JSON = "application/sparql-results+json"
DIRECT, WHOLE, PATTERN = "direct", "whole", "pattern"
FLOOR_QUERY = "SELECT ?x WHERE { VALUES ?x { 1 } }"  # htkg alone: no store, no SERVICE
PARTNER_ID = "bench"
AGGREGATING = re.compile(r"\bGROUP BY\b|\bLIMIT\b|\bDISTINCT\b|\b(COUNT|SUM)\s*\(")
METRIC = re.compile(r'^(htkg_\w+?)_(sum|count)\{(?:endpoint="([^"]*)")?[^}]*\} (\S+)$')
#: (histogram, endpoint label) -> part of a federated request (the route's endpoint is "other")
PARTS = {("htkg_http_request_duration_seconds", "sparql"): "sparql",
         ("htkg_http_request_duration_seconds", "other"): "route",
         ("htkg_federation_call_duration_seconds", None): "outbound"}


class AnswersDifferError(RuntimeError):
    """A federated answer is not the direct answer: the timing would compare different work."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--triples", type=int, required=True, help="size of the generated data")
    add("--seed", type=int, default=42, help="seed of the data and of the query parameters")
    add("--rounds", type=int, default=4, help="rounds per cell, alternating the order")
    add("--duration", type=float, default=2.0, help="measured seconds per cell and round")
    add("--warmup", type=float, default=0.5, help="unmeasured seconds before each cell")
    add("--min-requests", type=int, default=3, help="per cell and round, however slow")
    add("--variants", type=int, default=20, help="parameter sets per query")
    add("--queries", nargs="+", help="only these queries (file stems of bench/queries)")
    add("--forms", nargs="+", choices=[WHOLE, PATTERN], default=[WHOLE, PATTERN])
    add("--outbound-repeats", type=int, default=20, help="in-process timings per query")
    add("--profile", action="store_true", help="py-spy on htkg during federated queries")
    add("--profile-duration", type=float, default=15.0)
    add("--results", type=Path, default=RESULTS, help="data cache, stores, logs and results")
    args = parser.parse_args(argv)
    if args.triples < 10_000:
        parser.error("--triples must be at least 10000 for the data to have every section")
    args.clients = [1]  # bench.run.run_profile's knob
    return args


def split_select(text: str) -> tuple[str, str, str, str]:
    """(prologue, SELECT clause, body of the WHERE group, solution modifiers) of a query of
    the mix. Braces are counted naively: the mix has none in IRIs, strings or comments.

    >>> split_select("PREFIX a: <x:>\\nSELECT ?s WHERE { ?s a:p [ a:q 1 ] } LIMIT 2")
    ('PREFIX a: <x:>\\n', 'SELECT ?s', ' ?s a:p [ a:q 1 ] ', 'LIMIT 2')
    """
    select = re.search(r"^SELECT\b", text, re.MULTILINE)
    where = re.search(r"\bWHERE\s*\{", text)
    if select is None or where is None:
        raise ValueError("not a SELECT ... WHERE { } query")
    depth, opened = 0, where.end() - 1
    for end in range(opened, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            break
    else:
        raise ValueError("unbalanced braces")
    return (text[:select.start()], text[select.start():where.start()].strip(),
            text[opened + 1:end], text[end + 1:].strip())


def federated(text: str, endpoint: str, form: str) -> str:
    """The query in one of the federated forms, asking `endpoint` (see the module doc)."""
    prologue, select, body, modifiers = split_select(text)
    if form == WHOLE:
        inner = text[len(prologue):].strip()
        return f"{prologue}SELECT * WHERE {{\n  SERVICE <{endpoint}> {{\n{inner}\n  }}\n}}\n"
    return f"{prologue}{select} WHERE {{\n  SERVICE <{endpoint}> {{{body}}}\n}}\n{modifiers}\n"


def matches(text: str) -> str:
    """What the pattern form ships: every solution of the WHERE group."""
    prologue, _, body, _ = split_select(text)
    return f"{prologue}SELECT * WHERE {{{body}}}\n"


def forms_of(text: str, forms: list[str]) -> list[str]:
    """The forms worth measuring: `pattern` only when it aggregates (else it is `whole`)."""
    _, select, _, modifiers = split_select(text)
    return [f for f in forms if f == WHOLE or AGGREGATING.search(f"{select} {modifiers}")]


def request(peer: p.Peer, method: str, target: str, body: object = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(peer.host, peer.port, timeout=60)
    try:
        conn.request(method, target, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json", **peer.headers})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_servers(data: Path, work: Path, setup: dict[str, Any]) -> tuple[p.Peer, p.Peer]:
    """(partner, htkg): oxigraph with the data, htkg on an empty store with the partner."""
    setup["load_s"] = round(p.load_oxigraph([data], work / "partner-store",
                                            work / "partner.log"), 1)
    started = [p.start_oxigraph("partner", work / "partner-store", work / "partner.log")]
    try:
        setup["partner_ready_s"] = round(p.wait_until_ready(started[0]), 1)
        for old in work.glob("htkg-store*"):  # a fresh store, tokens and audit log
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        token = secrets.token_urlsafe(24)
        saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("HTKG_")}
        os.environ.update(HTKG_ADMIN_TOKEN=token, HTKG_RATE_LIMIT_PER_MINUTE="0")
        try:  # the server inherits these HTKG_ settings and no others
            started.append(p.start_htkg(work / "htkg-store", work / "htkg.log",
                                        {"Authorization": f"Bearer {token}"}))
        finally:
            for key in [k for k in os.environ if k.startswith("HTKG_")]:
                del os.environ[key]
            os.environ.update(saved)
        partner, htkg = started
        setup["htkg_ready_s"] = round(p.wait_until_ready(htkg), 1)
        setup["partner_record"] = {"org": "org-bench", "endpoints": [endpoint(partner)],
                                   "timeout_s": 60, "max_rows": 1_000_000}
        status, answer = request(htkg, "PUT", f"/admin/partners/{PARTNER_ID}",
                                 setup["partner_record"])
        if status != 200:
            raise RuntimeError(f"PUT /admin/partners/{PARTNER_ID}: {status} {answer[:300]!r}")
    except Exception:
        for server in started:
            server.stop()
        raise
    return partner, htkg


def endpoint(partner: p.Peer) -> str:
    return f"http://{partner.host}:{partner.port}{partner.query_path}"


def solutions(peer: p.Peer, text: str) -> Counter[tuple[tuple[str, ...], ...]]:
    """The answer's solutions as a multiset of sorted (variable, term fields) tuples."""
    status, body = peer.get(text, JSON)
    if status != 200:
        raise AnswersDifferError(f"{peer.name} answered {status}: {body[:500]!r}")
    return Counter(tuple(sorted((name, *(f"{k}={v}" for k, v in sorted(term.items())))
                                for name, term in binding.items()))
                   for binding in json.loads(body)["results"]["bindings"])


def check_answers(partner: p.Peer, htkg: p.Peer, texts: dict[str, list[str]],
                  forms: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Every text directly and in each of its forms: rows per query, or AnswersDifferError."""
    rows: dict[str, dict[str, Any]] = {}
    problems = []
    for name, variants in texts.items():
        seen = {"texts": len(variants), "rows": 0, "empty": 0, "shipped_rows": 0}
        for text in variants:
            direct = solutions(partner, text)
            seen["rows"] += direct.total()
            seen["empty"] += not direct
            for form in forms[name]:
                other = solutions(htkg, federated(text, endpoint(partner), form))
                if other != direct:
                    differ = ((direct - other) + (other - direct)).total()
                    problems.append(f"{name} ({form}): {direct.total()} rows directly, "
                                    f"{other.total()} federated, {differ} differ\n    "
                                    f"{text.splitlines()[-1]}")
            if PATTERN in forms[name]:
                seen["shipped_rows"] += solutions(partner, matches(text)).total()
        rows[name] = seen
    if problems:
        raise AnswersDifferError("federated answers differ from direct ones:\n  "
                                 + "\n  ".join(problems))
    return rows


def scrape(htkg: p.Peer) -> dict[str, float]:
    """Sums and counts of htkg's request and outbound-call histograms, from /metrics."""
    status, body = request(htkg, "GET", "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    totals: dict[str, float] = {}
    for found in map(METRIC.match, body.decode().splitlines()):
        part = found and PARTS.get((found[1], found[3]))
        if found and part:
            key = f"{part}_{found[2]}"
            totals[key] = totals.get(key, 0.0) + float(found[4])
    return totals


def run_round(pool: ClientPool, peer: p.Peer, workload: Workload, cell: Cell, names: list[str],
              args: argparse.Namespace, servers: list[p.Peer],
              split: dict[str, float] | None) -> None:
    """One round of one cell, 1 client; CPU of both servers; with `split`, adds the deltas of
    htkg's histograms over the measured window to it."""
    targets = [(i, peer.query_target(text)) for i, text in workload.queries]
    start_at = time.monotonic() + 0.3
    pool.start([Task(peer.host, peer.port, {"Accept": JSON, **peer.headers}, targets,
                     start_at, args.warmup, offset=0, duration_s=args.duration,
                     min_requests=args.min_requests)])
    time.sleep(max(0.0, start_at + args.warmup - time.monotonic()))
    before = scrape(peer) if split is not None else {}
    cpu_before, machine_before = [s.cpu_s() for s in servers], p.machine_busy_s()
    outcomes = pool.collect(1)
    cpu_after, machine = [s.cpu_s() for s in servers], p.machine_busy_s() - machine_before
    main = sum(a[0] - b[0] for a, b in zip(cpu_after, cpu_before, strict=True))
    rest = sum(a[1] - b[1] for a, b in zip(cpu_after, cpu_before, strict=True))
    cell.add_round(outcomes, names, (main, rest), machine)
    if split is not None:
        for key, value in scrape(peer).items():
            split[key] = split.get(key, 0.0) + value - before.get(key, 0.0)


def measure(pool: ClientPool, partner: p.Peer, htkg: p.Peer, texts: dict[str, list[str]],
            forms: dict[str, list[str]], args: argparse.Namespace,
            progress: Callable[[list[Cell], dict[str, Any]], None]
            ) -> tuple[list[Cell], dict[str, Any]]:
    """For each query, direct and federated cells, rounds alternating the order; and htkg's
    floor (a query with no store access and no SERVICE) in rounds of its own."""
    names = [*texts, "floor"]
    servers = [partner, htkg]
    cells: list[Cell] = []
    splits: dict[str, Any] = {}
    floor = Cell("htkg", 1, "floor")
    for _ in range(args.rounds):
        run_round(pool, htkg, Workload("floor", [(len(texts), FLOOR_QUERY)]), floor, names,
                  args, servers, None)
    cells.append(floor)
    for index, (name, variants) in enumerate(texts.items()):
        arms = {DIRECT: (partner, variants)}
        arms.update({form: (htkg, [federated(t, endpoint(partner), form) for t in variants])
                     for form in forms[name]})
        by_arm = {arm: Cell(arm, 1, name) for arm in arms}
        for round_index in range(args.rounds):
            order = list(arms) if round_index % 2 == 0 else list(arms)[::-1]
            for arm in order:
                peer, arm_texts = arms[arm]
                split = None if arm == DIRECT else splits.setdefault(f"{name}/{arm}", {})
                run_round(pool, peer, Workload(name, [(index, t) for t in arm_texts]),
                          by_arm[arm], names, args, servers, split)
        for cell in by_arm.values():
            print("  {workload:20s} {peer:8s} p50 {p50_ms:9.2f} ms  p95 {p95_ms:9.2f} ms  "
                  "other load {other_cpu_cores:.2f} cores  errors {errors}".format(
                      **cell.summary()), file=sys.stderr, flush=True)
        cells.extend(by_arm.values())
        progress(cells, splits)
    return cells, splits


def time_outbound(partner: p.Peer, texts: dict[str, list[str]], repeats: int
                  ) -> dict[str, dict[str, float]]:
    """p50 ms, in this process, of kg.federation's `fetch` (httpx POST, whole answer read),
    of what its `select` adds on the same bytes (parse, row limit, re-serialise, count), and
    of pyoxigraph evaluating the whole form with SERVICE straight to the partner (no htkg)."""
    import pyoxigraph as ox

    from kg.federation import RESULTS_ACCEPT, Federation
    from kg.partners import Partner, PartnerRegistry
    from kg.store import EmbeddedStore

    class Fetched(Federation):  # select() on bytes already read: the work after the fetch
        answer: tuple[str, bytes] = ("", b"")

        def fetch(self, *_: Any, **__: Any) -> tuple[str, bytes]:
            return self.answer

    registry = PartnerRegistry(EmbeddedStore.in_memory(), base_iri="https://w3id.org/htkg/")
    record = Partner(id=PARTNER_ID, org="org-bench", endpoints=(endpoint(partner),),
                     timeout_s=60, max_rows=1_000_000)
    registry.save(record)
    federation = Fetched(registry, allow_list=(), route_base="http://127.0.0.1:9")
    engine = ox.Store()
    times: dict[str, dict[str, float]] = {}
    for name, variants in texts.items():
        samples: dict[str, list[float]] = {"fetch_ms": [], "after_fetch_ms": [],
                                           "pyoxigraph_service_ms": [], "answer_bytes": []}
        for i in range(repeats + 1):  # the first round unmeasured
            text = variants[i % len(variants)]
            started = time.perf_counter()
            federation.answer = Federation.fetch(federation, endpoint(partner), text,
                                                 accept=RESULTS_ACCEPT, partner=record)
            fetched = time.perf_counter()
            outcome, _ = federation.select(endpoint(partner), text)
            selected = time.perf_counter()
            engine.query(federated(text, endpoint(partner), WHOLE)).serialize(
                format=ox.QueryResultsFormat.JSON)
            if outcome.failed:
                raise RuntimeError(outcome.message())
            if i:
                for key, value in (("fetch_ms", fetched - started),
                                   ("after_fetch_ms", selected - fetched),
                                   ("pyoxigraph_service_ms", time.perf_counter() - selected)):
                    samples[key].append(1000 * value)
                samples["answer_bytes"].append(len(federation.answer[1]))
        times[name] = {k: round(statistics.median(v), 3) for k, v in samples.items()}
    return times


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    data, manifest = ensure_data(args.results, args.triples, args.seed)
    templates = load_templates(args.queries)
    texts = {t.name: t.variants(manifest, args.variants, seed=args.seed) for t in templates}
    forms = {name: forms_of(variants[0], args.forms) for name, variants in texts.items()}
    stem = args.results / f"federation-{args.triples}-{time.strftime('%Y%m%d-%H%M%S')}"
    work = args.results / f"work-federation-{args.triples}"
    work.mkdir(exist_ok=True)
    settings = {k: (str(val) if isinstance(val, Path) else val) for k, val in vars(args).items()}
    result: dict[str, Any] = {
        "machine": describe_machine(), "load_average_at_start": os.getloadavg(),
        "settings": settings, "data": str(data), "manifest": vars(manifest),
        "queries": list(texts), "forms": forms, "setup": {}, "cells": []}
    setup = result["setup"]
    print(f"data: {data} ({manifest.triples:,} quads)", file=sys.stderr, flush=True)
    partner, htkg = start_servers(data, work, setup)
    pool = ClientPool(1)
    try:
        setup["answers"] = check_answers(partner, htkg, texts, forms)
        setup["quiet_wait_s"] = round(p.wait_until_quiet([partner, htkg]), 1)
        print("same solutions directly and federated", file=sys.stderr, flush=True)
        partial = stem.with_suffix(".partial.json")

        def progress(cells: list[Cell], splits: dict[str, Any]) -> None:
            partial.write_text(json.dumps({**result, "splits": splits,
                                           "cells": [c.summary() for c in cells]}))

        cells, result["splits"] = measure(pool, partner, htkg, texts, forms, args, progress)
        result["cells"] = [c.summary() for c in cells]
        partial.unlink(missing_ok=True)
        result["outbound"] = time_outbound(partner, texts, args.outbound_repeats)
        if args.profile:
            result["profile"] = profiles(pool, partner, htkg, texts, result, args, stem)
    finally:
        pool.close()
        htkg.stop()
        partner.stop()
    return write_results(result, stem)


def profiles(pool: ClientPool, partner: p.Peer, htkg: p.Peer, texts: dict[str, list[str]],
             result: dict[str, Any], args: argparse.Namespace, stem: Path) -> dict[str, Any]:
    """py-spy on htkg and its workers: the lookup in the whole form (overhead alone), and the
    query whose pattern form ships the most rows."""
    answers, names = result["setup"]["answers"], list(texts)
    most = max((n for n in names if PATTERN in result["forms"][n]), default=None,
               key=lambda n: answers[n]["shipped_rows"])
    chosen = [(n, form) for n, form in (("lookup", WHOLE), (most, PATTERN)) if n in texts]
    found = {}
    for name, form in chosen:
        workload = Workload(f"{name}-{form}", [(names.index(name), federated(
            t, endpoint(partner), form)) for t in texts[name]])
        found[workload.name] = run_profile(pool, htkg, workload, names, args, stem)
    return found


def breakdown(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Mean ms per federated request, split at the points htkg's histograms time; the parts
    add up to the federated mean minus the direct mean."""
    index = {(c["peer"], c["workload"]): c for c in result["cells"]}
    rows = []
    for key, split in result["splits"].items():
        name, form = key.split("/")
        fed, direct = index[(form, name)], index[(DIRECT, name)]

        def mean(part: str, split: dict[str, float] = split) -> float:
            return 1000 * split.get(f"{part}_sum", 0.0) / max(1.0, split.get(f"{part}_count", 0))

        sparql, route, outbound = mean("sparql"), mean("route"), mean("outbound")
        rows.append({"query": name, "form": form, "direct_ms": direct["mean_ms"],
                     "federated_ms": fed["mean_ms"],
                     "overhead_ms": fed["mean_ms"] - direct["mean_ms"],
                     "outer_http_ms": fed["mean_ms"] - sparql, "in_htkg_ms": sparql - route,
                     "loopback_route_ms": route - outbound,
                     "outbound_extra_ms": outbound - direct["mean_ms"],
                     "calls_per_query": split.get("outbound_count", 0.0)
                     / max(1.0, split.get("sparql_count", 0.0)),
                     "cpu_direct_ms": direct["server_cpu_ms_per_query"],
                     "cpu_federated_ms": fed["server_cpu_ms_per_query"]})
    return rows


def render(result: dict[str, Any]) -> str:
    """The report, as printed and written to results/federation-*.md."""
    cells = {(c["peer"], c["workload"]): c for c in result["cells"]}
    answers = result["setup"]["answers"]
    floor = cells[("htkg", "floor")]
    out = [f"## {result['manifest']['triples']:,} triples: federated through htkg vs direct\n",
           f"htkg at commit {result['machine']['commit']}, 1 client, {result['settings']['rounds']}"
           f" rounds per cell. Same solutions directly and federated for all "
           f"{sum(a['texts'] for a in answers.values())} texts. htkg alone (`{FLOOR_QUERY}`): "
           f"p50 {floor['p50_ms']:.2f} ms, p95 {floor['p95_ms']:.2f} ms.\n",
           "| query | rows | direct p50 ms | p95 ms | whole p50 ms | p95 ms | p50 +ms | ratio "
           "| pattern p50 ms | p95 ms | p50 +ms | ratio | rows shipped |",
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for name in result["queries"]:
        d, texts = cells[(DIRECT, name)], answers[name]["texts"]
        row = [name, f"{answers[name]['rows'] / texts:,.1f}", f"{d['p50_ms']:,.2f}",
               f"{d['p95_ms']:,.2f}"]
        for form in (WHOLE, PATTERN):
            f = cells.get((form, name))
            row += (["", "", "", ""] if f is None else [
                f"{f['p50_ms']:,.2f}", f"{f['p95_ms']:,.2f}", f"{f['p50_ms'] - d['p50_ms']:+,.2f}",
                f"{f['p50_ms'] / d['p50_ms']:,.1f}"])
        shipped = answers[name]["shipped_rows"]
        row.append(f"{shipped / texts:,.1f}" if shipped else "")
        out.append("| " + " | ".join(row) + " |")
    out += ["\n### Where the time goes (means, ms per request)\n",
            "| query | form | direct | federated | overhead | client to htkg | query in htkg | "
            "loopback route | outbound beyond the partner | calls | CPU ms direct | federated |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    out += [f"| {b['query']} | {b['form']} | {b['direct_ms']:,.2f} | {b['federated_ms']:,.2f} | "
            f"{b['overhead_ms']:+,.2f} | {b['outer_http_ms']:,.2f} | {b['in_htkg_ms']:,.2f} | "
            f"{b['loopback_route_ms']:,.2f} | {b['outbound_extra_ms']:,.2f} | "
            f"{b['calls_per_query']:.2f} | {b['cpu_direct_ms']:,.2f} | "
            f"{b['cpu_federated_ms']:,.2f} |" for b in result["breakdown"]]
    out += ["\n### Steps alone (in-process, p50 ms)\n",
            "| query | answer bytes | direct (client above) | httpx fetch (kg.federation) | "
            "parse, row limit, re-serialise, count | pyoxigraph SERVICE to the partner |",
            "|---|--:|--:|--:|--:|--:|"]
    out += [f"| {n} | {t['answer_bytes']:,.0f} | {cells[(DIRECT, n)]['p50_ms']:,.3f} | "
            f"{t['fetch_ms']:,.3f} | {t['after_fetch_ms']:,.3f} | "
            f"{t['pyoxigraph_service_ms']:,.3f} |" for n, t in result["outbound"].items()]
    for name, summary in result.get("profile", {}).items():
        out.append(f"\n### Profile of htkg: {name}, 1 client\n")
        out.append(summary.get("error") or (
            f"{summary['qps_while_profiled']} qps while profiled, "
            f"{summary['server_cpu_ms_per_query']} ms of server CPU per query. "
            + profile.render(summary)))
    return "\n".join(out) + "\n"


def write_results(result: dict[str, Any], stem: Path) -> int:
    result["load_average_at_end"] = os.getloadavg()
    result["breakdown"] = breakdown(result)
    text = render(result)
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(text)
    print(f"results: {stem}.json, {stem}.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
