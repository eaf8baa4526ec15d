"""Query worker processes: answers, errors, fresh checkpoints, abandoned streams."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError
from kg.query import Dataset
from kg.results import ResultKind
from kg.store import EmbeddedStore
from kg.workers import QueryWorkers


@dataclass(frozen=True)
class Choice:
    format: ox.QueryResultsFormat | ox.RdfFormat


class RefusedError(Exception):
    pass


def json_or_ntriples(kind: ResultKind) -> Choice:
    if kind is ResultKind.GRAPH:
        return Choice(ox.RdfFormat.N_TRIPLES)
    return Choice(ox.QueryResultsFormat.JSON)


def refuse_graphs(kind: ResultKind) -> Choice:
    if kind is ResultKind.GRAPH:
        raise RefusedError
    return Choice(ox.QueryResultsFormat.JSON)


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore.open(tmp_path / "store")
    store.update("INSERT DATA { " + " ".join(
        f"<http://ex/s{i}> <http://ex/p> {i} ." for i in range(20000)) + " }")
    return store


@pytest.fixture
def workers(store: EmbeddedStore) -> Iterator[QueryWorkers]:
    pool = QueryWorkers(store, workers=1)
    yield pool
    pool.shutdown()


def body(answer_body: bytes | object) -> bytes:
    return answer_body if isinstance(answer_body, bytes) else b"".join(answer_body)  # type: ignore[arg-type]


def test_a_small_answer_comes_back_whole(workers: QueryWorkers) -> None:
    answer = workers.run("ASK { <http://ex/s1> ?p ?o }", dataset=Dataset(), choose=json_or_ntriples)
    assert answer.body == b'{"head":{},"boolean":true}'


def test_a_large_answer_streams_in_chunks(workers: QueryWorkers) -> None:
    answer = workers.run("CONSTRUCT WHERE { ?s ?p ?o }", dataset=Dataset(),
                         choose=json_or_ntriples)
    assert not isinstance(answer.body, bytes)
    assert body(answer.body).count(b"\n") == 20000


def test_a_syntax_error_is_raised_with_its_position(workers: QueryWorkers) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        workers.run("SELECT * {\n ?s ?p }", dataset=Dataset(), choose=json_or_ntriples)
    assert caught.value.line == 2
    # the worker is still usable afterwards
    assert workers.run("ASK {}", dataset=Dataset(), choose=json_or_ntriples).body


def test_the_refusal_of_choose_is_raised_for_the_kind_of_the_query(
    workers: QueryWorkers,
) -> None:
    assert workers.run("ASK {}", dataset=Dataset(), choose=refuse_graphs).body
    with pytest.raises(RefusedError):
        workers.run("CONSTRUCT WHERE { ?s ?p ?o }", dataset=Dataset(), choose=refuse_graphs)


def test_writes_are_seen_after_refresh(store: EmbeddedStore, workers: QueryWorkers) -> None:
    ask = "ASK { <http://ex/new> ?p ?o }"
    assert b"false" in body(workers.run(ask, dataset=Dataset(), choose=json_or_ntriples).body)
    store.update("INSERT DATA { <http://ex/new> <http://ex/p> 1 }")
    workers.refresh()
    assert b"true" in body(workers.run(ask, dataset=Dataset(), choose=json_or_ntriples).body)


def test_an_abandoned_stream_replaces_its_worker(workers: QueryWorkers) -> None:
    answer = workers.run("CONSTRUCT WHERE { ?s ?p ?o }", dataset=Dataset(),
                         choose=json_or_ntriples)
    stream = iter(answer.body)
    next(stream)
    answer.body.close()  # type: ignore[union-attr]
    assert workers.run("ASK {}", dataset=Dataset(), choose=json_or_ntriples).body


def test_a_stream_closed_before_reading_gives_the_pool_a_worker(workers: QueryWorkers) -> None:
    for _ in range(3):  # one worker: a leak would block the third run forever
        answer = workers.run("CONSTRUCT WHERE { ?s ?p ?o }", dataset=Dataset(),
                             choose=json_or_ntriples)
        answer.body.close()  # type: ignore[union-attr]
