"""The provenance record of a SPARQL update counts the triples it added and removed."""

from __future__ import annotations

import pytest

from kg.ingest import Ingest
from kg.results import SolutionsResult
from kg.store import EmbeddedStore

COUNTS = """SELECT ?added ?removed ?g { GRAPH <https://w3id.org/htkg/graph/provenance> {
  ?w <https://w3id.org/htkg/ontology#triplesAdded> ?added ;
     <https://w3id.org/htkg/ontology#targetGraph> ?g ;
     <https://w3id.org/htkg/ontology#triplesRemoved> ?removed } }"""


@pytest.mark.parametrize(("update", "added", "removed"), [
    ("INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 1, 2, 3 } }", 3, 0),
    ("DELETE DATA { GRAPH <http://ex/g> { <http://ex/s> <http://ex/p> 1 } }", 0, 1),
    ("DELETE { GRAPH <http://ex/g> { ?s <http://ex/p> ?o } } "
     "INSERT { GRAPH <http://ex/g> { ?s <http://ex/q> ?o } } "
     "WHERE { GRAPH <http://ex/g> { ?s <http://ex/p> ?o } }", 2, 2),
    ("INSERT { GRAPH <http://ex/g> { ?s <http://ex/r> [ <http://ex/v> ?o ] } } "
     "WHERE { GRAPH <http://ex/g> { ?s <http://ex/p> ?o } }", 4, 0),
    ("CLEAR GRAPH <http://ex/g>", 0, 2),
])
def test_update_records_added_and_removed(update: str, added: int, removed: int) -> None:
    store = EmbeddedStore.in_memory()
    store.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/s> <http://ex/p> 1, 2 } }")
    Ingest(store).update(update)
    result = store.query(COUNTS)
    assert isinstance(result, SolutionsResult)
    rows = [(int(r["added"].value), int(r["removed"].value), r["g"].value)
            for r in result.solutions]
    assert rows == [(added, removed, "http://ex/g")]


def test_an_update_that_changes_nothing_records_zero() -> None:
    store = EmbeddedStore.in_memory()
    store.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/s> <http://ex/p> 1 } }")
    Ingest(store).update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/s> <http://ex/p> 1 } }")
    result = store.query(COUNTS.replace("<https://w3id.org/htkg/ontology#targetGraph> ?g ;",
                                        "").replace("?g {", "{"))
    assert isinstance(result, SolutionsResult)
    assert [(r["added"].value, r["removed"].value) for r in result.solutions] == [("0", "0")]
