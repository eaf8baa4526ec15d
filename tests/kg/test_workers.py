"""Query worker processes: answers, errors, fresh checkpoints, abandoned streams, limits."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.errors import QueryFailedError, QuerySyntaxError, QueryTimeoutError
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


# time limits: a runaway query's worker is killed, replaced, and the others keep serving

RUNAWAY = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "SELECT ?o WHERE { <http://ex/s7> ?p ?o }"


@pytest.fixture(scope="module")
def big_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryWorkers]:
    store = EmbeddedStore.open(tmp_path_factory.mktemp("big") / "store")
    p = ox.NamedNode("http://ex/p")
    store.raw.bulk_extend(ox.Quad(ox.NamedNode(f"http://ex/s{i}"), p, ox.Literal(i))
                          for i in range(50_000))
    pool = QueryWorkers(store, workers=2)
    for _ in range(2):  # both workers started and on the checkpoint
        pool.run(SIMPLE, dataset=Dataset(), choose=json_or_ntriples)
    yield pool
    pool.shutdown()


def processes(pool: QueryWorkers) -> set[BaseProcess]:
    return {worker.process for worker in pool._workers}


def assert_killed(process: BaseProcess) -> None:
    assert not process.is_alive()
    assert process.exitcode == -signal.SIGKILL
    assert not Path(f"/proc/{process.pid}").exists()  # reaped: it uses no CPU


def assert_full_and_answering(pool: QueryWorkers) -> None:
    assert len(pool._workers) == 2
    assert all(worker.process.is_alive() for worker in pool._workers)
    for _ in range(4):  # every worker in turn
        answer = pool.run(SIMPLE, dataset=Dataset(), choose=json_or_ntriples, timeout_s=10)
        assert b'"value":"7"' in body(answer.body)


def run_in_thread(
    pool: QueryWorkers, sparql: str, **options: Any
) -> Callable[[], tuple[object, float]]:
    """Start ``pool.run`` on a thread; the returned function joins it: (error or answer, s)."""
    outcome: list[tuple[object, float]] = []

    def target() -> None:
        started = time.monotonic()
        result: object
        try:
            result = pool.run(sparql, dataset=Dataset(), choose=json_or_ntriples, **options)
        except Exception as exc:
            result = exc
        outcome.append((result, time.monotonic() - started))

    thread = threading.Thread(target=target)
    thread.start()

    def join() -> tuple[object, float]:
        thread.join(timeout=30)
        assert not thread.is_alive()
        return outcome[0]

    return join


def test_a_runaway_query_is_killed_at_its_time_limit_while_others_are_served(
    big_pool: QueryWorkers,
) -> None:
    before = processes(big_pool)
    join = run_in_thread(big_pool, RUNAWAY, timeout_s=1.0)
    time.sleep(0.2)
    started = time.monotonic()
    answer = big_pool.run(SIMPLE, dataset=Dataset(), choose=json_or_ntriples)
    assert b'"value":"7"' in body(answer.body)
    assert time.monotonic() - started < 0.5  # served by the other worker meanwhile
    error, elapsed = join()
    assert isinstance(error, QueryTimeoutError) and error.limit_s == 1.0
    assert elapsed < 1.0 + 1.5
    (killed,) = before - processes(big_pool)
    assert_killed(killed)
    assert_full_and_answering(big_pool)


def test_waiting_for_a_worker_counts_against_the_time_limit(big_pool: QueryWorkers) -> None:
    before = processes(big_pool)
    joins = [run_in_thread(big_pool, RUNAWAY, timeout_s=1.5),
             run_in_thread(big_pool, RUNAWAY, timeout_s=1.5, max_rows=100_000)]
    time.sleep(0.3)  # both workers busy
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        big_pool.run(SIMPLE, dataset=Dataset(), choose=json_or_ntriples, timeout_s=0.3)
    assert 0.25 < time.monotonic() - started < 1.0
    for join in joins:  # a spooled (row-limited) query is stopped the same way
        error, elapsed = join()
        assert isinstance(error, QueryTimeoutError) and elapsed < 1.5 + 1.5
    assert not processes(big_pool) & before
    for process in before:
        assert_killed(process)
    assert_full_and_answering(big_pool)


def test_a_stream_past_its_time_limit_is_cut_and_its_worker_killed(
    big_pool: QueryWorkers,
) -> None:
    before = processes(big_pool)
    started = time.monotonic()
    answer = big_pool.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", dataset=Dataset(),
                          choose=json_or_ntriples, timeout_s=1.0)
    assert not isinstance(answer.body, bytes)
    received = 0
    with pytest.raises(QueryTimeoutError):
        for chunk in answer.body:
            received += len(chunk)
    assert received > 0 and time.monotonic() - started < 1.0 + 1.5
    (killed,) = before - processes(big_pool)
    assert_killed(killed)
    answer.body.close()  # type: ignore[attr-defined]  # as a WSGI server would: harmless
    assert_full_and_answering(big_pool)


def test_limits_must_make_sense(shared: QueryWorkers) -> None:
    invalid: list[dict[str, Any]] = [{"timeout_s": 0}, {"timeout_s": -1.0}, {"max_rows": -1}]
    for options in invalid:
        with pytest.raises(ValueError):
            shared.run("ASK {}", dataset=Dataset(), choose=json_or_ntriples, **options)


# row limits: a complete document, cut after max_rows, and the caller told so


def solutions(answer_body: bytes | object) -> list[list[object]]:
    parsed = ox.parse_query_results(body(answer_body), ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    return [list(solution) for solution in parsed]


ORDERED = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryWorkers]:
    """One pool for the tests that leave it as they found it: 20000 triples, one worker."""
    store = EmbeddedStore.open(tmp_path_factory.mktemp("shared") / "store")
    p = ox.NamedNode("http://ex/p")
    store.raw.bulk_extend(ox.Quad(ox.NamedNode(f"http://ex/s{i}"), p, ox.Literal(i))
                          for i in range(20000))
    pool = QueryWorkers(store, workers=1)
    yield pool
    pool.shutdown()


@pytest.fixture(scope="module")
def everything(shared: QueryWorkers) -> list[list[object]]:
    return solutions(shared.run(ORDERED, dataset=Dataset(), choose=json_or_ntriples).body)


@pytest.mark.parametrize("max_rows", [None, 0])
def test_without_a_limit_answers_stream_and_are_not_truncated(
    shared: QueryWorkers, everything: list[list[object]], max_rows: int | None
) -> None:
    answer = shared.run(ORDERED, dataset=Dataset(), choose=json_or_ntriples, max_rows=max_rows)
    assert not answer.truncated and not isinstance(answer.body, bytes)
    assert solutions(answer.body) == everything


@pytest.mark.parametrize("max_rows", [1, 500, 19999, 20000, 20001])
def test_a_select_holds_at_most_max_rows_and_says_if_it_was_cut(
    shared: QueryWorkers, everything: list[list[object]], max_rows: int
) -> None:
    answer = shared.run(ORDERED, dataset=Dataset(), choose=json_or_ntriples, max_rows=max_rows)
    assert answer.truncated is (max_rows < 20000)
    assert solutions(answer.body) == everything[:max_rows]
    assert isinstance(answer.body, bytes) is (max_rows < 500)  # big answers still stream


def test_a_graph_holds_at_most_max_rows_triples(shared: QueryWorkers) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    answer = shared.run(query, dataset=Dataset(), choose=json_or_ntriples, max_rows=5)
    assert answer.truncated
    assert len(list(ox.parse(body(answer.body), ox.RdfFormat.N_TRIPLES))) == 5
    answer = shared.run(query, dataset=Dataset(), choose=json_or_ntriples, max_rows=20000)
    assert not answer.truncated
    assert len(list(ox.parse(body(answer.body), ox.RdfFormat.N_TRIPLES))) == 20000


def test_an_ask_is_never_cut(shared: QueryWorkers) -> None:
    answer = shared.run("ASK {}", dataset=Dataset(), choose=json_or_ntriples, max_rows=1)
    assert (answer.body, answer.truncated) == (b'{"head":{},"boolean":true}', False)


def test_a_query_failing_under_a_limit_fails_before_the_header(shared: QueryWorkers) -> None:
    with pytest.raises(QueryFailedError):
        shared.run("SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
                   dataset=Dataset(), choose=json_or_ntriples, max_rows=10)
    assert shared.run("ASK {}", dataset=Dataset(), choose=json_or_ntriples, max_rows=1).body
