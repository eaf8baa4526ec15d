"""Loading the shipped graphs: once, idempotently, and again when a file changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.curated import graph_iri, load_curated_graphs
from kg.errors import RdfSyntaxError
from kg.results import SolutionsResult
from kg.store import EmbeddedStore

ONE = "<http://ex/a> <http://ex/p> 1 .\n"


def triples_in(store: EmbeddedStore, name: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph_iri(name)}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, SolutionsResult)
    return int(next(iter(result.solutions))["n"].value)


def test_a_changed_file_replaces_its_graph(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "a.ttl").write_text(ONE)
    store = EmbeddedStore.open(tmp_path / "store")
    assert load_curated_graphs(store, sources={"demo": folder})[0].replaced
    assert triples_in(store, "demo") == 1
    assert not load_curated_graphs(store, sources={"demo": folder})[0].replaced
    (folder / "a.ttl").write_text("<http://ex/b> <http://ex/p> 2, 3 .\n")
    assert load_curated_graphs(store, sources={"demo": folder})[0].replaced
    assert triples_in(store, "demo") == 2


def test_a_broken_shipped_file_names_file_line_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "broken.ttl").write_text(ONE + "<http://ex/a> <http://ex/p> .\n")
    store = EmbeddedStore.in_memory()
    with pytest.raises(RdfSyntaxError) as caught:
        load_curated_graphs(store, sources={"demo": folder})
    assert caught.value.line == 2
    assert "broken.ttl" in str(caught.value)
    assert triples_in(store, "demo") == 0


def test_the_shipped_graphs_are_loaded() -> None:
    store = EmbeddedStore.in_memory()
    load_curated_graphs(store)
    assert triples_in(store, "ontology") > 0
