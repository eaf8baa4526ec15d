"""Side-by-side tables of a run, in Markdown so the same text prints and pastes into docs.

Ratios are candidate / baseline (htkg / oxigraph): above 1 the candidate is faster in
throughput. Latency differences are candidate minus baseline, in milliseconds.
"""

from __future__ import annotations

import math
from typing import Any

from bench.stats import geometric_mean

MIX = "mix"
LOOKUP = "lookup"
TARGET_MIX_RATIO = 0.8
TARGET_LOOKUP_OVERHEAD_MS = 1.0


def _index(cells: list[dict[str, Any]]) -> dict[tuple[str, int, str], dict[str, Any]]:
    return {(c["peer"], c["clients"], c["workload"]): c for c in cells}


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def _fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def comparison_table(cells: list[dict[str, Any]], candidate: str, baseline: str,
                     clients: int, workloads: list[str]) -> str:
    """One row per workload: each peer's qps, p50, p95, then the qps ratio and the p50 gap."""
    index = _index(cells)
    head = (f"| query | {candidate} qps | p50 ms | p95 ms | {baseline} qps | p50 ms | p95 ms "
            f"| qps ratio | p50 +ms |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
    rows, ratios = [], []
    for workload in workloads:
        a = index.get((candidate, clients, workload))
        b = index.get((baseline, clients, workload))
        if a is None or b is None:
            continue
        ratio = _ratio(a["qps"], b["qps"])
        if workload != MIX:
            ratios.append(ratio)
        name = f"**{workload}**" if workload == MIX else workload
        rows.append(f"| {name} | {_fmt(a['qps'], 1)} | {_fmt(a['p50_ms'])} | "
                    f"{_fmt(a['p95_ms'])} | {_fmt(b['qps'], 1)} | {_fmt(b['p50_ms'])} | "
                    f"{_fmt(b['p95_ms'])} | {_fmt(ratio)} | "
                    f"{_fmt(a['p50_ms'] - b['p50_ms'], 3)} |")
    if ratios:
        rows.append(f"| *geomean of queries* | | | | | | | {_fmt(geometric_mean(ratios))} | |")
    return head + "\n".join(rows) + "\n"


def cpu_table(cells: list[dict[str, Any]], peers: list[str], clients_levels: list[int],
              workloads: tuple[str, ...] = (MIX, LOOKUP)) -> str:
    """Where the machine's CPU went during the mix, in cores: the server, the clients, and
    everything else (other processes on the machine, which make the figures noisy)."""
    index = _index(cells)
    lines = ["| workload | peer | clients | qps | server CPU ms/query | of which child processes "
             "| server cores | client cores | other load, cores | errors |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for workload in workloads:
        for clients in clients_levels:
            for peer in peers:
                c = index.get((peer, clients, workload))
                if c is None:
                    continue
                lines.append(f"| {workload} | {peer} | {clients} | {_fmt(c['qps'], 1)} | "
                             f"{_fmt(c['server_cpu_ms_per_query'], 3)} | "
                             f"{_fmt(c.get('server_children_cpu_ms_per_query', math.nan), 3)} | "
                             f"{_fmt(c['server_cpu_cores'])} | {_fmt(c['client_cpu_cores'])} | "
                             f"{_fmt(c.get('other_cpu_cores', math.nan))} | {c['errors']} |")
    return "\n".join(lines) + "\n"


def acceptance(cells: list[dict[str, Any]], candidate: str, baseline: str) -> dict[str, Any]:
    """The two performance criteria of issue 2, with the measured values."""
    index = _index(cells)
    verdict: dict[str, Any] = {}
    a, b = index.get((candidate, 4, MIX)), index.get((baseline, 4, MIX))
    if a and b:
        ratio = _ratio(a["qps"], b["qps"])
        verdict["mix_qps_ratio_4_clients"] = round(ratio, 3)
        verdict["mix_ok"] = ratio >= TARGET_MIX_RATIO
    a, b = index.get((candidate, 1, LOOKUP)), index.get((baseline, 1, LOOKUP))
    if a and b:
        overhead = a["p50_ms"] - b["p50_ms"]
        verdict["lookup_p50_overhead_ms_1_client"] = round(overhead, 3)
        verdict["lookup_ok"] = overhead <= TARGET_LOOKUP_OVERHEAD_MS
    return verdict


def render(result: dict[str, Any]) -> str:
    """The whole report of one run (as written to results/*.md and printed)."""
    cells, candidate, baseline = result["cells"], result["candidate"], result["baseline"]
    workloads = [*result["queries"], MIX]
    parts = [f"## {result['manifest']['triples']:,} triples ({candidate} vs {baseline})\n"]
    quads = result.get("setup", {}).get("quads")
    if quads:  # checked equal before any measurement (bench.run.check_peers)
        parts.append(f"Quads in each store: {', '.join(f'{k} {n:,}' for k, n in quads.items())}"
                     "; same answers to the first three variants of every query.\n")
    for clients in result["clients"]:
        parts.append(f"### {clients} client{'s' if clients > 1 else ''}\n")
        parts.append(comparison_table(cells, candidate, baseline, clients, workloads))
    parts.append("### CPU\n")
    parts.append(cpu_table(cells, [candidate, baseline], result["clients"]))
    verdict = result.get("acceptance", {})
    if verdict:
        parts.append("### Acceptance\n")
        if "mix_ok" in verdict:
            parts.append(f"- mix throughput at 4 clients: {verdict['mix_qps_ratio_4_clients']}x "
                         f"(target >= {TARGET_MIX_RATIO}x): "
                         f"{'met' if verdict['mix_ok'] else 'NOT met'}")
        if "lookup_ok" in verdict:
            parts.append(f"- lookup p50 overhead at 1 client: "
                         f"{verdict['lookup_p50_overhead_ms_1_client']} ms (target <= "
                         f"{TARGET_LOOKUP_OVERHEAD_MS} ms): "
                         f"{'met' if verdict['lookup_ok'] else 'NOT met'}")
        parts.append("")
    return "\n".join(parts)
