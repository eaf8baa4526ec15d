"""Render reports: one text table with a column per endpoint, skip reasons, failures, JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .model import Counts, Outcome, Report, Status

LEGEND = ("cell: passed/failed/skipped with strict literal comparison; (v N) = passed with "
          "value-based literal comparison when that differs")


def cell(counts: Counts) -> str:
    text = f"{counts.passed}/{counts.failed}/{counts.skipped}"
    return text if counts.value_passed == counts.passed else f"{text} (v {counts.value_passed})"


def table(reports: Sequence[Report]) -> str:
    """A Markdown table: one row per suite, one column per endpoint, a total row, the time."""
    suites = list(dict.fromkeys(s for r in reports for s in r.suites()))
    header = ["suite", *(r.endpoint for r in reports)]
    rows = [[s, *(cell(r.counts(s)) for r in reports)] for s in suites]
    rows.append(["**total**", *(cell(r.counts()) for r in reports)])
    rows.append(["seconds", *(f"{r.seconds:.1f}" for r in reports)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *map(line, rows)])


def skip_reasons(reports: Sequence[Report]) -> str:
    """Each distinct skip reason, with how many tests it covers per endpoint."""
    lines = []
    for report in reports:
        counts = Counter((o.suite, o.reason) for o in report.with_status(Status.SKIP))
        lines += [f"- {report.endpoint}, {suite}: {n} x {reason}"
                  for (suite, reason), n in sorted(counts.items())]
    return "\n".join(lines)


def failures(reports: Sequence[Report]) -> str:
    lines = []
    for report in reports:
        for o in report.with_status(Status.FAIL):
            value = " (passes by value)" if o.value is Status.PASS else ""
            lines.append(f"- {report.endpoint} {o.suite} {o.test}{value}: {o.reason[:240]}")
    return "\n".join(lines)


def regressions(reference: Report, candidate: Report) -> list[Outcome]:
    """Tests ``reference`` passes (strictly) that ``candidate`` fails: the gate for htkg
    against Oxigraph run in the same session on the same runner."""
    passed = {o.test for o in reference.outcomes if o.strict is Status.PASS}
    return [o for o in candidate.outcomes if o.strict is Status.FAIL and o.test in passed]


def write_json(reports: Sequence[Report], path: Path) -> None:
    path.write_text(json.dumps([r.to_json() for r in reports], indent=1), encoding="utf-8")
