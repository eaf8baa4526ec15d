"""Query workers: processes that evaluate queries on a checkpoint of the store.

Measured here: pyoxigraph keeps the GIL while it evaluates lazily inside ``serialize``, so
threads of one process answer one query at a time. Queries therefore run in worker processes,
each opening a read-only checkpoint of the store (``Store.backup``: hard links, about a
millisecond). After every write the owner of the store makes a new checkpoint, and each
worker switches to it at its next query, so a query always sees every write committed before
it started. A worker can be killed without harm to the store, which is what makes time limits
and abandoned answers stop using CPU.

Time limits: pyoxigraph cannot cancel a query, so when a query's deadline passes the main
process SIGKILLs its worker (it uses no CPU from then on), starts a fresh one in its place and
raises ``QueryTimeoutError``; the other workers go on serving. The deadline counts from the
call, waiting for an idle worker included, and holds for every frame of a streaming body too.

Row limits: with ``max_rows`` the worker writes the answer, cut after that many solutions or
triples, into a spool (``kg.answers``; a few MB in memory, the rest in a temporary file)
before it sends the header, because whether the answer was cut must be known before the
status and headers are sent. Without a limit the answer streams as it is evaluated. Measured
on a one-row SELECT (JSON), the spooled path costs about 0.02 ms more per query than streaming
(a worker's work: 0.033 ms against 0.046-0.055 ms; a round trip through the pool is 0.2-0.3 ms).

Point lookups (one triple pattern about one subject, ``kg.point_lookup``) are answered in the
main process instead, when they have at most a thousand solutions: their work is bounded, and
the hand-over to a worker would cost them ten times the lookup.

Wire protocol on each worker's pipe: the main process sends a ``_Job``; the worker answers
one header tuple: ``whole`` (an answer of one chunk, in one message: one wake-up of the main
process for most queries), ``started`` (with the first chunk), both with the cut flag last,
``unacceptable``, ``syntax`` or ``failed``. After ``started`` come frames tagged ``d`` (data),
``e`` (end) or ``x`` (error).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Generic, NamedTuple, Protocol, TypeVar

import pyoxigraph as ox

from kg.answers import SPOOL_BYTES, Format, write_bounded
from kg.errors import QueryFailedError, QuerySyntaxError, QueryTimeoutError
from kg.point_lookup import answer_point_lookup, is_point_lookup
from kg.query import Dataset, evaluate_query
from kg.results import QueryResult, ResultKind
from kg.store import EmbeddedStore
from kg.views import VIEW_MARK, Views

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024

# stores a worker keeps open: the checkpoint and the views of the audiences it serves
OPEN_STORES = 4


class FormatChoice(Protocol):
    """What the caller's ``choose`` returns: at least the serializer to use."""

    @property
    def format(self) -> Format: ...


C = TypeVar("C", bound=FormatChoice)


@dataclass(frozen=True)
class Answer(Generic[C]):
    """A query's answer: the format chosen, the body (whole or still streaming), and whether
    the body was cut at the row limit (it is a complete document even then)."""

    choice: C
    body: bytes | Iterable[bytes]
    truncated: bool = False
    from_view: bool = False  # answered from a view of the caller's graphs (kg.views)


class _Job(NamedTuple):
    """One query for a worker; a tuple because it is pickled on every query (5x faster)."""

    checkpoint: str
    sparql: str
    dataset: Dataset
    base_iri: str | None
    media_types: dict[str, str | None]  # result kind -> media type of its format, or refused
    max_rows: int  # solutions or triples in the answer at most; 0: no limit


class _Worker:
    """One worker process and the main process's end of its pipe."""

    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child,), name="htkg-query-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.opened: list[str] = []  # the stores it keeps open, as it does (``_remember``)

    def kill(self) -> None:
        self.process.kill()
        self.connection.close()
        self.process.join(timeout=5)


class QueryWorkers:
    """A fixed pool of query worker processes over checkpoints of one on-disk store."""

    def __init__(self, store: EmbeddedStore, *, workers: int, views: int = 0) -> None:
        if store.location is None:
            raise ValueError("query workers need an on-disk store")
        self._store = store
        self._root = store.location.with_name(store.location.name + ".checkpoints")
        shutil.rmtree(self._root, ignore_errors=True)
        self._root.mkdir(parents=True)
        self.views = Views(limit=views) if views else None
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
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> Answer[C]:
        """Evaluate ``sparql`` in a worker; serialize it in the format ``choose(kind)`` picks.

        Returns once the first chunk exists; a body that fits in one chunk comes back whole.
        Closing a streaming body early stops its worker.

        ``timeout_s`` bounds the whole query, from this call (waiting for an idle worker
        included) to the last byte of the body, a slow reader included (a worker stays busy
        until its body is read). When it passes, the worker is killed (it uses no more CPU)
        and replaced, and ``QueryTimeoutError`` is raised: by this call, or by the body's
        iterator once it streams, when the status and headers are already sent (the body
        then ends short: the client sees a broken answer, never a wrong one).

        ``max_rows`` (None or 0: no limit) bounds a SELECT to that many solutions and a
        CONSTRUCT or DESCRIBE to that many triples; ``Answer.truncated`` says whether rows
        were left out, and the body is a complete document all the same. An ASK is never cut.
        With a limit the worker finishes the answer before this call returns, so the
        time limit covers its whole evaluation.

        :raises QuerySyntaxError: when the query does not parse.
        :raises QueryTimeoutError: when ``timeout_s`` passes before the first chunk (the
            body's iterator raises it when the limit passes later).
        :raises QueryFailedError: when the worker failed or died.
        :raises ValueError: when ``timeout_s`` is not positive or ``max_rows`` is negative.
        :raises Exception: whatever ``choose`` raises for the query's result kind.
        """
        if timeout_s is not None and not timeout_s > 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        if max_rows is not None and max_rows < 0:
            raise ValueError(f"max_rows must not be negative, got {max_rows}")
        deadline = _Deadline(timeout_s)
        choices: dict[ResultKind, C] = {}
        refusals: dict[ResultKind, Exception] = {}
        for kind in ResultKind:
            try:
                choices[kind] = choose(kind)
            except Exception as exc:  # kept, and raised only if the query has this kind
                refusals[kind] = exc.with_traceback(None)  # keep no request frames alive
        media_types = {
            kind.value: choices[kind].format.media_type if kind in choices else None
            for kind in ResultKind
        }
        solutions = choices.get(ResultKind.SOLUTIONS)
        if solutions is not None and is_point_lookup(sparql):
            body = answer_point_lookup(
                self._store, sparql, dataset=dataset, base_iri=base_iri,
                format=solutions.format, max_rows=max_rows)  # type: ignore[arg-type]
            if body is not None:
                return Answer(solutions, body)
        try:
            worker = self._idle.get(timeout=deadline.remaining())
        except queue.Empty:
            raise deadline.error() from None
        with self._lock:
            store = self._current_checkpoint()
            view = None
            if dataset.view is not None and self.views is not None:
                view = self.views.find(store, dataset.view)
            if view is not None:  # the union of a view is the dataset the caller may read
                store, dataset = view, Dataset()
            job = _Job(store, sparql, dataset._replace(view=None), base_iri, media_types,
                       max_rows or 0)
            _remember(worker.opened, store)
        try:
            worker.connection.send(job)
            if not worker.connection.poll(deadline.remaining()):
                self._replace(worker)
                raise deadline.error()
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
            return Answer(choice, header[2], header[3], view is not None)
        return Answer(choice, _Stream(self, worker, header[2], deadline), header[3],
                      view is not None)

    def shutdown(self) -> None:
        for worker in self._workers:
            worker.kill()
        shutil.rmtree(self._root, ignore_errors=True)

    def _release(self, worker: _Worker) -> None:
        self._idle.put(worker)

    def _frame(self, worker: _Worker, deadline: _Deadline) -> bytes | None:
        remaining = deadline.remaining()
        try:  # past the deadline even when frames keep coming: a body has no endless time
            if remaining == 0 or not worker.connection.poll(remaining):
                raise deadline.error()
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
        in_use = {self._checkpoint, *(path for w in self._workers for path in w.opened)}
        if self.views is not None:
            in_use |= self.views.in_use()
        for path in self._root.iterdir():
            if str(path) not in in_use:
                shutil.rmtree(path, ignore_errors=True)


class _Deadline:
    """When a query's time is up, from the start of ``run``; no limit when ``limit_s`` is None."""

    def __init__(self, limit_s: float | None) -> None:
        self.limit_s = limit_s
        self._at = None if limit_s is None else time.monotonic() + limit_s

    def remaining(self) -> float | None:
        """Seconds left (never negative) to wait for, or None: wait as long as it takes."""
        return None if self._at is None else max(0.0, self._at - time.monotonic())

    def error(self) -> QueryTimeoutError:
        return QueryTimeoutError(self.limit_s or 0.0)


class _Stream:
    """A streaming body that gives its worker back when done, or replaces it when abandoned.

    A class rather than a generator: a generator that is closed before its first ``next``
    (a HEAD request, an error before sending) would never run its cleanup. A frame that fails
    or comes too late replaces the worker at once, so a timed-out worker stops before the
    iterator raises.
    """

    def __init__(
        self, workers: QueryWorkers, worker: _Worker, first: bytes, deadline: _Deadline
    ) -> None:
        self._workers = workers
        self._worker: _Worker | None = worker
        self._first = first
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        yield self._first
        while self._worker is not None:
            try:
                chunk = self._workers._frame(self._worker, self._deadline)
            except Exception:
                self.close()
                raise
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
            self._connection.send(("started", self._kind.value, self._first, False))
            self._started = True
        self._connection.send_bytes(b"d" + bytes(data))
        return len(data)

    def finish(self) -> None:
        if self._started:
            self._connection.send_bytes(b"e")
        else:
            self._connection.send(("whole", self._kind.value, self._first or b"", False))

    def fail(self, reason: str) -> None:
        if self._started:
            self._connection.send_bytes(b"x" + reason.encode())
        else:
            self._connection.send(("failed", reason))


def _remember(opened: list[str], path: str) -> list[str]:
    """Note that ``path`` is used now; return the stores to close: those of an older
    checkpoint than ``path``'s, and the least recently used beyond ``OPEN_STORES``.

    The main process and the worker apply it to the same sequence of paths, so the main
    process knows which checkpoints and views each worker has open without asking.
    """
    checkpoint = path.partition(VIEW_MARK)[0]
    current = [p for p in opened if p == checkpoint or p.startswith(checkpoint + VIEW_MARK)]
    closed = [p for p in opened if p not in current]
    opened[:] = [p for p in current if p != path] + [path]
    while len(opened) > OPEN_STORES:
        closed.append(opened.pop(0))
    return closed


def _serve(connection: Connection) -> None:
    """The worker process: answer jobs until the pipe closes."""
    stores: dict[str, EmbeddedStore] = {}
    opened: list[str] = []
    while True:
        try:
            job: _Job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            for closed in _remember(opened, job.checkpoint):
                stores.pop(closed, None)  # absent when opening it failed
            if job.checkpoint not in stores:
                stores[job.checkpoint] = EmbeddedStore(ox.Store.read_only(job.checkpoint))
            store = stores[job.checkpoint]
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
        fmt = _format(result.kind, media_type)
        if job.max_rows and result.kind is not ResultKind.BOOLEAN:
            _write_bounded(connection, result, fmt, job.max_rows)
        else:
            _write(connection, result, fmt)


def _format(kind: ResultKind, media_type: str) -> Format:
    fmt: Format | None
    if kind is ResultKind.GRAPH:
        fmt = ox.RdfFormat.from_media_type(media_type)
    else:
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
    assert fmt is not None, media_type
    return fmt


def _write_bounded(
    connection: Connection, result: QueryResult, fmt: Format, max_rows: int
) -> None:
    """Spool the answer cut at ``max_rows``, then send it: the header knows if it was cut."""
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as spool:
        try:
            truncated = write_bounded(result, spool, fmt, max_rows=max_rows)  # type: ignore[arg-type]
        except Exception as exc:
            connection.send(("failed", str(exc)))
            return
        spool.seek(0)
        first = spool.read(CHUNK_BYTES)
        chunk = spool.read(CHUNK_BYTES)
        if not chunk:
            connection.send(("whole", result.kind.value, first, truncated))
            return
        connection.send(("started", result.kind.value, first, truncated))
        while chunk:
            connection.send_bytes(b"d" + chunk)
            chunk = spool.read(CHUNK_BYTES)
        connection.send_bytes(b"e")


def _write(connection: Connection, result: QueryResult, fmt: Format) -> None:
    sender = _PipeWriter(connection, result.kind)
    try:
        with io.BufferedWriter(sender, CHUNK_BYTES) as output:
            result.write(output, fmt)
    except Exception as exc:
        sender.fail(str(exc))
        return
    sender.finish()
