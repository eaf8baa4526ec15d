"""Query workers: processes that evaluate queries on a checkpoint of the store.

Measured here: pyoxigraph keeps the GIL while it evaluates lazily inside ``serialize``, so
threads of one process answer one query at a time. Queries therefore run in worker processes,
each opening a read-only checkpoint of the store (``Store.backup``: hard links, about a
millisecond). After every write the owner of the store makes a new checkpoint, and each
worker switches to it at its next query, so a query always sees every write committed before
it started. A worker can be killed without harm to the store, which is what makes time limits
and abandoned answers stop using CPU.

Wire protocol on each worker's pipe: the main process sends a ``_Job``; the worker answers
one header tuple: ``whole`` (an answer of one chunk, in one message: one wake-up of the main
process for most queries), ``started`` (with the first chunk), ``unacceptable``, ``syntax`` or
``failed``. After ``started`` come frames tagged ``d`` (data), ``e`` (end) or ``x`` (error).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import queue
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Generic, NamedTuple, Protocol, TypeVar

import pyoxigraph as ox

from kg.errors import QueryFailedError, QuerySyntaxError
from kg.query import Dataset, evaluate_query
from kg.results import QueryResult, ResultKind
from kg.store import EmbeddedStore

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
Format = ox.QueryResultsFormat | ox.RdfFormat


class FormatChoice(Protocol):
    """What the caller's ``choose`` returns: at least the serializer to use."""

    @property
    def format(self) -> Format: ...


C = TypeVar("C", bound=FormatChoice)


@dataclass(frozen=True)
class Answer(Generic[C]):
    """A query's answer: the format chosen and the body, whole or still streaming."""

    choice: C
    body: bytes | Iterable[bytes]


class _Job(NamedTuple):
    """One query for a worker; a tuple because it is pickled on every query (5x faster)."""

    checkpoint: str
    sparql: str
    dataset: Dataset
    base_iri: str | None
    media_types: dict[str, str | None]  # result kind -> media type of its format, or refused


class _Worker:
    """One worker process and the main process's end of its pipe."""

    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child,), name="htkg-query-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.checkpoint: str | None = None

    def kill(self) -> None:
        self.process.kill()
        self.connection.close()
        self.process.join(timeout=5)


class QueryWorkers:
    """A fixed pool of query worker processes over checkpoints of one on-disk store."""

    def __init__(self, store: EmbeddedStore, *, workers: int) -> None:
        if store.location is None:
            raise ValueError("query workers need an on-disk store")
        self._store = store
        self._root = store.location.with_name(store.location.name + ".checkpoints")
        shutil.rmtree(self._root, ignore_errors=True)
        self._root.mkdir(parents=True)
        self._lock = threading.Lock()
        self._generation = 0
        self._checkpoint = ""
        self._workers: list[_Worker] = []
        self._stale = True
        self._current_checkpoint()
        self._context = multiprocessing.get_context("spawn")
        self._workers = [_Worker(self._context) for _ in range(workers)]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for worker in self._workers:
            self._idle.put(worker)

    def refresh(self) -> None:
        """Note that the store changed: the next query makes a checkpoint and sees it all.

        Making the checkpoint lazily means a burst of writes costs one checkpoint (a
        memtable flush and an fsync), not one each.
        """
        with self._lock:
            self._stale = True

    def _current_checkpoint(self) -> str:
        """The checkpoint queries should use, made now if the store changed since the last."""
        if self._stale:
            self._generation += 1
            target = self._root / f"{self._generation:08d}"
            self._store.backup(target)
            self._checkpoint = str(target)
            self._stale = False
            self._remove_unused_checkpoints()
        return self._checkpoint

    def run(
        self,
        sparql: str,
        *,
        dataset: Dataset,
        choose: Callable[[ResultKind], C],
        base_iri: str | None = None,
    ) -> Answer[C]:
        """Evaluate ``sparql`` in a worker; serialize it in the format ``choose(kind)`` picks.

        Returns once the first chunk exists; a body that fits in one chunk comes back whole.
        Closing a streaming body early stops its worker.

        :raises QuerySyntaxError: when the query does not parse.
        :raises QueryFailedError: when the worker failed or died.
        :raises Exception: whatever ``choose`` raises for the query's result kind.
        """
        choices: dict[ResultKind, C] = {}
        refusals: dict[ResultKind, Exception] = {}
        for kind in ResultKind:
            try:
                choices[kind] = choose(kind)
            except Exception as exc:  # kept, and raised only if the query has this kind
                refusals[kind] = exc
        media_types = {
            kind.value: choices[kind].format.media_type if kind in choices else None
            for kind in ResultKind
        }
        worker = self._idle.get()
        with self._lock:
            job = _Job(self._current_checkpoint(), sparql, dataset, base_iri, media_types)
            worker.checkpoint = job.checkpoint
        try:
            worker.connection.send(job)
            header = worker.connection.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise QueryFailedError("the query worker stopped unexpectedly") from exc
        if header[0] not in ("whole", "started"):
            self._idle.put(worker)
            if header[0] == "unacceptable":
                raise refusals[ResultKind(header[1])]
            if header[0] == "syntax":
                raise QuerySyntaxError(header[1], line=header[2], column=header[3])
            raise QueryFailedError(f"the query failed: {header[1]}")
        choice = choices[ResultKind(header[1])]
        if header[0] == "whole":
            self._idle.put(worker)
            return Answer(choice, header[2])
        return Answer(choice, _Stream(self, worker, header[2]))

    def shutdown(self) -> None:
        for worker in self._workers:
            worker.kill()
        shutil.rmtree(self._root, ignore_errors=True)

    def _release(self, worker: _Worker) -> None:
        self._idle.put(worker)

    def _frame(self, worker: _Worker) -> bytes | None:
        try:
            frame = worker.connection.recv_bytes()
        except (EOFError, OSError) as exc:
            raise QueryFailedError("the query worker stopped while answering") from exc
        tag, data = frame[:1], frame[1:]
        if tag == b"d":
            return data
        if tag == b"e":
            return None
        raise QueryFailedError(f"the query failed while answering: {data.decode()}")

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        fresh = _Worker(self._context)
        with self._lock:
            self._workers[self._workers.index(worker)] = fresh
        self._idle.put(fresh)

    def _remove_unused_checkpoints(self) -> None:
        in_use = {self._checkpoint} | {w.checkpoint for w in self._workers}
        for path in self._root.iterdir():
            if str(path) not in in_use:
                shutil.rmtree(path, ignore_errors=True)


class _Stream:
    """A streaming body that gives its worker back when done, or replaces it when abandoned.

    A class rather than a generator: a generator that is closed before its first ``next``
    (a HEAD request, an error before sending) would never run its cleanup.
    """

    def __init__(self, workers: QueryWorkers, worker: _Worker, first: bytes) -> None:
        self._workers = workers
        self._worker: _Worker | None = worker
        self._first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self._first
        while self._worker is not None:
            chunk = self._workers._frame(self._worker)
            if chunk is None:
                worker, self._worker = self._worker, None
                self._workers._release(worker)
                return
            yield chunk

    def close(self) -> None:
        if self._worker is not None:  # abandoned or failed: stop its work for good
            worker, self._worker = self._worker, None
            self._workers._replace(worker)


class _PipeWriter(io.RawIOBase):
    """Sends what the serializer writes; an answer of one chunk goes out as one message."""

    def __init__(self, connection: Connection, kind: ResultKind):
        self._connection = connection
        self._kind = kind
        self._first: bytes | None = None
        self._started = False

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if not data:
            return 0
        if not self._started:
            if self._first is None:
                self._first = bytes(data)
                return len(data)
            self._connection.send(("started", self._kind.value, self._first))
            self._started = True
        self._connection.send_bytes(b"d" + bytes(data))
        return len(data)

    def finish(self) -> None:
        if self._started:
            self._connection.send_bytes(b"e")
        else:
            self._connection.send(("whole", self._kind.value, self._first or b""))

    def fail(self, reason: str) -> None:
        if self._started:
            self._connection.send_bytes(b"x" + reason.encode())
        else:
            self._connection.send(("failed", reason))


def _serve(connection: Connection) -> None:
    """The worker process: answer jobs until the pipe closes."""
    store: EmbeddedStore | None = None
    opened = ""
    while True:
        try:
            job: _Job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if job.checkpoint != opened:
                store = EmbeddedStore(ox.Store.read_only(job.checkpoint))
                opened = job.checkpoint
            assert store is not None
            result = evaluate_query(store, job.sparql, dataset=job.dataset, base_iri=job.base_iri)
        except QuerySyntaxError as exc:
            connection.send(("syntax", exc.reason, exc.line, exc.column))
            continue
        except Exception as exc:
            connection.send(("failed", str(exc)))
            continue
        media_type = job.media_types[result.kind.value]
        if media_type is None:
            connection.send(("unacceptable", result.kind.value))
            continue
        _write(connection, result, media_type)


def _write(connection: Connection, result: QueryResult, media_type: str) -> None:
    fmt: Format | None
    if result.kind is ResultKind.GRAPH:
        fmt = ox.RdfFormat.from_media_type(media_type)
    else:
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
    assert fmt is not None, media_type
    sender = _PipeWriter(connection, result.kind)
    try:
        with io.BufferedWriter(sender, CHUNK_BYTES) as output:
            result.write(output, fmt)
    except Exception as exc:
        sender.fail(str(exc))
        return
    sender.finish()
