"""Point lookups answered in the main process give a worker's answer, or none at all."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from kg.point_lookup import POINT_LOOKUP_ROWS, answer_point_lookup, is_point_lookup
from kg.query import Dataset, evaluate_query
from kg.store import EmbeddedStore

EX = "http://ex/"
JSON = ox.QueryResultsFormat.JSON


@pytest.mark.parametrize(("query", "lookup"), [
    (f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }}", True),
    (f"select * {{ <{EX}s> a ?type . }}", True),
    (f"PREFIX ex: <{EX}> BASE <{EX}> SELECT ?o {{ ex:s ex:p ?o }} # a comment }}", True),
    (f"SELECT ?o {{ <{EX}s> <{EX}p> 'x' }}", True),
    (f"SELECT ?o {{ <{EX}s> <{EX}p>/<{EX}q> ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p>* ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> ^<{EX}p> ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p>|<{EX}q> ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> !<{EX}p> ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> ?p ?o }}", False),
    (f"SELECT ?o {{ ?s <{EX}p> ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p> 'x'@en }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p> 1 }}", False),
    (f"SELECT DISTINCT ?o {{ <{EX}s> <{EX}p> ?o }}", False),
    (f"SELECT ?o FROM <{EX}g> {{ <{EX}s> <{EX}p> ?o }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p> ?o }} LIMIT 1", False),
    (f"SELECT ?o {{ GRAPH ?g {{ <{EX}s> <{EX}p> ?o }} }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p> ?o FILTER(?o) }}", False),
    (f"SELECT ?o {{ <{EX}s> <{EX}p> ?o . <{EX}s> <{EX}p> ?x }}", False),
    (f"SELECT (COUNT(*) AS ?n) {{ <{EX}s> <{EX}p> ?o }}", False),
    (f"ASK {{ <{EX}s> <{EX}p> ?o }}", False),
    (f"SELECT ?o {{ SERVICE <{EX}e> {{ <{EX}s> <{EX}p> ?o }} }}", False),
])
def test_only_single_pattern_lookups_of_one_subject_qualify(query: str, lookup: bool) -> None:
    assert is_point_lookup(query) is lookup


@pytest.fixture
def store() -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    values = ", ".join(f'"v{n}"' for n in range(POINT_LOOKUP_ROWS + 1))
    store.update(f"""INSERT DATA {{
        GRAPH <{EX}open> {{ <{EX}s> <{EX}p> "open" . <{EX}many> <{EX}p> {values} }}
        GRAPH <{EX}secret> {{ <{EX}s> <{EX}p> "secret" }} }}""")
    return store


def _worker_answer(store: EmbeddedStore, query: str, dataset: Dataset) -> bytes:
    output = io.BytesIO()
    evaluate_query(store, query, dataset=dataset).write(output, JSON)
    return output.getvalue()


@pytest.mark.parametrize("dataset", [
    Dataset(), Dataset(default_graphs=(f"{EX}open",), named_graphs=(f"{EX}open",),
                       view=frozenset({f"{EX}open"}))])
def test_the_answer_is_the_workers_within_the_callers_dataset(
        store: EmbeddedStore, dataset: Dataset) -> None:
    query = f"SELECT ?o {{ <{EX}s> <{EX}p> ?o }}"
    answer = answer_point_lookup(store, query, dataset=dataset, base_iri=None, format=JSON,
                                 max_rows=None)
    assert answer == _worker_answer(store, query, dataset)
    assert (b"secret" in answer) is (dataset == Dataset())


def test_a_subject_with_too_many_values_goes_to_a_worker(store: EmbeddedStore) -> None:
    query = f"SELECT ?o {{ <{EX}many> <{EX}p> ?o }}"
    assert is_point_lookup(query)
    assert answer_point_lookup(store, query, dataset=Dataset(), base_iri=None, format=JSON,
                               max_rows=None) is None
    few = f"SELECT ?o {{ <{EX}s> <{EX}p> ?o }}"
    assert answer_point_lookup(store, few, dataset=Dataset(), base_iri=None, format=JSON,
                               max_rows=1) is None  # the row limit would cut it
