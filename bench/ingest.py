"""Validated writes on the real write path, against store size (issue #5), in one run.

1. **Incremental**: a store of each of ``--sizes`` generated triples (``bench.generate
   --conforming``) with the shipped and inferred graphs, as ``htkg serve`` has it, and an
   ``Ingest`` built as ``service.app.create_app`` builds it. Valid 1,000-triple batches (40
   pieces of evidence, 20 findings, 20 flows, all pointing to existing nodes, so validation
   needs the store around them) are written by ``Ingest.add_to_graph`` (Graph Store POST) and
   ``Ingest.update`` (INSERT DATA), ``--repeat`` times each; every write is timed whole and
   split into validation (of which pyshacl), inference refresh and the rest. Each size runs
   in a child process stopped after ``--timeout-s`` (a stopped write gives a lower bound);
   the first size alone, after one unmeasured write per path, the others side by side.
2. **Full**: pyshacl on the whole data graph of the largest file, in a child process.
3. **Bulk load**: that file as N-Triples by ``htkg load --graph`` (the CLI) into a fresh
   store, beside ``pyoxigraph.Store.bulk_load`` into an empty one; 2 and ``htkg load`` run
   side by side. CPU seconds are reported beside wall time: the machine may be shared.

The report is printed and written to ``bench/results/ingest-<time>.md`` (figures in a
``.json`` beside it). No timing is asserted anywhere.

Example:
    nice python -m bench.ingest --sizes 10000 100000 1000000 --repeat 3 --timeout-s 1200
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import vocabulary as v
from bench.generate import Manifest, ensure_data
from bench.machine import describe_machine
from kg.curated import load_curated_graphs
from kg.entailment import Entailment
from kg.ingest import Document, GraphTarget, Ingest, Writer
from kg.store import EmbeddedStore
from kg.validation import Validator
from kg.workers import QueryWorkers

RESULTS = Path(__file__).parent / "results"
TARGET_GRAPH = v.GRAPH + "cases"
LOAD_GRAPH = v.GRAPH + "load"
TACTICS = ("deceptive-recruitment", "forced-marriage", "revenue-generation", "sexual-slavery")
MECHANISMS = ("trafficking-proceeds", "wage-diversion", "sale-of-persons", "ransom")


def batch(manifest: Manifest, tag: str) -> str:
    """1,000 N-Triples lines of new evidence, findings and flows linked to existing nodes."""
    rng = random.Random(f"{manifest.triples}-{tag}")
    c = manifest.counts
    iri = lambda kind, key: f"<{v.ID}{kind}/{key}>"  # noqa: E731
    some = lambda kind: iri(kind, rng.randrange(c[kind]))  # noqa: E731
    h = lambda name: f"<{v.HTKG}{name}>"  # noqa: E731
    a, label, derived, attributed = (f"<{v.RDF_TYPE}>", f"<{v.RDFS_LABEL}>",
                                     f"<{v.PROV}wasDerivedFrom>", f"<{v.PROV}wasAttributedTo>")
    date = lambda: f'"{rng.randint(2001, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"^^<{v.XSD}date>'  # noqa: E501, E731
    grade = lambda: [(h("reliability"), f"<{v.RELIABILITY_CONCEPT}{rng.choice(v.RELIABILITY)}>"),  # noqa: E731
                     (h("credibility"), f"<{v.CREDIBILITY_CONCEPT}{rng.choice(v.CREDIBILITY)}>")]
    rows: list[tuple[str, str, str]] = []
    evidence = [iri("evidence", f"new-{tag}-{i}") for i in range(40)]
    for i, e in enumerate(evidence):  # 12 triples each
        para = f"{v.FIRST_RESOLUTION + rng.randrange(c['resolution'])}/op/{rng.randint(1, 8)}"
        rows += [(e, p, o) for p, o in [
            (a, h("Evidence")), (label, f'"New evidence {tag} {i}"'),
            (f"<{v.DCTERMS}description>", '"What the case file shows"'),
            (derived, some("source")), *grade(),
            (h("sharingLevel"), f"<{v.ID}concept/tlp/amber>"), (h("involves"), some("group")),
            (h("relevantTo"), iri("resolution", para)), (h("relevanceNote"), '"by the bench"'),
            (h("observedOn"), date()), (attributed, some("state"))]]
    for i in range(20):  # 11 triples each
        f = iri("finding", f"new-{tag}-{i}")
        rows += [(f, p, o) for p, o in [
            (a, h("Finding")), (a, h("Statement")), (h("statementText"), f'"Finding {tag} {i}"'),
            (attributed, some("state")), (derived, some("source")), *grade(),
            (h("showsTactic"), f"<{v.ID}concept/tactic/{rng.choice(TACTICS)}>"),
            (h("about"), some("group")), (h("restsOn"), evidence[2 * i]),
            (h("restsOn"), some("evidence"))]]
    for i in range(20):  # 15 triples each
        flow, amount = iri("flow", f"new-{tag}-{i}"), iri("flow", f"new-{tag}-{i}/amount")
        rows += [(flow, p, o) for p, o in [
            (a, h("FinancialFlow")), (label, f'"Flow {tag} {i}"'), (h("payer"), some("person")),
            (h("payee"), some("group")), (h("earnedBy"), some("person")),
            (h("mechanism"), f"<{v.ID}concept/mechanism/{rng.choice(MECHANISMS)}>"),
            (h("basis"), f"<{v.ID}concept/flow-basis/observed>"), (derived, some("source")),
            (f"<{v.DCTERMS}date>", date()), (h("amount"), amount)]]
        rows += [(amount, a, h("MonetaryAmount")),
                 (amount, h("amountValue"), f'"{rng.randint(100, 99999)}.50"^^<{v.XSD}decimal>'),
                 (amount, h("currency"), '"USD"'),
                 (some("evidence"), h("evidencesFlow"), flow),
                 (evidence[2 * i + 1], h("evidencesFlow"), flow)]
    assert len(rows) == 1000 and len(set(rows)) == 1000
    return "".join(f"{s} {p} {o} .\n" for s, p, o in rows)


@dataclass
class Split:
    """Where one write's time went, from wrappers around the validator and the entailment."""

    validate_s: float = 0.0
    pyshacl_s: float = 0.0
    refresh_s: float = 0.0
    nodes: int = 0
    context_triples: int = 0


def instrument(validator: Validator, entailment: Entailment, split: list[Split]) -> None:
    """Time the validator's and the entailment's parts on these instances (no product change)."""

    def wrap(obj: Any, name: str, record: Callable[[Split, float, tuple[Any, ...]], None]
             ) -> None:
        original = getattr(obj, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                record(split[-1], time.perf_counter() - started, args)

        setattr(obj, name, timed)

    def nodes(s: Split, _: float, args: tuple[Any, ...]) -> None:
        s.nodes += len(args[1])

    def run(s: Split, seconds: float, args: tuple[Any, ...]) -> None:
        s.pyshacl_s += seconds
        s.context_triples += len(args[0])

    wrap(validator, "validate_nodes", lambda s, t, _: setattr(s, "validate_s", s.validate_s + t))
    wrap(validator, "_validate_within", nodes)
    wrap(validator, "_run", run)
    wrap(entailment, "refresh", lambda s, t, _: setattr(s, "refresh_s", s.refresh_s + t))


def child_size(size: int, repeat: int, warmup: bool, work: str) -> None:
    """In a child process: build the store of ``size`` and write the batches; one JSON line
    per event (set-up, start of a write, end of a write), so a stopped child still tells."""
    data, manifest = ensure_data(RESULTS, size, 42, conforming=True)
    location = Path(work) / f"store-{size}"
    shutil.rmtree(location.parent / f"{location.name}.journal", ignore_errors=True)
    shutil.rmtree(location, ignore_errors=True)
    began = time.perf_counter()

    def emit(**event: Any) -> None:
        print(json.dumps({"t": time.perf_counter() - began, "at": time.time(), **event}),
              flush=True)

    store = EmbeddedStore.open(location)  # as ``htkg restore`` then ``htkg serve`` make it
    with data.open("rb") as source:
        store.restore(source, format=ox.RdfFormat.N_QUADS)
    load_curated_graphs(store)
    Entailment.from_store(store).rebuild(store)
    store.optimize()
    emit(event="setup", quads=store.triple_count())
    workers = QueryWorkers(store, workers=1)  # what create_app builds
    validator = Validator.from_store(store)
    entailment = Entailment.from_store(store)
    ingest = Ingest(store, on_commit=workers.refresh, validator=validator, entailment=entailment)
    splits: list[Split] = []
    instrument(validator, entailment, splits)
    writer = Writer(agent="bench", source="bench.ingest")
    try:
        for round_ in range(0 if warmup else 1, repeat + 1):
            for path in ("graph-store", "update"):
                text = batch(manifest, f"{path}-{round_}")
                splits.append(Split())
                emit(event="start", path=path, measured=round_ > 0)
                wall, cpu = time.perf_counter(), time.process_time()
                if path == "graph-store":
                    document = Document(io.BytesIO(text.encode()), ox.RdfFormat.N_TRIPLES)
                    ingest.add_to_graph(GraphTarget(TARGET_GRAPH), [document], writer=writer)
                else:
                    ingest.update(f"INSERT DATA {{ GRAPH <{TARGET_GRAPH}> {{\n{text}}} }}",
                                  writer=writer)
                emit(event="write", path=path, measured=round_ > 0,
                     total_s=time.perf_counter() - wall, cpu_s=time.process_time() - cpu,
                     **asdict(splits[-1]))
    finally:
        workers.shutdown()


@dataclass
class SizeResult:
    """One size's child: its set-up, its writes, and the write a timeout stopped, if any."""

    triples: int
    child: dict[str, Any]
    quads: int = 0
    setup_s: float = 0.0
    writes: list[dict[str, Any]] = field(default_factory=list)
    stopped_write: dict[str, Any] | None = None  # path and seconds it had run (a lower bound)

    @classmethod
    def of(cls, triples: int, child: Child) -> SizeResult:
        result = cls(triples, asdict(child))
        started: dict[str, Any] | None = None
        for line in child.stdout:
            event = json.loads(line)
            if event["event"] == "setup":
                result.quads, result.setup_s = event["quads"], event["t"]
            elif event["event"] == "start":
                started = event
            elif event["event"] == "write":
                started = None
                if event["measured"]:
                    result.writes.append(event)
        if started is not None and not child.finished:
            result.stopped_write = {"path": started["path"],
                                    "ran_s": child.ended_at - started["at"]}
        return result


def size_child(size: int, repeat: int, warmup: bool, work: Path, timeout_s: float) -> Child:
    code = ("import sys; from bench.ingest import child_size as f; "
            "f(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == '1', sys.argv[4])")
    return Child(f"incremental-{size}", [sys.executable, "-c", code, str(size), str(repeat),
                                         "1" if warmup else "0", str(work)], timeout_s)


def child_full_validation(data: str) -> None:
    """In a child process: pyshacl on the whole data graph; prints one JSON line per step."""
    store = EmbeddedStore.in_memory()
    store.raw.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
    load_curated_graphs(store)
    validator = Validator.from_store(store)
    started = time.perf_counter()
    graph = validator.data_graph(store.raw)
    print(json.dumps({"read_s": time.perf_counter() - started, "triples": len(graph)}),
          flush=True)
    started = time.perf_counter()
    report = validator.validate_graph(graph, with_ontology=False)
    print(json.dumps({"pyshacl_s": time.perf_counter() - started,
                      "results": len(report.results),
                      "violations": len(report.violations)}), flush=True)


@dataclass
class Child:
    """A measured child process: its command, and what it did before finishing or timing out."""

    name: str
    command: list[str]
    timeout_s: float
    wall_s: float = 0.0
    cpu_s: float = 0.0
    ended_at: float = 0.0  # time.time() when it ended or was stopped
    finished: bool = False
    stdout: list[str] = field(default_factory=list)
    stderr_tail: str = ""


def run_child(child: Child, log_dir: Path) -> None:
    """Run ``child`` to the end or until its timeout; wall and CPU time (user + system)."""
    err_path = log_dir / f"{child.name}.stderr"
    with err_path.open("w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(child.command, stdout=subprocess.PIPE, stderr=err, text=True,
                                   env=_clean_env(), cwd=Path(__file__).parents[1])
        log(f"{child.name}: pid {process.pid}, stopped after {child.timeout_s:.0f} s")
        timer = threading.Timer(child.timeout_s, process.kill)
        timer.start()
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        child.wall_s = time.perf_counter() - started
        child.ended_at = time.time()
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    child.cpu_s = usage.ru_utime + usage.ru_stime
    child.finished = process.returncode == 0
    child.stdout = out.splitlines()
    child.stderr_tail = err_path.read_text()[-2000:].split("\r")[-1]
    log(f"{child.name}: {'finished' if child.finished else 'stopped'} after "
        f"{child.wall_s:.1f} s wall, {child.cpu_s:.1f} s CPU")


def run_at_once(children: list[Child], log_dir: Path) -> None:
    threads = [threading.Thread(target=run_child, args=(c, log_dir)) for c in children]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def as_ntriples(data: Path) -> Path:
    """The N-Quads file's triples as N-Triples (``htkg load`` loads into one graph)."""
    target = data.with_suffix(".nt")
    if not target.exists():
        partial = target.with_suffix(".nt.partial")
        with partial.open("wb") as out:
            ox.serialize((q.triple for q in ox.parse(path=str(data),
                                                     format=ox.RdfFormat.N_QUADS)),
                         out, ox.RdfFormat.N_TRIPLES)
        partial.replace(target)
    return target


def raw_bulk_load(nt: Path, work: Path) -> tuple[float, int]:
    location = work / "raw-bulk-load"
    shutil.rmtree(location, ignore_errors=True)
    store = ox.Store(str(location))
    started = time.perf_counter()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    return time.perf_counter() - started, len(store)


def htkg_load(name: str, nt: Path, work: Path, timeout_s: float) -> Child:
    location = work / f"{name}-store"
    for old in (location, location.with_name(location.name + ".journal")):
        shutil.rmtree(old, ignore_errors=True)
    htkg = Path(sys.executable).with_name("htkg")
    return Child(name, [str(htkg), "load", str(nt), "--graph", LOAD_GRAPH,
                        "--store", str(location)], timeout_s)


def summary(values: list[float]) -> tuple[float, float]:
    """Median and nearest-rank p95."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=7, help="measured writes per path")
    parser.add_argument("--load-size", type=int, default=None,
                        help="triples of the file for steps 2 and 3 (default: largest size)")
    parser.add_argument("--timeout-s", type=float, default=1200,
                        help="stop each child (a size's writes, full pyshacl, the validated "
                        "load) after this long")
    parser.add_argument("--skip-full", action="store_true", help="only step 1")
    parser.add_argument("--work", type=Path, default=RESULTS / "work-ingest")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    machine = describe_machine()
    load: dict[str, Any] = {}
    load_size = args.load_size or max(args.sizes)
    if not args.skip_full:  # first the short measurements, alone
        data, _ = ensure_data(RESULTS, load_size, 42, conforming=True)
        nt = as_ntriples(data)
        raw_s, raw_count = raw_bulk_load(nt, args.work)
        log(f"raw bulk_load: {raw_s:.1f} s, {raw_count:,} triples")
        one = args.work / "one-triple.nt"
        one.write_text(f"<{v.ID}bench/one> <{v.RDFS_LABEL}> \"one\" .\n")
        startup = htkg_load("htkg-load-empty", one, args.work, 600)
        run_child(startup, args.work)
    alone, together = args.sizes[:1], args.sizes[1:]
    children = [size_child(size, args.repeat, True, args.work, args.timeout_s)
                for size in alone]
    for child in children:
        run_child(child, args.work)
    larger = [size_child(size, args.repeat, False, args.work, args.timeout_s)
              for size in together]
    run_at_once(larger, args.work)
    children += larger
    sizes = [SizeResult.of(size, child) for size, child in zip(args.sizes, children,
                                                               strict=True)]
    if not args.skip_full:
        full = Child("full-pyshacl", [sys.executable, "-c", "import sys; from bench.ingest "
                                      "import child_full_validation as f; f(sys.argv[1])",
                                      str(data)], args.timeout_s)
        validated = htkg_load("htkg-load", nt, args.work, args.timeout_s)
        run_at_once([full, validated], args.work)
        load = {"triples": load_size, "file_bytes": nt.stat().st_size, "raw_s": raw_s,
                "raw_count": raw_count, "startup": asdict(startup), "full": asdict(full),
                "validated": asdict(validated)}
    text = report(sizes, load, machine, args)
    print(text)
    (RESULTS / f"ingest-{stamp}.md").write_text(text)
    (RESULTS / f"ingest-{stamp}.json").write_text(json.dumps(
        {"machine": machine, "args": {k: str(val) for k, val in vars(args).items()},
         "sizes": [asdict(s) for s in sizes], "load": load}, indent=2))
    log(f"written: bench/results/ingest-{stamp}.md and .json")
    return 0


def report(sizes: list[SizeResult], load: dict[str, Any], machine: dict[str, Any],
           args: argparse.Namespace) -> str:
    out = [f"# Validated writes (bench.ingest), {time.strftime('%Y-%m-%d %H:%M')}", "",
           f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
           f"Python {machine['python']}, pyoxigraph {machine['pyoxigraph']}, "
           f"htkg {machine['htkg']} at {machine['commit']}", "",
           "## 1. A valid 1,000-triple batch, validation + commit", "",
           f"Up to {args.repeat} measured writes per path (graph-store: `Ingest.add_to_graph`; "
           "update: `Ingest.update` with INSERT DATA), the first size after one unmeasured "
           "write per path; milliseconds, medians except p95.", "",
           "| store triples | quads in store | path | writes | median | p95 | CPU | validation "
           "| of which pyshacl | inference refresh | rest | nodes validated | context triples |",
           "|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    medians: dict[tuple[int, str], tuple[float, str]] = {}  # value, "" or ">= " (a bound)
    for size in sizes:
        stopped = size.stopped_write
        for path in ("graph-store", "update", "both"):
            writes = [w for w in size.writes if path in ("both", w["path"])]
            bound = stopped is not None and path in ("both", stopped["path"])
            if not writes:
                if bound:
                    assert stopped is not None
                    medians[(size.triples, path)] = (stopped["ran_s"], ">= ")
                out.append(f"| {size.triples:,} | {size.quads:,} | {path} | 0 | "
                           + (f"> {stopped['ran_s'] * 1000:,.0f} (stopped) |" if bound
                              and stopped else "not reached |") + " | | | | | | | |")
                continue
            med, p95 = summary([w["total_s"] for w in writes])
            medians[(size.triples, path)] = (med, "")

            def part(key: str, writes: list[dict[str, Any]] = writes) -> float:
                return statistics.median(w[key] for w in writes) * 1000

            rest = statistics.median(w["total_s"] - w["validate_s"] - w["refresh_s"]
                                     for w in writes) * 1000
            out.append(
                f"| {size.triples:,} | {size.quads:,} | {path} | {len(writes)} "
                f"| {med * 1000:,.0f} | {p95 * 1000:,.0f} | {part('cpu_s'):,.0f} "
                f"| {part('validate_s'):,.0f} | {part('pyshacl_s'):,.0f} "
                f"| {part('refresh_s'):,.0f} | {rest:,.0f} "
                f"| {statistics.median(w['nodes'] for w in writes):,.0f} "
                f"| {statistics.median(w['context_triples'] for w in writes):,.0f} |")
        if stopped is not None and any(w["path"] == stopped["path"] for w in size.writes):
            out.append(f"| {size.triples:,} | | {stopped['path']}, one more (stopped) | | "
                       f"> {stopped['ran_s'] * 1000:,.0f} | | | | | | | | |")
    small, large = min(s.triples for s in sizes), max(s.triples for s in sizes)
    out += ["", "Store set-up (restore, shipped graphs, inferences, optimize): " + ", ".join(
        f"{s.triples:,}: {s.setup_s:.1f} s" for s in sizes), ""]
    for path in ("graph-store", "update", "both"):
        if (large, path) not in medians or (small, path) not in medians:
            continue
        (top, bound), (bottom, _) = medians[(large, path)], medians[(small, path)]
        ratio = top / bottom
        out.append(f"- {path}: median at {large:,} / at {small:,} = **{bound}{ratio:.2f}x** "
                   f"(target <= 2x: {'met' if ratio <= 2 else 'not met'})")
    if load:
        full, validated, startup = load["full"], load["validated"], load["startup"]
        steps = {k: val for line in full["stdout"] for k, val in json.loads(line).items()}
        incremental, inc_bound = medians[(large, "both")]
        out += ["", f"## 2. pyshacl on the whole {load['triples']:,}-triple data graph", ""]
        if "read_s" in steps:
            out.append(f"- read into rdflib: {steps['read_s']:.1f} s "
                       f"({steps['triples']:,} triples with the shipped graphs)")
        if "pyshacl_s" in steps:
            out.append(f"- pyshacl: {steps['pyshacl_s']:.1f} s, {steps['results']} results "
                       f"({steps['violations']} violations)")
            whole = steps["pyshacl_s"] + steps["read_s"]
            bound = "<= " if inc_bound else ""
        else:
            whole = full["wall_s"]
            out.append(f"- pyshacl: **not finished after {full['wall_s']:.0f} s** wall "
                       f"({full['cpu_s']:.0f} s CPU); stopped")
            bound = "about " if inc_bound else ">= "
        if bound == "about ":
            out.append(f"- full / incremental at {large:,}: unknown, both were stopped "
                       "(target >= 20x)")
        else:
            out.append(f"- full / incremental at {large:,} (median, both paths): "
                       f"**{bound}{whole / incremental:,.0f}x** (target >= 20x)")
        rate = lambda s: f"{load['triples'] / s:,.0f} triples/s"  # noqa: E731
        out += ["", f"## 3. Bulk load of the {load['triples']:,}-triple file "
                f"({load['file_bytes'] / 2**20:.0f} MiB of N-Triples)", "",
                "| how | wall s | CPU s | triples/s | finished |", "|---|--:|--:|--:|---|",
                f"| `pyoxigraph.Store.bulk_load`, empty store | {load['raw_s']:.1f} | | "
                f"{rate(load['raw_s'])} | yes ({load['raw_count']:,} triples) |",
                f"| `htkg load` of one triple, fresh store (start-up) | {startup['wall_s']:.1f} "
                f"| {startup['cpu_s']:.1f} | | {'yes' if startup['finished'] else 'no'} |",
                f"| `htkg load --graph`, fresh store | {validated['wall_s']:.1f} "
                f"| {validated['cpu_s']:.1f} | {'' if validated['finished'] else '< '}"
                f"{rate(validated['wall_s'])} | "
                f"{'yes' if validated['finished'] else 'no: stopped'} |", "",
                f"htkg load said: `{validated['stderr_tail'].strip()[-300:]}`", "",
                "Steps 2 and 3's `htkg load` ran at the same time (one process each; the machine "
                "may be shared: compare CPU seconds)."]
    return "\n".join(out) + "\n"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _clean_env() -> dict[str, str]:
    return {k: val for k, val in os.environ.items() if not k.startswith("HTKG_")}


if __name__ == "__main__":
    raise SystemExit(main())
