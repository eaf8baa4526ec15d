"""Sample the htkg server with py-spy while the mix runs, and say where the time goes.

Why a sampling profiler from outside: it needs no change to the server, adds little overhead
with --nonblocking, and sees every thread of waitress and every child process. Samples are
collected in py-spy's "raw" (collapsed stacks) format, which speedscope and flamegraph.pl read,
and summarised here by layer (waitress, werkzeug, flask, service, kg, ...) and by function.
A frame's "self" time is time spent on that Python line, including native code it called
(pyoxigraph evaluates queries in Rust with the GIL released: that shows as self time of the
line that calls it).

Run by hand against any server:
    py-spy record --pid PID --subprocesses --nonblocking --format raw -o stacks.txt -d 20
    python -m bench.profile stacks.txt
"""

from __future__ import annotations

import argparse
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from bench.peers import find_executable

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")

#: Layer of a frame, by the first matching fragment of its file name.
LAYERS = (
    ("waitress/", "waitress"), ("werkzeug/", "werkzeug"), ("flask/", "flask"),
    ("jinja2/", "jinja2"), ("click/", "click"), ("pyoxigraph", "pyoxigraph"),
    ("rdflib/", "rdflib"), ("service/", "service"), ("kg/", "kg"), ("json/", "json (stdlib)"),
    ("logging/", "logging (stdlib)"), ("socket", "socket (stdlib)"),
    ("selectors", "selectors (stdlib)"), ("threading", "threading (stdlib)"),
    ("queue", "queue (stdlib)"), ("concurrent/", "concurrent (stdlib)"),
    ("multiprocessing/", "multiprocessing (stdlib)"), ("urllib/", "urllib (stdlib)"),
)


def record(pid: int, output: Path, duration_s: float, rate: int = 200) -> subprocess.Popen[bytes]:
    """Start py-spy on `pid` (and its children) for `duration_s`; the caller waits for it."""
    command = [find_executable("py-spy"), "record", "--pid", str(pid), "--subprocesses",
               "--nonblocking", "--format", "raw", "--rate", str(rate),
               "--duration", str(max(1, round(duration_s))), "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def layer_of(frame: str) -> str:
    match = FRAME.match(frame)
    file = match.group("file") if match else frame
    for fragment, layer in LAYERS:
        if fragment in file:
            return layer
    return "other"


def _frames(stack: str) -> list[str]:
    """Python frames of one collapsed stack, outermost first (process/thread labels dropped)."""
    return [f for f in stack.split(";") if FRAME.match(f) and not f.startswith("process ")]


def summarise(path: Path, top: int = 20) -> dict[str, Any]:
    """Self time by layer and by line, inclusive time by function, as shares of all samples."""
    by_process: Counter[str] = Counter()
    self_by_layer: Counter[str] = Counter()
    self_by_frame: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for raw in path.read_text(errors="replace").splitlines():
        stack, _, count_text = raw.rpartition(" ")
        if not count_text.isdigit():
            continue
        frames, count = _frames(stack), int(count_text)
        if not frames:
            continue
        total += count
        by_process["child process" if "spawn_main" in stack else "main process"] += count
        self_by_layer[layer_of(frames[-1])] += count
        self_by_frame[frames[-1]] += count
        functions = {FRAME.sub(r"\g<function> (\g<file>)", f) for f in frames}
        for function in functions:
            inclusive[function] += count

    def shares(counter: Counter[str], n: int) -> list[tuple[str, float]]:
        return [(k, round(100 * c / total, 1)) for k, c in counter.most_common(n)]

    return {"samples": total,
            "by_process_pct": shares(by_process, 2) if total else [],
            "self_by_layer_pct": shares(self_by_layer, len(self_by_layer)) if total else [],
            "self_by_line_pct": shares(self_by_frame, top) if total else [],
            "inclusive_by_function_pct": shares(inclusive, top) if total else []}


def render(summary: dict[str, Any]) -> str:
    """The summary as Markdown lists, for the console and docs/benchmarks.md."""
    parts = [f"{summary['samples']} samples of non-idle server threads: "
             + ", ".join(f"{name} {pct}%" for name, pct in summary["by_process_pct"]) + ".\n",
             "Self time by layer (the innermost Python frame's package):\n"]
    parts += [f"- {name}: {pct}%" for name, pct in summary["self_by_layer_pct"]]
    parts.append("\nSelf time by line (innermost frame; native calls count for their caller):\n")
    parts += [f"- {pct}% `{name}`" for name, pct in summary["self_by_line_pct"]]
    parts.append("\nInclusive time by function (on the stack):\n")
    parts += [f"- {pct}% `{name}`" for name, pct in summary["inclusive_by_function_pct"]]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Summarise py-spy raw (collapsed) stacks.")
    parser.add_argument("stacks", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    print(render(summarise(args.stacks, args.top)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
