"""Running a query on a worker thread and streaming its answer, a bounded chunk at a time.

pyoxigraph serializes results in Rust, far faster than Python could, but only into a
file-like object and all at once, and its result objects must stay on the thread that made
them. So a worker thread evaluates the query, reports what kind of result it got (or the
syntax error), waits for the caller to choose a format, then serializes into a bounded
channel that the HTTP response drains. A slow client slows the worker instead of filling
memory; a client that goes away stops it at its next write. The caller learns every error
that has a status before the first byte is sent.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from kg.query import Dataset, evaluate_query
from kg.results import ResultKind
from kg.store import Store

CHUNK_BYTES = 64 * 1024
_CHANNEL_CHUNKS = 8
_FORMAT_WAIT_S = 60.0

Format = ox.QueryResultsFormat | ox.RdfFormat


class _ClientGoneError(Exception):
    """Raised inside the worker when the consumer stopped reading."""


class _Channel:
    """A bounded hand-over from the worker to the consumer, which either side may abandon."""

    def __init__(self) -> None:
        self.items: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=_CHANNEL_CHUNKS)
        self.stopped = threading.Event()

    def put(self, item: bytes | BaseException) -> None:
        while not self.stopped.is_set():
            try:
                self.items.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _ClientGoneError


class _ChannelWriter(io.RawIOBase):
    def __init__(self, channel: _Channel):
        self._channel = channel

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if data:
            self._channel.put(bytes(data))
        return len(data)


@dataclass(frozen=True)
class _Started:
    kind: ResultKind


class RunningQuery:
    """A query whose evaluation has started on a worker thread."""

    def __init__(self, kind: ResultKind, formats: queue.Queue[Format | None], channel: _Channel):
        self.kind = kind
        self._formats = formats
        self._channel = channel

    def chunks(self, format: Format) -> Iterator[bytes]:
        """Serialize the answer in ``format``; close the iterator to stop early."""
        self._formats.put(format)
        try:
            while True:
                chunk = self._channel.items.get()
                if isinstance(chunk, BaseException):
                    raise chunk
                if not chunk:
                    return
                yield chunk
        finally:
            self._channel.stopped.set()

    def cancel(self) -> None:
        """Release the worker when the answer will not be sent (e.g. no acceptable format)."""
        self._channel.stopped.set()
        self._formats.put(None)


class QueryExecutor:
    """A pool of worker threads that evaluate and serialize queries.

    >>> from kg.store import EmbeddedStore
    >>> executor = QueryExecutor(workers=2)
    >>> running = executor.start(EmbeddedStore.in_memory(), "ASK {}", dataset=Dataset())
    >>> running.kind
    <ResultKind.BOOLEAN: 'boolean'>
    >>> b"".join(running.chunks(ox.QueryResultsFormat.JSON))
    b'{"head":{},"boolean":true}'
    >>> executor.shutdown()
    """

    def __init__(self, *, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="htkg-query")

    def start(self, store: Store, sparql: str, *, dataset: Dataset) -> RunningQuery:
        """Start evaluating; return once the result kind is known.

        :raises QuerySyntaxError: when the query does not parse (raised in the caller).
        """
        started: queue.Queue[_Started | BaseException] = queue.Queue(maxsize=1)
        formats: queue.Queue[Format | None] = queue.Queue(maxsize=1)
        channel = _Channel()
        self._pool.submit(_work, store, sparql, dataset, started, formats, channel)
        outcome = started.get()
        if isinstance(outcome, BaseException):
            raise outcome
        return RunningQuery(outcome.kind, formats, channel)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _work(
    store: Store,
    sparql: str,
    dataset: Dataset,
    started: queue.Queue[_Started | BaseException],
    formats: queue.Queue[Format | None],
    channel: _Channel,
) -> None:
    try:
        result = evaluate_query(store, sparql, dataset=dataset)
    except BaseException as exc:  # handed to the caller's thread, which re-raises it
        started.put(exc)
        return
    started.put(_Started(result.kind))
    try:
        format = formats.get(timeout=_FORMAT_WAIT_S)
    except queue.Empty:
        return
    if format is None:
        return
    try:
        with io.BufferedWriter(_ChannelWriter(channel), CHUNK_BYTES) as output:
            result.write(output, format)
        channel.put(b"")
    except _ClientGoneError:
        return
    except BaseException as exc:  # an error mid-stream: the consumer re-raises and logs it
        try:
            channel.put(exc)
        except _ClientGoneError:
            return
