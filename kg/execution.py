"""Running a query on a worker thread and streaming its answer, a bounded chunk at a time.

pyoxigraph serializes results in Rust, far faster than Python could, but only into a
file-like object and all at once, and its result objects must stay on the thread that made
them. So a worker thread evaluates the query, asks the caller's ``choose`` function for a
format once it knows the result kind, and serializes into a bounded channel. A slow client
slows the worker instead of filling memory; a client that goes away stops it at its next
write. Every error that has a status (syntax, no acceptable format) reaches the caller before
the first byte is sent, and an answer that fits in one chunk comes back whole, so that it can
be sent with a Content-Length.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import pyoxigraph as ox

from kg.query import Dataset, evaluate_query
from kg.results import ResultKind
from kg.store import Store

CHUNK_BYTES = 64 * 1024
_CHANNEL_CHUNKS = 8
_END = b""

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
    body: bytes | Iterator[bytes]


class _ClientGoneError(Exception):
    """Raised inside the worker when the consumer stopped reading."""


class _Channel:
    """A bounded hand-over from the worker to the consumer, which either side may abandon."""

    def __init__(self) -> None:
        self.items: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=_CHANNEL_CHUNKS)
        self.stopped = threading.Event()
        self.choice: object = None

    def put(self, item: bytes | BaseException) -> None:
        while not self.stopped.is_set():
            try:
                self.items.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _ClientGoneError

    def get(self) -> bytes:
        item = self.items.get()
        if isinstance(item, BaseException):
            self.stopped.set()
            raise item
        return item


class _ChannelWriter(io.RawIOBase):
    def __init__(self, channel: _Channel):
        self._channel = channel

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if data:
            self._channel.put(bytes(data))
        return len(data)


class QueryExecutor:
    """A pool of worker threads that evaluate and serialize queries.

    >>> from kg.store import EmbeddedStore
    >>> from kg.results import ResultKind
    >>> class Json:
    ...     format = ox.QueryResultsFormat.JSON
    >>> executor = QueryExecutor(workers=2)
    >>> answer = executor.run(EmbeddedStore.in_memory(), "ASK {}", dataset=Dataset(),
    ...                       choose=lambda kind: Json())
    >>> answer.body
    b'{"head":{},"boolean":true}'
    >>> executor.shutdown()
    """

    def __init__(self, *, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="htkg-query")

    def run(
        self, store: Store, sparql: str, *, dataset: Dataset, choose: Callable[[ResultKind], C]
    ) -> Answer[C]:
        """Evaluate ``sparql`` and serialize it in the format ``choose(kind)`` picks.

        Returns once the first chunk exists. Close a streaming body to stop the worker.

        :raises QuerySyntaxError: when the query does not parse.
        :raises Exception: whatever ``choose`` raises (e.g. no acceptable format).
        """
        channel = _Channel()
        self._pool.submit(_work, store, sparql, dataset, choose, channel)
        first = channel.get()
        choice: C = channel.choice  # type: ignore[assignment]
        if first == _END:
            return Answer(choice, first)
        second = channel.get()
        if second == _END:
            return Answer(choice, first)
        return Answer(choice, _drain(channel, first, second))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _drain(channel: _Channel, *ready: bytes) -> Iterator[bytes]:
    try:
        yield from ready
        yield from iter(channel.get, _END)
    finally:
        channel.stopped.set()


def _work(
    store: Store,
    sparql: str,
    dataset: Dataset,
    choose: Callable[[ResultKind], FormatChoice],
    channel: _Channel,
) -> None:
    try:
        result = evaluate_query(store, sparql, dataset=dataset)
        channel.choice = choose(result.kind)
        with io.BufferedWriter(_ChannelWriter(channel), CHUNK_BYTES) as output:
            result.write(output, channel.choice.format)
        channel.put(_END)
    except _ClientGoneError:
        return
    except BaseException as exc:  # handed to the caller's thread, which re-raises it
        try:
            channel.put(exc)
        except _ClientGoneError:
            return


__all__ = ["Answer", "FormatChoice", "QueryExecutor"]
