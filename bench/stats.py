"""Turn client outcomes into per-cell figures: throughput, latency percentiles, CPU.

A cell is (peer, number of clients, workload), where the workload is one query or the whole mix.
Rounds of the same cell add up: throughput is all requests over all measured time, percentiles
are over all samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bench.clients import Outcome


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (nan when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Cell:
    """Everything measured for one (peer, clients, workload) over all its rounds."""

    peer: str
    clients: int
    workload: str
    latencies_s: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    window_s: float = 0.0  # measured wall time, summed over rounds
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    server_children_cpu_s: float = 0.0  # the part of server_cpu_s used by child processes
    other_cpu_s: float = 0.0  # the rest of the machine: other processes, the idle peer, ...
    rounds_qps: list[float] = field(default_factory=list)  # to show the noise between rounds

    def add_round(self, outcomes: list[Outcome], names: list[str],
                  server_cpu_s: tuple[float, float], machine_cpu_s: float) -> None:
        """Fold one round (all clients of the cell) into the totals; the server's CPU comes as
        (main process, descendants)."""
        window_s = max(o.ended for o in outcomes) - min(o.started for o in outcomes)
        self.window_s += window_s
        self.rounds_qps.append(round(sum(len(o.samples) for o in outcomes) / window_s, 2))
        self.client_cpu_s += sum(o.cpu_s for o in outcomes)
        self.server_cpu_s += sum(server_cpu_s)
        self.server_children_cpu_s += server_cpu_s[1]
        self.other_cpu_s += max(0.0, machine_cpu_s - sum(server_cpu_s)
                                - sum(o.cpu_s for o in outcomes))
        for outcome in outcomes:
            self.errors.extend(outcome.errors)
            for query, seconds in outcome.samples:
                self.latencies_s.setdefault(names[query], []).append(seconds)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies_s.values())

    def summary(self) -> dict[str, Any]:
        """Figures for reports and JSON: qps, p50/p95/mean in ms, CPU in cores and ms/query."""
        everything = sorted(s for v in self.latencies_s.values() for s in v)
        window = self.window_s or math.nan
        requests = len(everything)
        return {
            "peer": self.peer, "clients": self.clients, "workload": self.workload,
            **_figures(everything, window),
            "errors": len(self.errors), "first_errors": self.errors[:3],
            "window_s": round(self.window_s, 3), "rounds_qps": self.rounds_qps,
            "client_cpu_cores": round(self.client_cpu_s / window, 3),
            "server_cpu_cores": round(self.server_cpu_s / window, 3),
            "other_cpu_cores": round(self.other_cpu_s / window, 3),
            "server_cpu_ms_per_query": (round(1000 * self.server_cpu_s / requests, 4)
                                        if requests else math.nan),
            "server_children_cpu_ms_per_query": (
                round(1000 * self.server_children_cpu_s / requests, 4) if requests else math.nan),
            "per_query": {name: _figures(sorted(v), window)
                          for name, v in sorted(self.latencies_s.items())},
        }


def _figures(sorted_s: list[float], window_s: float) -> dict[str, Any]:
    return {
        "requests": len(sorted_s),
        "qps": round(len(sorted_s) / window_s, 2),
        "p50_ms": round(1000 * percentile(sorted_s, 0.50), 3),
        "p95_ms": round(1000 * percentile(sorted_s, 0.95), 3),
        "mean_ms": round(1000 * sum(sorted_s) / len(sorted_s), 3) if sorted_s else math.nan,
    }


def geometric_mean(values: list[float]) -> float:
    """The mean of ratios that no single query's weight dominates (nan for no values)."""
    positive = [v for v in values if v > 0 and not math.isnan(v)]
    if not positive:
        return math.nan
    return math.exp(sum(math.log(v) for v in positive) / len(positive))
