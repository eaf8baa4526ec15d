"""Load-generating clients: one process per client, each with its own persistent connection.

Why processes and bench.wire: the machine has 2 cores, shared by the server under test and the
clients. Threads in one Python process would serialise on the GIL, and httpx or even http.client
cost more CPU per request than a fast server, so either would make the client the bottleneck
for sub-millisecond queries. Each worker reports the CPU it used, so a run shows how much of the
machine the clients took.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
from dataclasses import dataclass, field
from typing import Any

from bench import wire


@dataclass(frozen=True)
class Task:
    """One cell for one client: cycle through `targets` against one server for a while."""

    host: str
    port: int
    headers: dict[str, str]
    targets: list[tuple[int, str]]  # (query index, GET request target)
    start_at: float  # time.monotonic() value, shared by all clients of the cell
    warmup_s: float
    offset: int  # where in `targets` this client starts its warmup
    duration_s: float = 0.0  # measure for this long (at least min_requests) ...
    min_requests: int = 1
    requests: int | None = None  # ... or, with all clients together, exactly this many


@dataclass
class Outcome:
    """What one client measured in its window (requests started after the warmup)."""

    samples: list[tuple[int, float]] = field(default_factory=list)  # (query index, seconds)
    errors: list[str] = field(default_factory=list)
    started: float = 0.0  # time.monotonic() when measuring began
    ended: float = 0.0  # ... and when the last measured response was read
    cpu_s: float = 0.0
    response_bytes: int = 0


class _Connections:
    """Persistent HTTP/1.1 connections, one per server, reopened after a failure."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, int], wire.Connection] = {}

    def request(self, host: str, port: int, raw: bytes) -> tuple[int, bytes]:
        conn = self._open.get((host, port))
        if conn is None or conn.closed:
            conn = self._open[(host, port)] = wire.Connection(host, port)
        try:
            return conn.request(raw)
        except (OSError, ValueError):
            conn.close()
            raise


def _claim(counter: Any) -> int:
    """The next index of a fixed-count cell, shared by all clients (a work queue)."""
    with counter.get_lock():
        index = int(counter.value)
        counter.value = index + 1
    return index


def _run(task: Task, connections: _Connections, counter: Any) -> Outcome:
    outcome = Outcome()
    n = len(task.targets)
    queries = [query for query, _ in task.targets]
    raws = [wire.encode_get(task.host, task.port, target, task.headers)
            for _, target in task.targets]

    def send(index: int) -> tuple[int, int, bytes, float]:
        started = time.perf_counter()
        try:
            status, body = connections.request(task.host, task.port, raws[index % n])
        except (OSError, ValueError) as exc:
            status, body = 0, repr(exc).encode()
        return queries[index % n], status, body, time.perf_counter() - started

    time.sleep(max(0.0, task.start_at - time.monotonic()))
    measure_from = task.start_at + task.warmup_s
    i = task.offset
    while time.monotonic() < measure_from:
        send(i)
        i += 1
    outcome.started, cpu_start = time.monotonic(), time.process_time()
    stop_at = outcome.started + task.duration_s
    while True:
        if task.requests is None:
            if time.monotonic() >= stop_at and len(outcome.samples) >= task.min_requests:
                break
            index, i = i, i + 1
        else:
            index = _claim(counter)
            if index >= task.requests:
                break
        query, status, body, elapsed = send(index)
        if status == 200:
            outcome.samples.append((query, elapsed))
            outcome.response_bytes += len(body)
        else:
            outcome.errors.append(f"query {query}: HTTP {status}: {body[:200]!r}")
    outcome.ended, outcome.cpu_s = time.monotonic(), time.process_time() - cpu_start
    return outcome


def _worker(conn: multiprocessing.connection.Connection, counter: Any) -> None:
    connections = _Connections()
    while True:
        task = conn.recv()
        if task is None:
            return
        conn.send(_run(task, connections, counter))


class ClientPool:
    """`size` client processes started once and reused for every cell of a run."""

    def __init__(self, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._counter = context.Value("q", 0)
        self._pipes: list[multiprocessing.connection.Connection] = []
        self._processes: list[Any] = []
        for _ in range(size):
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child, self._counter), daemon=True)
            process.start()
            self._pipes.append(parent)
            self._processes.append(process)

    @property
    def size(self) -> int:
        return len(self._pipes)

    def start(self, tasks: list[Task]) -> None:
        """Hand one task to each of the first len(tasks) clients; they start at start_at."""
        if len(tasks) > self.size:
            raise ValueError(f"{len(tasks)} tasks for {self.size} clients")
        with self._counter.get_lock():
            self._counter.value = 0
        for pipe, task in zip(self._pipes, tasks, strict=False):
            pipe.send(task)

    def collect(self, count: int) -> list[Outcome]:
        """The outcomes of the first `count` clients, once they have all finished."""
        return [pipe.recv() for pipe in self._pipes[:count]]

    def close(self) -> None:
        for pipe in self._pipes:
            pipe.send(None)
        for process in self._processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
